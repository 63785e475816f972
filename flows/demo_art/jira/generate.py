#!/usr/bin/env python3
"""Generate the Aurora ART's Jira Cloud export: the demo's offline Jira.

Writes, beside this file:

* ``fields.json``          the body of ``GET /rest/api/3/field``
* ``search-page-NNN.json`` bodies of ``GET /rest/api/3/search/jql?...&expand=changelog``
* ``export.json``          a manifest: site, snapshot, seed, counts and the planted edge cases
* ``README.md``            what the data set holds, with the planted cases and their keys

Plain standard library, one ``random.Random(SEED)``: the same seed gives
byte-identical files. Every timestamp is Berlin wall-clock time written the way
Jira Cloud writes it ("2026-10-06T09:15:23.000+0200"), and nothing happens
after SNAPSHOT, which is "now" for the data (Friday of iteration 4, PI 2026.4).

Run: .venv/bin/python flows/demo_art/jira/generate.py
"""

from __future__ import annotations

import base64
import json
import random
from collections import Counter
from datetime import date, datetime, time, timedelta
from pathlib import Path

SEED = 20261120
SITE = "https://aurora-demo.atlassian.net"
API = SITE + "/rest/api/3"
PROJECT = "AUR"
SNAPSHOT = datetime(2026, 11, 20, 18, 0)  # Berlin wall clock (+0100)
PAGE_SIZE = 100
OUT = Path(__file__).resolve().parent
JQL = "project = AUR ORDER BY key ASC"

TEAMS = ["Atlas", "Borealis", "Comet", "Draco", "Eclipse", "Falcon", "Gemini"]
BOARDS = {team: 101 + index for index, team in enumerate(TEAMS)}

# --------------------------------------------------------------------------
# Calendar: Berlin wall-clock times, working hours 08:00-18:00 on Bavarian working days

HOLIDAYS = {
    date(2026, 1, 1), date(2026, 1, 6), date(2026, 4, 3), date(2026, 4, 6),
    date(2026, 5, 1), date(2026, 5, 14), date(2026, 5, 25), date(2026, 6, 4),
    date(2026, 8, 15), date(2026, 10, 3), date(2026, 11, 1), date(2026, 12, 25),
    date(2026, 12, 26),
}
DAY_START, DAY_END = 8, 18
MINUTE = timedelta(minutes=1)


def workday(day: date) -> bool:
    return day.weekday() < 5 and day not in HOLIDAYS


def at(day: date, hour: int = DAY_START, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute))


def D(month: int, day: int, hour: int = DAY_START, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute)


def E(month: int, day: int) -> datetime:
    """The end of a working day."""
    return datetime(2026, month, day, DAY_END)


def clamp(moment: datetime) -> datetime:
    """The moment itself if inside working hours, else the next working morning."""
    day = moment.date()
    if workday(day):
        if moment.hour < DAY_START:
            return at(day)
        if moment < at(day, DAY_END):
            return moment
    day += timedelta(days=1)
    while not workday(day):
        day += timedelta(days=1)
    return at(day)


def wh_add(moment: datetime, hours: float) -> datetime:
    """Add working hours."""
    moment = clamp(moment)
    remaining = hours * 3600
    while True:
        available = (at(moment.date(), DAY_END) - moment).total_seconds()
        if remaining < available:
            return moment + timedelta(seconds=remaining)
        remaining -= available
        moment = clamp(at(moment.date(), DAY_END))


def wh_between(start: datetime, end: datetime) -> float:
    """Working hours between two moments."""
    total, day = 0.0, start.date()
    while day <= end.date():
        if workday(day):
            low, high = max(start, at(day)), min(end, at(day, DAY_END))
            if high > low:
                total += (high - low).total_seconds()
        day += timedelta(days=1)
    return total / 3600


def wd(days: float) -> float:
    """Working days as working hours."""
    return days * (DAY_END - DAY_START)


def last_sunday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1)
    while day.weekday() != 6:
        day -= timedelta(days=1)
    return day


def berlin_offset(moment: datetime) -> int:
    summer_from = at(last_sunday(moment.year, 3), 2)
    summer_to = at(last_sunday(moment.year, 10), 3)
    return 2 if summer_from <= moment < summer_to else 1


def ts(moment: datetime) -> str:
    """Jira Cloud's timestamp format with the Berlin offset of the moment."""
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}+0{berlin_offset(moment)}00"


def ts_utc(moment: datetime) -> str:
    """The agile API's UTC format, used for sprint dates."""
    utc = moment - timedelta(hours=berlin_offset(moment))
    return f"{utc:%Y-%m-%dT%H:%M:%S}.{utc.microsecond // 1000:03d}Z"


# --------------------------------------------------------------------------
# Randomness helpers (one generator, used in a fixed order)

rng = random.Random(SEED)


def moment_between(start: datetime, end: datetime) -> datetime:
    """A random working moment in [start, end) with whole milliseconds."""
    hours = wh_between(start, end)
    if hours <= 0:  # no working time in between: just after start
        return start.replace(microsecond=0) + timedelta(milliseconds=rng.randrange(1000, 2000))
    moment = wh_add(start, rng.uniform(0, hours * 0.999))
    return moment.replace(microsecond=rng.randrange(1000) * 1000)


def weighted(options: dict):
    return rng.choices(list(options), weights=list(options.values()))[0]


def account_id() -> str:
    hexes = f"{rng.getrandbits(128):032x}"
    return f"712020:{hexes[:8]}-{hexes[8:12]}-{hexes[12:16]}-{hexes[16:20]}-{hexes[20:]}"


# --------------------------------------------------------------------------
# Jira's vocabulary: statuses, issue types, options, users

CATEGORIES = {
    "new": {"id": 2, "key": "new", "colorName": "blue-gray", "name": "To Do"},
    "indeterminate": {"id": 4, "key": "indeterminate", "colorName": "yellow", "name": "In Progress"},
    "done": {"id": 3, "key": "done", "colorName": "green", "name": "Done"},
}
STATUSES = {
    # stories
    "To Do": ("10000", "new"),
    "In Progress": ("3", "indeterminate"),
    "In Review": ("10002", "indeterminate"),
    "Blocked": ("10003", "indeterminate"),
    "Done": ("10001", "done"),
    # the Program Kanban (features) and the Portfolio Kanban (epics)
    "Funnel": ("10010", "new"),
    "Analyzing": ("10011", "new"),
    "Program Backlog": ("10012", "new"),
    "Implementing": ("10013", "indeterminate"),
    "Validating on Staging": ("10014", "indeterminate"),
    "Deploying to Production": ("10015", "indeterminate"),
    "Releasing": ("10016", "indeterminate"),
    "On Hold": ("10017", "indeterminate"),
    "Reviewing": ("10018", "new"),
    "Portfolio Backlog": ("10020", "new"),
    # risks: un-ROAMed while Identified, then one of the ROAM states
    "Identified": ("10030", "new"),
    "Owned": ("10031", "indeterminate"),
    "Accepted": ("10032", "indeterminate"),
    "Mitigated": ("10033", "indeterminate"),
    "Resolved": ("10034", "done"),
}
KANBAN_ORDER = [
    "Funnel", "Analyzing", "Program Backlog", "Implementing", "Validating on Staging",
    "Deploying to Production", "Releasing", "Done",
]
ISSUE_TYPES = {
    "Story": ("10001", 0, "Functionality or a feature expressed as a user goal.", 10315),
    "Task": ("10002", 0, "A small, distinct piece of work.", 10318),
    "Bug": ("10004", 0, "A problem or error.", 10303),
    "Feature": ("10100", 1, "A service that fulfils a stakeholder need (SAFe Feature).", 10311),
    "Enabler": ("10101", 1, "Architectural or infrastructure work (SAFe Enabler).", 10320),
    "Epic": ("10000", 2, "A large initiative on the Portfolio Kanban.", 10307),
    "Risk": ("10102", 0, "A risk to the PI's objectives, ROAMed by the train.", 10316),
}
PRIORITIES = {"Highest": "1", "High": "2", "Medium": "3", "Low": "4", "Lowest": "5"}


def option(field_id: int, option_id: str, value: str) -> dict:
    return {"self": f"{API}/customFieldOption/{option_id}", "value": value, "id": option_id}


TEAM_OPTIONS = {team: option(10001, str(10100 + index), team) for index, team in enumerate(TEAMS)}
WORK_TYPE_OPTIONS = {
    name: option(10050, str(10200 + index), name)
    for index, name in enumerate(["Business", "Enabler", "Maintenance"])
}
VALUE_STREAM_OPTIONS = {
    name: option(10057, str(10300 + index), name)
    for index, name in enumerate(["Retail Banking", "Payments"])
}
FLAG_OPTION = option(10021, "10019", "Impediment")

FIRST = [
    "Anna", "Ben", "Clara", "David", "Elif", "Felix", "Greta", "Hannes", "Ines", "Jonas",
    "Katrin", "Lukas", "Mara", "Niklas", "Olga", "Paul", "Quirin", "Rosa", "Sven", "Tanja",
    "Uwe", "Vera", "Wiebke", "Xaver", "Yasemin", "Zoe", "Jan", "Lena", "Marco", "Nora",
    "Omar", "Pia", "Ralf", "Sophie", "Tim", "Ute", "Viktor", "Maja", "Emre", "Lisa",
    "Aylin", "Bernd", "Chiara", "Dominik", "Eva", "Florian", "Gül", "Henrik",
]
LAST = [
    "Bauer", "Schmidt", "Yılmaz", "Novak", "Weber", "Fischer", "Kowalski", "Hoffmann",
    "Rossi", "Wagner", "Becker", "Schulz", "Kaya", "Lehmann", "Krüger", "Wolf", "Neumann",
    "Schwarz", "Zimmermann", "Braun", "Hartmann", "Lange", "Werner", "Koch", "Richter",
    "Klein", "Meyer", "Popescu", "Jansen", "Horváth", "Ødegaard", "Müller",
]


def make_people() -> tuple[dict, dict]:
    names = [f"{first} {last}" for first in FIRST for last in LAST]
    chosen = rng.sample(names, 7 * 6 + 6)
    users = [{"accountId": account_id(), "displayName": name} for name in chosen]
    teams = {team: users[index * 6:(index + 1) * 6] for index, team in enumerate(TEAMS)}
    others = users[7 * 6:]
    roles = {
        "rte": others[0], "pm_retail": others[1], "pm_payments": others[2],
        "epic_owner_retail": others[3], "epic_owner_payments": others[4], "architect": others[5],
    }
    return teams, roles


TEAM_PEOPLE, ROLES = make_people()
AUTOMATION = {"accountId": "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077",
              "displayName": "Automation for Jira"}


def author(user: dict) -> dict:
    kind = "app" if user is AUTOMATION else "atlassian"
    return {"accountId": user["accountId"], "displayName": user["displayName"], "accountType": kind}


def user_field(user: dict | None) -> dict | None:
    if user is None:
        return None
    return {
        "accountId": user["accountId"],
        "displayName": user["displayName"],
        "active": True,
        "accountType": "atlassian",
    }


# --------------------------------------------------------------------------
# Cadence: iterations and the teams' sprints

PIS = [("2026.3", date(2026, 7, 27)), ("2026.4", date(2026, 10, 5))]
ITERATIONS: list[dict] = []
for _pi, _start in PIS:
    for _n in range(1, 6):
        _first = _start + timedelta(days=14 * (_n - 1))
        ITERATIONS.append({
            "idx": len(ITERATIONS), "pi": _pi, "n": _n, "start": _first,
            "end": _first + timedelta(days=11), "ip": _n == 5,
            "open": at(_first, 9, 30), "close": at(_first + timedelta(days=11), 17),
        })
CURRENT = next(it["idx"] for it in ITERATIONS if it["start"] <= SNAPSHOT.date() <= it["end"])
IP_SPRINT = CURRENT + 1


def make_sprints() -> dict:
    sprints = {}
    next_id = 210
    for it in ITERATIONS:
        for team in TEAMS:
            if it["close"] < SNAPSHOT:
                state = "closed"
            elif it["open"] <= SNAPSHOT:
                state = "active"
            else:
                state = "future"
            sprint = {
                "id": next_id,
                "name": f"{team} {it['pi']}-{it['n']}",
                "state": state,
                "boardId": BOARDS[team],
                "goal": "",
                "startDate": ts_utc(it["open"]),
                "endDate": ts_utc(it["close"]),
            }
            if state == "closed":
                sprint["completeDate"] = ts_utc(
                    it["close"] - timedelta(minutes=rng.randrange(20, 90), seconds=rng.randrange(60)))
            sprints[(team, it["idx"])] = sprint
            next_id += 1
    return sprints


SPRINTS = make_sprints()


def sprint_complete_time(team: str, idx: int) -> datetime:
    sprint = SPRINTS[(team, idx)]
    utc = datetime.strptime(sprint["completeDate"][:19], "%Y-%m-%dT%H:%M:%S")
    local = utc + timedelta(hours=1)
    return local + timedelta(hours=berlin_offset(local) - 1)


# --------------------------------------------------------------------------
# The portfolio: epics and features with their Kanban histories

EPICS = {
    "D": {"summary": "Customer Onboarding Revamp", "stream": "Retail Banking", "owner": "epic_owner_retail",
          "created": (D(1, 12), E(1, 16)),
          "steps": [("Reviewing", D(2, 2), E(2, 13)), ("Analyzing", D(2, 16), E(3, 6)),
                    ("Portfolio Backlog", D(3, 9), E(3, 27)), ("Implementing", D(4, 13), E(4, 24))],
          "wsjf": (20, 13, 8, 13)},
    "A": {"summary": "Digital Statements & Self-Service", "stream": "Retail Banking",
          "owner": "epic_owner_retail", "created": (D(1, 19), E(1, 30)),
          "steps": [("Reviewing", D(2, 9), E(2, 20)), ("Analyzing", D(3, 2), E(3, 20)),
                    ("Portfolio Backlog", D(4, 7), E(4, 24)), ("Implementing", D(5, 11), E(5, 29))],
          "wsjf": (13, 8, 5, 20)},
    "B": {"summary": "Instant Payments (SEPA Inst)", "stream": "Payments",
          "owner": "epic_owner_payments", "created": (D(2, 2), E(2, 13)),
          "steps": [("Reviewing", D(2, 23), E(3, 6)), ("Analyzing", D(3, 16), E(4, 2)),
                    ("Portfolio Backlog", D(4, 20), E(5, 8)), ("Implementing", D(6, 1), E(6, 12))],
          "wsjf": (20, 20, 13, 20)},
    "C": {"summary": "Open Banking PSD3 Readiness", "stream": "Payments",
          "owner": "epic_owner_payments", "created": (D(6, 22), E(7, 3)),
          "steps": [("Reviewing", D(7, 20), E(7, 31)), ("Analyzing", D(8, 31), E(9, 18))],
          "wsjf": None},
}

# Feature schemes: when each Kanban state was entered. A step's bounds are
# either datetimes or (ints) working days after the previous step.
SCHEMES = {
    "done_pi3": [(D(4, 1), E(6, 10)), ("Analyzing", D(5, 4), E(6, 26)),
                 ("Program Backlog", D(6, 29), E(7, 22)), ("Implementing", D(7, 27), E(8, 12)),
                 ("Validating on Staging", D(8, 24), E(9, 11)), ("Deploying to Production", 1, 4),
                 ("Releasing", 1, 3), ("Done", 1, 3)],
    "done_pi4": [(D(4, 15), E(6, 30)), ("Analyzing", D(5, 20), E(7, 15)),
                 ("Program Backlog", D(7, 1), E(7, 24)), ("Implementing", D(8, 10), E(9, 4)),
                 ("Validating on Staging", D(10, 1), E(10, 14)), ("Deploying to Production", 1, 4),
                 ("Releasing", 1, 3), ("Done", 1, 4)],
    "releasing": [(D(5, 1), E(7, 15)), ("Analyzing", D(6, 1), E(7, 20)),
                  ("Program Backlog", D(7, 6), E(8, 14)), ("Implementing", D(8, 24), E(9, 18)),
                  ("Validating on Staging", D(10, 19), E(11, 4)),
                  ("Deploying to Production", D(10, 28), E(11, 11)), ("Releasing", D(11, 12), E(11, 19))],
    "deploying": [(D(5, 11), E(7, 30)), ("Analyzing", D(6, 15), E(8, 14)),
                  ("Program Backlog", D(7, 15), E(9, 4)), ("Implementing", D(9, 7), E(10, 7)),
                  ("Validating on Staging", D(10, 26), E(11, 10)),
                  ("Deploying to Production", D(11, 11), E(11, 19))],
    "validating": [(D(6, 1), E(8, 14)), ("Analyzing", D(7, 1), E(8, 28)),
                   ("Program Backlog", D(8, 3), E(9, 18)), ("Implementing", D(9, 21), E(10, 9)),
                   ("Validating on Staging", D(11, 5), E(11, 19))],
    "implementing_old": [(D(5, 4), E(7, 10)), ("Analyzing", D(6, 1), E(7, 17)),
                         ("Program Backlog", D(7, 6), E(8, 7)), ("Implementing", D(8, 24), E(9, 11))],
    "implementing": [(D(6, 1), E(9, 1)), ("Analyzing", D(7, 1), E(9, 11)),
                     ("Program Backlog", D(8, 17), E(10, 1)), ("Implementing", D(10, 5), E(10, 9))],
    "implementing_late": [(D(7, 1), E(9, 15)), ("Analyzing", D(8, 3), E(9, 30)),
                          ("Program Backlog", D(9, 14), E(10, 14)), ("Implementing", D(10, 19), E(11, 4))],
    # Program Backlog skipped: Analyzing -> Implementing
    "implementing_skip": [(D(7, 1), E(8, 31)), ("Analyzing", D(8, 3), E(9, 25)),
                          ("Implementing", D(10, 5), E(10, 9))],
    "on_hold": [(D(6, 1), E(8, 20)), ("Analyzing", D(7, 1), E(9, 4)),
                ("Program Backlog", D(8, 10), E(9, 30)), ("Implementing", D(10, 5), E(10, 8)),
                ("On Hold", D(10, 26), E(10, 30))],
    # a backward move: Implementing -> Analyzing
    "analyzing_back": [(D(6, 15), E(8, 14)), ("Analyzing", D(7, 15), E(9, 4)),
                       ("Program Backlog", D(9, 7), E(9, 30)), ("Implementing", D(10, 5), E(10, 7)),
                       ("Analyzing", D(10, 20), E(10, 23))],
    "analyzing": [(D(8, 1), E(10, 9)), ("Analyzing", D(10, 12), E(11, 18))],
    "backlog": [(D(7, 1), E(9, 30)), ("Analyzing", D(8, 17), E(10, 16)),
                ("Program Backlog", D(10, 19), E(11, 17))],
    "funnel": [(D(10, 1), E(11, 19))],
}

# code, epic, type, work type, scheme, teams, summary, persona, component, capabilities
FEATURES = [
    ("d1", "D", "Feature", "Business", "done_pi3", ["Atlas", "Borealis"],
     "Video identification for new retail customers", "new customer", "Video-Ident",
     ["start the video identification from the app", "resume an interrupted identification",
      "see which ID documents are accepted", "get the result of my identification by e-mail"]),
    ("d2", "D", "Feature", "Business", "done_pi3", ["Borealis"],
     "Qualified e-signature for account opening", "new customer", "E-signature",
     ["sign the account contract with a qualified e-signature", "download the signed contract",
      "see why a signature was rejected", "sign on my phone with a one-time code"]),
    ("d3", "D", "Feature", "Business", "done_pi3", ["Comet", "Atlas"],
     "Onboarding status tracker in the mobile app", "new customer", "Onboarding tracker",
     ["see which onboarding step is next", "get a push notification when my account is ready",
      "upload a missing document from the tracker", "contact support from any onboarding step"]),
    ("d4", "D", "Feature", "Business", "done_pi3", ["Borealis", "Gemini"],
     "Automated KYC document check", "compliance officer", "KYC check",
     ["review documents the automated check could not classify", "see the confidence of each check",
      "export the KYC evidence for an audit", "re-run the check after a document update"]),
    ("d5", "D", "Feature", "Business", "done_pi3", ["Comet"],
     "Welcome journey e-mails & push notifications", "new customer", "Welcome journey",
     ["receive a welcome e-mail with my first steps", "opt out of marketing messages",
      "get a reminder to activate my debit card", "choose my preferred language for messages"]),
    ("d6", "D", "Feature", "Business", "done_pi4", ["Atlas", "Comet"],
     "Joint account opening online", "retail customer", "Joint account",
     ["invite a second account holder", "see the status of my co-holder's identification",
      "choose single or joint signing rights", "cancel a pending joint account application"]),
    ("a1", "A", "Feature", "Business", "done_pi4", ["Atlas", "Comet"],
     "Customer can export statements as PDF", "retail customer", "Statement export",
     ["export a statement as PDF", "choose the statement period", "export statements of a closed account",
      "be notified when a large export is ready"]),
    ("a2", "A", "Feature", "Business", "releasing", ["Borealis"],
     "Self-service address change with ID re-check", "retail customer", "Address change",
     ["change my postal address online", "confirm the change with my banking app",
      "see the change reflected on my cards", "upload a registration certificate (Meldebescheinigung)"]),
    ("a3", "A", "Feature", "Business", "deploying", ["Comet", "Gemini"],
     "Card limit self-service in the app", "retail customer", "Card limits",
     ["raise my daily card limit temporarily", "set a limit for online payments",
      "block payments abroad", "see my remaining limit for today"]),
    ("a4", "A", "Feature", "Business", "validating", ["Atlas", "Borealis"],
     "Dispute a card transaction online", "retail customer", "Card disputes",
     ["dispute a card transaction from the transaction list", "upload receipts for a dispute",
      "track the status of my dispute", "withdraw a dispute"]),
    ("a5", "A", "Feature", "Business", "validating", ["Comet"],
     "Freistellungsauftrag online ändern", "retail customer", "Freistellungsauftrag",
     ["change my Freistellungsauftrag online", "split my allowance between two banks",
      "see how much of my allowance is used", "get a confirmation for my tax records"]),
    ("a6", "A", "Feature", "Maintenance", "implementing", ["Gemini", "Borealis"],
     "Statement archive for 10 years", "retail customer", "Statement archive",
     ["find statements older than two years", "search the archive by amount",
      "download the archive as a ZIP file", "keep statements after closing my account"]),
    ("a7", "A", "Feature", "Business", "implementing", ["Atlas", "Comet"],
     "Standing orders management in the app", "retail customer", "Standing orders",
     ["create a standing order in the app", "pause a standing order for one month",
      "change the amount of a standing order", "see all upcoming standing orders",
      "get a warning when my balance will not cover a standing order"]),
    ("a8", "A", "Feature", "Business", "implementing", ["Borealis", "Atlas"],
     "Self-service overdraft request", "retail customer", "Overdraft",
     ["request an arranged overdraft", "see the interest rate before I apply",
      "get an instant decision for small overdrafts", "reduce my overdraft limit"]),
    ("a9", "A", "Feature", "Business", "implementing_late", ["Comet"],
     "Fees & charges transparency page", "retail customer", "Fees page",
     ["see all fees I paid this year", "compare my account model with others",
      "download the fee statement (Entgeltaufstellung)", "get an explanation for each fee"]),
    ("a10", "A", "Enabler", "Enabler", "implementing", ["Gemini", "Atlas", "Comet"],
     "Accessibility (WCAG 2.2 AA) for online banking", "customer using a screen reader",
     "Accessibility",
     ["navigate the login with a keyboard only", "hear meaningful labels on every button",
      "zoom to 200% without losing content", "use the transfer form with a screen reader"]),
    ("a11", "A", "Feature", "Business", "implementing_old", ["Borealis", "Gemini"],
     "Secure inbox: attachments up to 20 MB", "retail customer", "Secure inbox",
     ["send attachments up to 20 MB to my adviser", "preview PDF attachments",
      "find messages by subject", "get notified about new messages"]),
    ("a12", "A", "Feature", "Business", "on_hold", ["Atlas", "Comet"],
     "Spending insights by category", "retail customer", "Spending insights",
     ["see my spending by category", "correct the category of a transaction",
      "set a monthly budget per category", "compare this month with last month"]),
    ("a13", "A", "Feature", "Business", "analyzing", ["Comet"],
     "Savings goals with round-up", "retail customer", "Savings goals",
     ["create a savings goal", "round up card payments into my goal"]),
    ("a14", "A", "Feature", "Business", "backlog", ["Borealis", "Gemini"],
     "Multi-currency accounts for retail customers", "retail customer", "Multi-currency",
     ["open a USD sub-account", "exchange money between my currency pockets",
      "see the exchange rate before I confirm", "receive payments in CHF"]),
    ("a15", "A", "Feature", "Business", "backlog", ["Atlas"],
     "Paperless by default for new customers", "retail customer", "Paperless",
     ["choose paper statements if I need them", "get all documents in my inbox",
      "be reminded about unread documents", "switch existing accounts to paperless"]),
    ("b1", "B", "Feature", "Business", "done_pi4", ["Draco", "Eclipse"],
     "SEPA Instant credit transfer – outgoing", "payments clerk", "SCT Inst outgoing",
     ["send an instant transfer up to 100,000 EUR", "see within ten seconds whether it arrived",
      "fall back to a standard transfer when the payee bank is not reachable",
      "see instant transfers in the payment history"]),
    ("b2", "B", "Feature", "Business", "done_pi4", ["Falcon"],
     "camt.053 statement generation for corporates", "corporate treasurer", "camt.053",
     ["receive the end-of-day statement as camt.053", "get statements for all my accounts in one file",
      "receive intraday camt.052 reports", "download statements via EBICS"]),
    ("b3", "B", "Feature", "Business", "releasing", ["Eclipse", "Draco"],
     "Verification of Payee (IBAN-name check)", "payments clerk", "Verification of Payee",
     ["see whether the payee name matches the IBAN", "get a close-match suggestion",
      "confirm a transfer despite a mismatch", "answer VoP requests from other banks"]),
    ("b4", "B", "Feature", "Business", "deploying", ["Falcon", "Draco"],
     "Payment limits per channel", "payments clerk", "Payment limits",
     ["set separate limits for app and web", "see limit breaches in the back office",
      "change limits with four-eyes approval", "apply limits to instant payments"]),
    ("b5", "B", "Enabler", "Enabler", "validating", ["Gemini", "Falcon"],
     "Observability for the payment hub", "operations engineer", "Payment hub observability",
     ["trace a payment across all services", "see end-to-end latency per payment type",
      "get paged when the reject rate rises", "keep traces for 30 days"]),
    ("b6", "B", "Feature", "Business", "implementing_old", ["Draco", "Eclipse"],
     "SEPA Instant – incoming payment processing", "payments clerk", "SCT Inst incoming",
     ["credit incoming instant payments within five seconds", "reject incoming payments to closed accounts",
      "see incoming instant payments in the ledger", "handle recall requests for instant payments",
      "process incoming payments during the EOD batch"]),
    ("b7", "B", "Feature", "Business", "implementing", ["Eclipse", "Falcon"],
     "Real-time fraud scoring for instant payments", "fraud analyst", "Fraud scoring",
     ["score every instant payment before execution", "review payments held for fraud checks",
      "tune the thresholds per customer segment", "explain to the customer why a payment was held"]),
    ("b8", "B", "Enabler", "Enabler", "implementing", ["Falcon", "Gemini", "Draco"],
     "Payment hub migration to Kafka", "operations engineer", "Kafka migration",
     ["publish payment events to Kafka", "replay events after an outage",
      "switch consumers from MQ to Kafka", "monitor consumer lag"]),
    ("b9", "B", "Feature", "Business", "implementing_skip", ["Draco"],
     "Bulk payment upload (pain.001)", "corporate treasurer", "Bulk upload",
     ["upload a pain.001 file with 10,000 payments", "see validation errors per payment",
      "approve a bulk file with two signatures", "download a pain.002 status report"]),
    ("b10", "B", "Feature", "Business", "implementing_late", ["Eclipse", "Gemini"],
     "24/7 liquidity monitoring dashboard", "treasury analyst", "Liquidity dashboard",
     ["see the intraday liquidity position", "get an alert below the liquidity threshold",
      "see the forecast for the next four hours", "export the position for the regulator"]),
    ("b11", "B", "Feature", "Business", "analyzing_back", ["Falcon"],
     "Request-to-Pay pilot", "merchant", "Request-to-Pay",
     ["send a payment request to a customer", "see whether a request was paid",
      "cancel an open request", "set an expiry date on a request"]),
    ("b12", "B", "Feature", "Maintenance", "backlog", ["Draco", "Falcon"],
     "TARGET2 consolidation adapter", "payments clerk", "T2 adapter",
     ["send high-value payments via the consolidated T2 platform", "reconcile T2 settlement reports",
      "monitor the T2 connection", "switch back to the old adapter in an emergency"]),
    ("b13", "B", "Feature", "Business", "backlog", ["Eclipse"],
     "Scheduled instant payments", "retail customer", "Scheduled instant",
     ["schedule an instant payment for a future date", "cancel a scheduled instant payment",
      "see scheduled instant payments in my overview"]),
    ("c1", "C", "Feature", "Business", "analyzing", ["Draco"],
     "PSD3 consent dashboard for customers", "retail customer", "Consent dashboard",
     ["see which third parties can access my account", "revoke a consent"]),
    ("c2", "C", "Enabler", "Enabler", "analyzing", ["Falcon"],
     "API rate limiting for third-party providers", "operations engineer", "TPP rate limiting",
     ["limit calls per third-party provider", "see rate-limit rejections per provider"]),
    ("c3", "C", "Feature", "Business", "analyzing", ["Eclipse"],
     "SCA exemptions for low-risk transactions", "retail customer", "SCA exemptions",
     ["pay small amounts without a second factor", "manage trusted beneficiaries"]),
    ("c4", "C", "Feature", "Business", "funnel", [],
     "Premium API monetisation", "third-party provider", "Premium API", []),
    ("c5", "C", "Feature", "Business", "funnel", [],
     "Open Finance data sharing (FiDA) discovery", "retail customer", "FiDA", []),
    ("o1", None, "Enabler", "Enabler", "funnel", [],
     "Upgrade all payment services to Java 21", "developer", "Java 21 upgrade", []),
]


def scheme_timeline(steps: list, created_bounds: tuple) -> tuple[datetime, list]:
    """Creation time and [(at, from, to)] following a scheme's step bounds."""
    created = moment_between(*created_bounds)
    events, previous, status = [], created, "Funnel"
    for name, low, high in steps:
        if isinstance(low, int):
            start, end = wh_add(previous, wd(low)), wh_add(previous, wd(high))
        else:
            start = max(low, wh_add(previous, 2))
            end = max(high, wh_add(start, 4))
        moment = moment_between(start, end)
        events.append((moment, status, name))
        previous, status = moment, name
    return created, events


# --------------------------------------------------------------------------
# The issue records (before keys are known)

ISSUES: list[dict] = []
LINKS: list[dict] = []


def new_issue(**values) -> dict:
    issue = {
        "seq": len(ISSUES), "parent": None, "team": None, "sprints": [], "estimate": None,
        "work_type": None, "labels": [], "flags": [], "histories": [], "assignee": None,
        "acceptance": None, "wsjf": None, "stream": None, "priority": "Medium", "tags": set(),
        "links": [],
    }
    issue.update(values)
    ISSUES.append(issue)
    return issue


def status_item(from_status: str, to_status: str) -> dict:
    return {"field": "status", "fieldtype": "jira", "fieldId": "status",
            "from": STATUSES[from_status][0], "fromString": from_status,
            "to": STATUSES[to_status][0], "toString": to_status}


def resolution_item(done: bool) -> dict:
    if done:
        return {"field": "resolution", "fieldtype": "jira", "fieldId": "resolution",
                "from": None, "fromString": None, "to": "10000", "toString": "Done"}
    return {"field": "resolution", "fieldtype": "jira", "fieldId": "resolution",
            "from": "10000", "fromString": "Done", "to": None, "toString": None}


def number_item(name: str, field_id: str, old, new) -> dict:
    return {"field": name, "fieldtype": "custom", "fieldId": field_id, "from": None,
            "fromString": None if old is None else str(old), "to": None,
            "toString": None if new is None else str(new)}


def assignee_item(old: dict | None, new: dict | None) -> dict:
    return {"field": "assignee", "fieldtype": "jira", "fieldId": "assignee",
            "from": old and old["accountId"], "fromString": old and old["displayName"],
            "to": new and new["accountId"], "toString": new and new["displayName"],
            "tmpFromAccountId": old and old["accountId"], "tmpToAccountId": new and new["accountId"]}


def rank_item() -> dict:
    return {"field": "Rank", "fieldtype": "custom", "fieldId": "customfield_10019",
            "from": "", "fromString": "", "to": "",
            "toString": rng.choice(["Ranked higher", "Ranked lower"])}


def add_history(issue: dict, moment: datetime, items: list, who: dict, kind: str) -> None:
    if kind == "noise" and not issue["created"] < moment < SNAPSHOT - MINUTE:
        return  # noise that would fall outside the issue's life is simply not written
    assert issue["created"] < moment < SNAPSHOT, (issue["summary"], moment, items)
    issue["histories"].append({"at": moment, "items": items, "author": who, "kind": kind})


def add_status_history(issue: dict, events: list, who_for) -> None:
    for moment, old, new in events:
        if old is None:
            continue
        items = [status_item(old, new)]
        if new == "Done":
            items.append(resolution_item(True))
        elif old == "Done":
            items.append(resolution_item(False))
        add_history(issue, moment, items, who_for(moment, old, new), "status")


def make_epics() -> dict:
    epics = {}
    for code, spec in EPICS.items():
        created, events = scheme_timeline(spec["steps"], spec["created"])
        owner = ROLES[spec["owner"]]
        epic = new_issue(kind="epic", type="Epic", summary=spec["summary"], created=created,
                         events=events, stream=spec["stream"], work_type="Business",
                         assignee=owner, code=code, priority="High")
        if spec["wsjf"]:
            epic["wsjf"] = spec["wsjf"]
        epics[code] = epic
    return epics


def wsjf_score(values: tuple) -> float:
    business, criticality, risk, size = values
    return round((business + criticality + risk) / size, 2)


def make_features(epics: dict) -> list:
    features = []
    for code, epic_code, kind, work_type, scheme, teams, summary, persona, component, caps in FEATURES:
        steps = SCHEMES[scheme]
        created, events = scheme_timeline(steps[1:], steps[0])
        epic = epics.get(epic_code)
        pm = ROLES["pm_retail"] if epic_code in ("A", "D") else ROLES["pm_payments"]
        feature = new_issue(
            kind="feature", type=kind, summary=summary, created=created, events=events,
            parent=epic, work_type=work_type, code=code, scheme=scheme, teams=teams,
            persona=persona, component=component, caps=caps, assignee=pm,
            stream=epic["stream"] if epic else None,
            priority=rng.choice(["High", "Medium", "Medium", "Medium"]),
        )
        if scheme != "funnel" and (scheme != "analyzing" or rng.random() < 0.6):
            feature["wsjf"] = (*(rng.choice([1, 2, 3, 5, 8, 13, 20]) for _ in range(3)),
                               rng.choice([3, 5, 8, 13, 20]))
        if scheme in ("funnel", "analyzing") or code == "a8":
            feature["acceptance"] = None  # a8: Implementing without acceptance criteria
        else:
            feature["acceptance"] = feature_acceptance(component)
        feature["labels"] = ["pi-2026.4"] if scheme.startswith(("implementing", "on_hold")) else []
        features.append(feature)
    # Epic D is done once its last feature is done.
    last_done = max(e[0] for f in features if f["parent"] is epics["D"] for e in f["events"])
    epic = epics["D"]
    done_at = moment_between(wh_add(last_done, wd(1)), wh_add(last_done, wd(4)))
    epic["events"].append((done_at, "Implementing", "Done"))
    return features


def adf_bullets(lines: list[str], heading: str | None = None) -> dict:
    content = []
    if heading:
        content.append({"type": "paragraph", "content": [
            {"type": "text", "text": heading, "marks": [{"type": "strong"}]}]})
    content.append({"type": "bulletList", "content": [
        {"type": "listItem", "content": [{"type": "paragraph", "content": [
            {"type": "text", "text": line}]}]} for line in lines]})
    return {"type": "doc", "version": 1, "content": content}


def feature_acceptance(component: str) -> dict:
    lines = [
        f"{component} is demonstrated in the System Demo",
        "All stories are accepted by the Product Owner",
        "The feature toggle can be switched off in production without a deployment",
        rng.choice(["Load test passes at 2x the expected peak", "Security review has no open high findings",
                    "Runbook updated and handed over to operations"]),
    ]
    return adf_bullets(lines, heading="Definition of Done for this feature")


def story_acceptance(persona: str, cap: str) -> dict:
    lines = [
        f"Given I am logged in as {article(persona)} {persona}, when I {cap}, then I see the result within 2 seconds",
        rng.choice(["Error messages are shown in German and English",
                    "The action is written to the audit log",
                    "Works on the two latest iOS and Android versions"]),
    ]
    return adf_bullets(lines)


# --------------------------------------------------------------------------
# Stories

STORY_POINTS = {1: 10, 2: 18, 3: 25, 5: 25, 8: 15, 13: 7}
TECH = [
    "REST API contract", "audit logging", "feature toggle and rollout plan",
    "error handling and retries", "monitoring and alerting", "translations DE/EN",
    "performance test", "accessibility review findings", "data migration",
    "security review findings", "end-to-end tests", "Überweisungsvorlagen mapping",
]
CHANNELS = ["web banking", "iOS app", "Android app"]
TAGS = ["web", "iOS", "Android", "API", "back office"]
BUGS = [
    "wrong date format in the German locale", "timeout after 30 s under load",
    "duplicate entries after a retry", "button not reachable with the keyboard",
    "crash on Android 14 when rotating the screen", "rounding error in amounts over 10,000 EUR",
    "missing translation on the confirmation page", "umlauts shown as ? in the PDF (ä, ö, ü)",
    "session expires during the second step", "error 500 when the IBAN contains spaces",
]
TASKS = [
    "update the runbook", "load test on staging", "set up the Grafana dashboards",
    "follow up pen-test findings", "remove the obsolete feature toggle",
    "database migration script", "upgrade the client library", "clean up test data on staging",
]
LABELS = ["frontend", "backend", "mobile", "api", "tech-debt", "security", "a11y"]
SUMMARIES: set = set()


def article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def story_summary(feature: dict | None, kind: str) -> str:
    component = feature["component"] if feature else rng.choice(
        ["Login", "Online banking", "Mobile app", "Payment hub", "Back office"])
    persona = feature["persona"] if feature else "retail customer"
    caps = (feature["caps"] if feature else []) or ["use online banking"]
    for attempt in range(40):
        cap = rng.choice(caps)
        if kind == "Bug":
            text = f"{component}: {rng.choice(BUGS)}"
        elif kind == "Task":
            text = f"{component}: {rng.choice(TASKS)}"
        else:
            pattern = rng.randrange(5)
            if pattern == 0:
                text = f"As {article(persona)} {persona} I want to {cap}"
            elif pattern == 1:
                text = f"{component}: {cap[0].upper() + cap[1:]}"
            elif pattern == 2:
                text = f"{component}: {cap} ({rng.choice(TAGS)})"
            elif pattern == 3:
                text = f"{component}: {rng.choice(TECH)}"
            else:
                text = f"As {article(persona)} {persona} I want to {cap} in the {rng.choice(CHANNELS)}"
        if text not in SUMMARIES:
            break
        if attempt == 39:
            text = f"{text} – part {attempt}"
    SUMMARIES.add(text)
    return text


def window(idx: int) -> tuple[datetime, datetime]:
    it = ITERATIONS[idx]
    return it["open"], it["close"]


def feature_bounds(feature: dict) -> tuple[datetime, datetime]:
    """When the feature's stories can be worked on: from Implementing to its exit."""
    events = feature["events"]
    start = next(e[0] for e in events if e[2] == "Implementing")
    after = [e[0] for e in events if e[0] > start and e[2] != "Implementing"]
    end = after[0] - timedelta(hours=2) if after else SNAPSHOT - timedelta(minutes=20)
    return start, end


def candidate_iterations(low: datetime, high: datetime) -> list[int]:
    found = []
    for it in ITERATIONS:
        if it["ip"] or it["idx"] > CURRENT:
            continue
        if wh_between(max(low, it["open"]), min(high, it["close"])) >= 16:
            found.append(it["idx"])
    return found


def story_type() -> str:
    return weighted({"Story": 80, "Bug": 12, "Task": 8})


def new_story(feature: dict | None, team: str | None, sprints: list, final: str, **values) -> dict:
    kind = values.pop("type", None) or story_type()
    story = new_issue(kind="story", type=kind, parent=feature, team=team, sprints=sprints,
                      final=final, variant=values.pop("variant", "normal"), **values)
    story.setdefault("low", None)
    story.setdefault("high", None)
    return story


def done_variant() -> str:
    return weighted({"normal": 80, "rework": 15, "blocked_episode": 5})


def plan_feature_stories(feature: dict) -> list:
    scheme, teams = feature["scheme"], feature["teams"]
    stories = []
    if scheme in ("funnel",):
        return stories
    if scheme in ("done_pi3", "done_pi4", "releasing", "deploying", "validating",
                  "implementing", "implementing_old", "implementing_late", "implementing_skip",
                  "on_hold", "analyzing_back"):
        low, high = feature_bounds(feature)
        candidates = candidate_iterations(low, high)
    if scheme in ("done_pi3", "done_pi4", "releasing", "deploying", "validating"):
        count = rng.randint(12, 16) if scheme.startswith("done") else rng.randint(14, 18)
        for _ in range(count):
            position = rng.randrange(len(candidates))
            sprints = [candidates[position]]
            if position + 1 < len(candidates) and rng.random() < 0.12:
                sprints.append(candidates[position + 1])
            stories.append(new_story(feature, rng.choice(teams), sprints, "Done",
                                     variant=done_variant(), low=low, high=high))
    elif scheme.startswith("implementing"):
        count = {"implementing_old": rng.randint(26, 30), "implementing_late": rng.randint(15, 19)}.get(
            scheme, rng.randint(21, 25))
        for _ in range(count):
            team = rng.choice(teams)
            if rng.random() < 0.12:
                stories.append(new_story(feature, team, [], "To Do", low=low, high=high,
                                         backlog=True))
                continue
            position = rng.randrange(len(candidates))
            idx = candidates[position]
            if idx < CURRENT:
                roll = rng.random()
                nxt = candidates[position + 1] if position + 1 < len(candidates) else None
                if roll < 0.80 or nxt is None:
                    stories.append(new_story(feature, team, [idx], "Done", variant=done_variant(),
                                             low=low, high=high))
                elif roll < 0.90 or idx != CURRENT - 1:
                    stories.append(new_story(feature, team, [idx, nxt], "Done",
                                             variant=done_variant(), low=low, high=high))
                else:  # carried over into the current sprint and still open
                    final = weighted({"In Progress": 45, "In Review": 40, "Blocked": 15})
                    variant = "normal" if final == "Blocked" else weighted({"normal": 80, "rework": 20})
                    story = new_story(feature, team, [idx, CURRENT], final, variant=variant, low=low,
                                      high=high, first_range=(D(11, 11), D(11, 13, 16)))
                    if final == "Blocked":
                        story["last_range"] = (D(11, 18), SNAPSHOT - timedelta(minutes=30))
                    elif variant == "rework" or final == "In Review":
                        story["last_range"] = (D(11, 16, 10), SNAPSHOT - timedelta(minutes=30))
                    stories.append(story)
            else:
                final = weighted({"Done": 20, "In Review": 15, "In Progress": 25, "Blocked": 4,
                                  "To Do": 36})
                variant = {"Done": done_variant(), "In Review": weighted({"normal": 85, "rework": 15}),
                           "In Progress": weighted({"normal": 90, "rework": 10})}.get(final, "normal")
                story = new_story(feature, team, [idx], final, variant=variant, low=low, high=high)
                if final == "Blocked":
                    story["last_range"] = (D(11, 18), SNAPSHOT - timedelta(minutes=30))
                stories.append(story)
    elif scheme == "on_hold":
        for _ in range(rng.randint(11, 13)):
            position = rng.randrange(len(candidates))
            final = "Done" if rng.random() < 0.6 else "To Do"
            variant = done_variant() if final == "Done" else "normal"
            stories.append(new_story(feature, rng.choice(teams), [candidates[position]], final,
                                     variant=variant, low=low, high=high))
    elif scheme == "analyzing_back":
        stories.append(new_story(feature, teams[0], [candidates[0]], "Done", low=low, high=high))
        stories.append(new_story(feature, teams[0], [candidates[-1]], "To Do", low=low, high=high))
        for _ in range(6):
            stories.append(new_story(feature, teams[0], [], "To Do", low=low, high=high, backlog=True))
    elif scheme == "analyzing":
        analyzing_at = feature["events"][-1][0]
        for _ in range(rng.randint(0, 3)):
            stories.append(new_story(feature, rng.choice(teams), [], "To Do", low=analyzing_at,
                                     high=SNAPSHOT, backlog=True))
    elif scheme == "backlog":
        analyzing_at = feature["events"][0][0]
        for _ in range(rng.randint(8, 12)):
            stories.append(new_story(feature, rng.choice(teams), [], "To Do", low=analyzing_at,
                                     high=SNAPSHOT, backlog=True))
    return stories


def status_path(final: str, variant: str) -> list[str]:
    ip, ir, bl, done = "In Progress", "In Review", "Blocked", "Done"
    paths = {
        "Done": {"normal": [ip, ir, done], "rework": [ip, ir, ip, ir, done], "skip": [ir, done],
                 "blocked_episode": [ip, bl, ip, ir, done], "direct_done": [done],
                 "reopen": [ip, ir, done, ip, ir, done]},
        "In Review": {"normal": [ip, ir], "rework": [ip, ir, ip, ir], "skip": [ir]},
        "In Progress": {"normal": [ip], "rework": [ip, ir, ip], "reopen": [ip, ir, done, ip]},
        "Blocked": {"normal": [ip, bl], "rework": [ip, ir, ip, bl]},
        "To Do": {"normal": []},
    }
    return list(paths[final][variant])


def pick(bounds: tuple[datetime, datetime]) -> datetime:
    return moment_between(*bounds)


def realize_story(story: dict) -> None:
    """Turn a plan into a creation time, status events and noise histories."""
    feature = story["parent"]
    earliest = wh_add(feature["created"], wd(1)) if feature else D(7, 20)
    sprints = story["sprints"]
    path = status_path(story["final"], story["variant"])
    in_progress_at_creation = story.get("created_in_progress", False)

    times: list[datetime] = []
    if path:
        low = max(story["low"] or earliest, window(sprints[0])[0])
        high = min(story["high"] or SNAPSHOT, window(sprints[-1])[1],
                   SNAPSHOT - timedelta(minutes=20))
        first_open, first_close = window(sprints[0])
        first_close = min(first_close, high)
        if "first_range" in story:
            t_first = pick((max(low, story["first_range"][0]), story["first_range"][1]))
        elif len(sprints) == 1:
            t_first = pick((low, wh_add(low, 0.6 * wh_between(low, high))))
        else:
            t_first = pick((wh_add(low, 0.4 * wh_between(low, first_close)), first_close))
        if len(path) == 1:
            if "last_range" in story and "first_range" not in story:
                t_first = pick(story["last_range"])
            times = [t_first]
        else:
            if "last_range" in story:
                last_low, last_high = story["last_range"]
                last_low = max(last_low, t_first + timedelta(hours=1))
            else:
                last_low = max(t_first + timedelta(hours=2), window(sprints[-1])[0])
                last_high = high
            t_last = pick((last_low, max(last_high, wh_add(last_low, 1))))
            middle = sorted(pick((t_first, t_last)) for _ in range(len(path) - 2))
            times = [t_first, *middle, t_last]
        for index in range(1, len(times)):  # strictly increasing, minutes apart
            if times[index] <= times[index - 1] + MINUTE * 5:
                times[index] = times[index - 1] + MINUTE * rng.randint(6, 40)

    # creation
    if in_progress_at_creation:
        created = times[0] - timedelta(seconds=rng.randint(1, 50))
        initial = path[0]
    else:
        initial = "To Do"
        if sprints:
            sprint_open = window(sprints[0])[0]
            if times:
                upper = times[0]
            else:  # planned but not started: created before or just after the sprint opened
                upper = min(sprint_open + timedelta(days=2), SNAPSHOT - timedelta(hours=1))
            lower = max(earliest, sprint_open - timedelta(days=rng.randint(3, 20)))
            lower = min(lower, upper - timedelta(hours=2))
            created = pick((lower, upper - timedelta(minutes=30)))
        else:
            lower = max(earliest, story["low"] or earliest)
            created = pick((lower, SNAPSHOT - timedelta(hours=2)))
    story["created"] = created

    # status events: [(at, from, to)]
    events, previous = [], initial
    statuses = path[1:] if in_progress_at_creation else path
    moments = times[1:] if in_progress_at_creation else times
    for moment, status in zip(moments, statuses, strict=True):
        events.append((moment, previous, status))
        previous = status
    story["events"] = events
    story["times"] = times
    story["status"] = previous if path else "To Do"
    if in_progress_at_creation and not events:
        story["status"] = initial


def team_member(team: str | None) -> dict:
    if team is None:
        return rng.choice(rng.choice(list(TEAM_PEOPLE.values())))
    return rng.choice(TEAM_PEOPLE[team][1:])


def story_noise(story: dict) -> None:
    """Status histories and the changes parsers must ignore."""
    team = story["team"] or story.get("sprint_team")
    people = TEAM_PEOPLE[team] if team else TEAM_PEOPLE["Gemini"]
    created, events = story["created"], story["events"]
    cutoff = story["times"][-1] if story.get("stale") else SNAPSHOT
    quiet = story.get("no_history", False)
    if story["times"] or story["final"] != "To Do" or rng.random() < 0.3:
        story["assignee"] = rng.choice(people[1:])
    worker = story["assignee"]

    def who(moment, old, new):
        if new == "Done" and rng.random() < 0.12:
            return AUTOMATION
        return worker or rng.choice(people)

    if not quiet:
        add_status_history(story, events, who)
    if quiet:
        return
    # assignee: set when work starts (sometimes in the same history as the status change)
    if worker is not None and story["times"]:
        start = story["times"][0]
        first_status = next((h for h in story["histories"] if h["at"] == start), None)
        if first_status is not None and rng.random() < 0.5:
            first_status["items"].insert(0, assignee_item(None, worker))
        else:
            moment = max(created + MINUTE, start - MINUTE * rng.randint(2, 90))
            if moment < start:
                add_history(story, moment, [assignee_item(None, worker)], worker, "noise")
    elif worker is not None and rng.random() < 0.5:
        add_history(story, created + MINUTE * rng.randint(5, 600), [assignee_item(None, worker)],
                    people[0], "noise")
    # story points set after creation
    if story["estimate"] is not None and rng.random() < 0.55:
        first = story["times"][0] if story["times"] else min(created + timedelta(days=5),
                                                                SNAPSHOT - MINUTE * 10)
        moment = pick((created + MINUTE, max(first - MINUTE, created + MINUTE * 5)))
        if rng.random() < 0.2:
            old = rng.choice([p for p in STORY_POINTS if p != story["estimate"]])
            add_history(story, moment, [number_item("Story Points", "customfield_10016", None, old)],
                        people[0], "noise")
            second = pick((moment + MINUTE, max(first - MINUTE, moment + MINUTE * 5)))
            add_history(story, second, [number_item("Story Points", "customfield_10016", old,
                                                    story["estimate"])], people[0], "noise")
        else:
            add_history(story, moment, [number_item("Story Points", "customfield_10016", None,
                                                    story["estimate"])], people[0], "noise")
    # sprint membership
    sprint_team = story.get("sprint_team")
    for position, idx in enumerate(story["sprints"]):
        ids = [str(SPRINTS[(sprint_team, i)]["id"]) for i in story["sprints"][:position + 1]]
        names = [SPRINTS[(sprint_team, i)]["name"] for i in story["sprints"][:position + 1]]
        if position == 0:
            sprint_open = window(idx)[0]
            if created >= sprint_open - MINUTE * 10:
                continue  # created straight into the sprint: no history
            moment = max(created + MINUTE * 3, sprint_open - MINUTE * rng.randint(5, 120))
            moment = moment.replace(second=rng.randrange(60), microsecond=rng.randrange(1000) * 1000)
            old, old_names = "", ""
        else:
            moment = sprint_complete_time(sprint_team, story["sprints"][position - 1])
            moment += timedelta(milliseconds=rng.randrange(1, 1000))
            old, old_names = ", ".join(ids[:-1]), ", ".join(names[:-1])
        if moment <= created or moment >= cutoff:
            continue
        add_history(story, moment, [{"field": "Sprint", "fieldtype": "custom",
                                     "fieldId": "customfield_10020", "from": old, "fromString": old_names,
                                     "to": ", ".join(ids), "toString": ", ".join(names)}],
                    people[0], "noise")
    # rank
    if rng.random() < 0.25:
        upper = story["times"][-1] if story["times"] else SNAPSHOT - timedelta(hours=1)
        if upper > created + MINUTE * 10:
            add_history(story, pick((created + MINUTE, upper)), [rank_item()],
                        rng.choice(people), "noise")


def add_flag(story: dict, start: datetime, end: datetime | None, clear_style: str) -> None:
    who = story["assignee"] or TEAM_PEOPLE["Gemini"][0]
    add_history(story, start, [{"field": "Flagged", "fieldtype": "custom", "fieldId": "customfield_10021",
                                "from": None, "fromString": None, "to": "[10019]",
                                "toString": "Impediment"}], who, "flag")
    if end is not None:
        to, to_string = (None, None) if clear_style == "null" else ("", "")
        add_history(story, end, [{"field": "Flagged", "fieldtype": "custom",
                                  "fieldId": "customfield_10021", "from": "[10019]",
                                  "fromString": "Impediment", "to": to, "toString": to_string}],
                    who, "flag")
    story["flags"].append((start, end))


def feature_noise(issue: dict) -> None:
    owner = issue["assignee"]
    add_status_history(issue, issue["events"], lambda *_: owner)
    if issue["wsjf"]:
        analyzing = next((e[0] for e in issue["events"] if e[2] == "Analyzing"), None)
        base = analyzing or issue["created"]
        nxt = [e[0] for e in issue["events"] if e[0] > base]
        end = nxt[0] if nxt else SNAPSHOT - timedelta(hours=1)
        moment = pick((base + MINUTE, max(end, base + timedelta(hours=2))))
        names = [("Business Value", "customfield_10051"), ("Time Criticality", "customfield_10052"),
                 ("Risk Reduction / Opportunity Enablement", "customfield_10053"),
                 ("Job Size", "customfield_10054")]
        items = [number_item(name, fid, None, value) for (name, fid), value in
                 zip(names, issue["wsjf"], strict=True)]
        items.append(number_item("WSJF", "customfield_10055", None, wsjf_score(issue["wsjf"])))
        add_history(issue, moment, items, ROLES["rte"] if rng.random() < 0.5 else owner, "noise")
    if rng.random() < 0.5:
        upper = issue["events"][-1][0] if issue["events"] else SNAPSHOT - timedelta(hours=1)
        if upper > issue["created"] + timedelta(hours=1):
            add_history(issue, pick((issue["created"] + MINUTE, upper)), [rank_item()], owner, "noise")


# --------------------------------------------------------------------------
# Build the data set


def build() -> dict:
    epics = make_epics()
    features = make_features(epics)
    by_code = {f["code"]: f for f in features}
    stories = []
    for feature in features:
        stories.extend(plan_feature_stories(feature))

    def implementing_stories(final=None, sprints=None):
        return [s for s in stories if s["parent"] and s["parent"]["scheme"].startswith("implementing")
                and (final is None or s["final"] == final)
                and (sprints is None or s["sprints"] == sprints) and not s.get("special")]

    def special(feature_code, team, sprints, final, **values):
        feature = by_code[feature_code] if feature_code else None
        low, high = feature_bounds(feature) if feature else (D(7, 27), SNAPSHOT)
        if feature and feature["scheme"] not in ("implementing", "implementing_old", "implementing_late",
                                                 "implementing_skip"):
            high = SNAPSHOT - timedelta(minutes=30)
        story = new_story(feature, team, sprints, final, low=low, high=high, special=True, **values)
        stories.append(story)
        return story

    prev = CURRENT - 1
    # Stale in-progress: nothing changed for more than 10 days.
    for code, team, sprints in [("a7", "Atlas", [prev, CURRENT]), ("b6", "Eclipse", [prev - 1, prev, CURRENT]),
                                ("a11", "Gemini", [prev, CURRENT]), ("b8", "Falcon", [prev, CURRENT])]:
        story = special(code, team, sprints, "In Progress", stale=True,
                        first_range=(window(sprints[0])[0], D(11, 6, 17)))
        story["tags"].add("stale_in_progress")
    # Created directly in In Progress, never moved since, no history at all.
    story = special("b7", "Eclipse", [prev, CURRENT], "In Progress", created_in_progress=True,
                    no_history=True, stale=True, first_range=(D(11, 3), D(11, 5, 17)))
    story["tags"].update({"stale_in_progress", "created_in_progress"})
    # Blocked for more than three days, and two blocked only recently.
    for code, team in [("a8", "Borealis"), ("b9", "Draco"), ("a10", "Gemini"), ("b7", "Falcon")]:
        special(code, team, [prev, CURRENT], "Blocked", first_range=(D(11, 2, 10), D(11, 9, 17)),
                last_range=(D(11, 10), D(11, 16, 12)))
    for code, team in [("a6", "Borealis"), ("b10", "Eclipse")]:
        special(code, team, [CURRENT], "Blocked", last_range=(D(11, 19), D(11, 20, 15)))
    # Reopened: Done -> In Progress (-> Done again).
    for code, team, sprints, final in [("a7", "Comet", [prev - 2], "Done"), ("b6", "Draco", [prev - 1, prev], "Done"),
                                       ("a11", "Borealis", [prev, CURRENT], "In Progress")]:
        story = special(code, team, sprints, final, variant="reopen",
                        **({"first_range": (D(11, 2, 10), D(11, 6)),
                            "last_range": (D(11, 16, 10), D(11, 20, 12))} if final != "Done" else {}))
        story["tags"].add("reopened")
    # A feature in Validating on Staging with a story still in progress.
    story = special("a4", "Atlas", [prev, CURRENT], "In Progress",
                    first_range=(D(11, 11), D(11, 13, 15)))
    story["tags"].add("open_story_of_validating_feature")
    # Summaries that must be escaped in pages.
    for code, team, kind, text in [
        ("a7", "Atlas", "Bug", "<script>alert(1)</script> is executed in the payee name preview"),
        ("a9", "Comet", "Story", 'Fix "quotes" & ampersands in the CSV statement export'),
        ("b9", "Draco", "Task", "Escape ]]> in the CDATA sections of pain.001 files"),
        ("a10", "Gemini", "Story", 'Strip <ac:structured-macro ac:name="html"> from imported help pages'),
    ]:
        story = special(code, team, [CURRENT], weighted({"To Do": 1, "In Progress": 1}), type=kind)
        story["summary"] = text
        story["tags"].add("escape_summary")
    # Dependencies across teams: (blocked story, blocker story).
    link_plans = [
        (("a7", "Atlas", [CURRENT], "In Progress"), ("a10", "Comet", [IP_SPRINT], "To Do"), "blocker_later"),
        (("b8", "Draco", [CURRENT], "Blocked"), ("b7", "Falcon", [], "To Do"), "blocker_no_sprint"),
        (("b10", "Eclipse", [CURRENT], "To Do"), ("b8", "Gemini", [IP_SPRINT], "To Do"), "blocker_later"),
        (("a8", "Borealis", [CURRENT], "In Progress"), ("a7", "Atlas", [CURRENT], "In Review"), "same_sprint"),
        (("b7", "Falcon", [prev], "Done"), ("b6", "Draco", [prev - 1], "Done"), "resolved"),
        (("a10", "Gemini", [CURRENT], "To Do"), ("a6", "Borealis", [], "To Do"), "blocker_no_sprint"),
        (("a9", "Comet", [CURRENT], "In Progress"), ("a9", "Comet", [prev], "Done"), "same_team"),
    ]
    for blocked_plan, blocker_plan, kind in link_plans:
        blocked = special(*blocked_plan)
        blocker = special(*blocker_plan)
        if blocked_plan[3] == "Blocked":
            blocked["last_range"] = (D(11, 18), D(11, 20, 11))
        LINKS.append({"type": "Blocks", "outward": blocker, "inward": blocked, "kind": kind})
    # Orphan stories (no parent feature).
    for team, sprints, final, kind, text in [
        ("Atlas", [CURRENT], "In Progress", "Bug", "Login page times out on Safari 17 after the password step"),
        ("Comet", [prev], "Done", "Bug", "Mobile app: push notifications arrive twice after the iOS update"),
        ("Draco", [CURRENT], "To Do", "Task", "Renew the TLS certificates of the payment gateway"),
        ("Falcon", [prev - 1], "Done", "Story", "As a support agent I want to see a customer's last ten logins"),
        ("Gemini", [], "To Do", "Bug", "Back office: CSV import ignores the last line without a line break"),
    ]:
        story = special(None, team, sprints, final, type=kind, backlog=not sprints)
        story["summary"] = text
        story["tags"].add("orphan")

    # Variants assigned to ordinary stories: skipped states, creation in In Progress.
    done_normal = [s for s in stories if s["final"] == "Done" and s["variant"] == "normal"
                   and not s.get("special")]
    picked = rng.sample(done_normal, 11)
    for story in picked[:6]:
        story["variant"] = "skip"  # To Do -> In Review
    for story in picked[6:]:
        story["created_in_progress"] = True
        story["tags"].add("created_in_progress")
    tasks = [s for s in done_normal if s["type"] == "Task" and s not in picked]
    for story in rng.sample(tasks, min(3, len(tasks))):
        story["variant"] = "direct_done"  # To Do -> Done
    in_review = [s for s in implementing_stories("In Review", [CURRENT]) if s["variant"] == "normal"]
    for story in rng.sample(in_review, min(2, len(in_review))):
        story["variant"] = "skip"
    # A few To Do backlog stories never touched again after creation.
    todo = [s for s in stories if s["final"] == "To Do" and not s["sprints"] and not s.get("special")]
    for story in rng.sample(todo, 6):
        story["no_history"] = True

    # Story attributes.
    for story in stories:
        story["sprint_team"] = story["team"]
        if story.get("summary") is None:
            story["summary"] = story_summary(story["parent"], story["type"])
        story["estimate"] = weighted(STORY_POINTS)
        if story["parent"]:
            story["work_type"] = "Maintenance" if story["type"] == "Bug" else story["parent"]["work_type"]
        elif story["type"] == "Bug":
            story["work_type"] = "Maintenance"
        if rng.random() < 0.35:
            story["labels"] = sorted(rng.sample(LABELS, rng.randint(1, 2)))
        if story["type"] == "Story" and rng.random() < 0.45 and story["parent"]:
            story["acceptance"] = story_acceptance(story["parent"]["persona"],
                                                   rng.choice(story["parent"]["caps"] or ["log in"]))
        story["priority"] = weighted({"High": 15, "Medium": 70, "Low": 15}) if story["type"] != "Bug" \
            else weighted({"Highest": 10, "High": 40, "Medium": 40, "Low": 10})
    ordinary = [s for s in stories if not s.get("special")]
    for story in rng.sample(stories, round(len(stories) * 0.08)):
        story["estimate"] = None
    for story in rng.sample(ordinary, round(len(stories) * 0.03)):
        story["team"] = None  # the sprint (on the team's board) stays
        story["tags"].add("no_team")

    for story in stories:
        realize_story(story)
    for story in stories:
        story_noise(story)

    # Flags: ~5% of stories, some still flagged at the snapshot.
    def active_span(story):
        times = story["times"]
        return (times[0], times[-1]) if len(times) >= 2 else None

    flaggable_done = [s for s in stories if not s.get("no_history") and not s.get("stale")
                      and active_span(s) and wh_between(*active_span(s)) > wd(1.5)]
    open_long = [s for s in stories if s["status"] in ("In Progress", "Blocked", "In Review")
                 and not s.get("no_history") and not s.get("stale")
                 and s["times"] and s["times"][0] < D(11, 13, 12)]
    open_short = [s for s in stories if s["status"] in ("In Progress", "In Review")
                  and not s.get("no_history") and not s.get("stale") and s not in open_long
                  and s["times"] and s["times"][0] < D(11, 19)]
    chosen_long = rng.sample(open_long, 6)
    for story in chosen_long:
        start = pick((max(story["times"][0] + MINUTE * 10, D(11, 9)), D(11, 16, 12)))
        add_flag(story, start, None, "")
        story["tags"].add("flagged_over_3_days")
    for story in rng.sample([s for s in open_short if s not in chosen_long], 3):
        start = pick((max(story["times"][0] + MINUTE * 10, D(11, 19)), D(11, 20, 16)))
        add_flag(story, start, None, "")
        story["tags"].add("flagged_recently")
    cleared = rng.sample([s for s in flaggable_done if s not in chosen_long and not s["flags"]], 21)
    for number, story in enumerate(cleared):
        first, last = active_span(story)
        start = pick((first + MINUTE * 10, wh_add(first, 0.6 * wh_between(first, last))))
        end = pick((start + timedelta(hours=2), max(last - MINUTE, start + timedelta(hours=3))))
        add_flag(story, start, end, "null" if number % 2 else "empty")
        story["tags"].add("flag_cleared")
        if number < 2:  # flagged twice
            second = pick((end + timedelta(hours=1), max(last - MINUTE * 2, end + timedelta(hours=2))))
            if second < last:
                third = pick((second + MINUTE * 30, max(last - MINUTE, second + timedelta(hours=1))))
                add_flag(story, second, third, "null")
                story["tags"].add("flagged_twice")

    # Feature histories, estimates from their stories.
    for issue in [*epics.values(), *features]:
        feature_noise(issue)
    for feature in features:
        children = [s for s in stories if s["parent"] is feature and s["estimate"]]
        if feature["scheme"] not in ("funnel", "analyzing") and children:
            total = sum(s["estimate"] for s in children)
            drawn = rng.uniform(0.85, 1.2)  # drawn even for outliers: the stream stays the same
            feature["estimate"] = int(round(total * ESTIMATE_OUTLIERS.get(feature["code"], drawn)))

    # Feature-level dependency and a few "Relates" links that dependency rules must ignore.
    LINKS.append({"type": "Blocks", "outward": by_code["b8"], "inward": by_code["b7"], "kind": "feature"})
    LINKS.append({"type": "Relates", "outward": by_code["a10"], "inward": by_code["a8"], "kind": "relates"})
    relate_pool = [s for s in stories if s["parent"] and s["parent"]["scheme"].startswith("implementing")]
    for _ in range(3):
        first, second = rng.sample(relate_pool, 2)
        LINKS.append({"type": "Relates", "outward": first, "inward": second, "kind": "relates"})

    plan_economics(epics, features, stories)
    plan_forecast(features)
    return {"epics": epics, "features": features, "stories": stories}


# --------------------------------------------------------------------------
# Estimates, guardrails and PI-planning readiness: planted after everything
# random, with no draw of their own, so no other value moves.

EPIC_ESTIMATES = {"D": 300, "A": 1250, "B": 700, "C": 480}  # story points from the Lean business case
FEATURE_ESTIMATES = {"c1": 80, "c2": 120, "c3": 100}  # top-down, before the stories are written
ESTIMATE_OUTLIERS = {"a7": 0.62, "b7": 1.45}  # own estimate = factor x the stories' total
NEXT_PI_LABEL = "pi-2027.1"
NEXT_PI_FEATURES = ["a13", "a14", "a15", "b11", "b12", "b13", "c1", "c2"]


def plan_economics(epics: dict, features: list, stories: list) -> None:
    by_code = {f["code"]: f for f in features}
    for code, estimate in EPIC_ESTIMATES.items():
        epics[code]["estimate"] = estimate
    for code, estimate in FEATURE_ESTIMATES.items():
        by_code[code]["estimate"] = estimate
    # A parent cycle (Jira Cloud's UI forbids it; imports and Data Center's Parent Link do not).
    by_code["c4"]["parent"], by_code["c5"]["parent"] = by_code["c5"], by_code["c4"]
    # The next PI's features, each with a team but b13; a13 unestimated; a13 and c1 without
    # acceptance criteria; b13 with its job size and WSJF cleared; a14's WSJF out of date.
    for code in NEXT_PI_FEATURES:
        feature = by_code[code]
        feature["labels"] = [NEXT_PI_LABEL]
        feature["team"] = None if code == "b13" else feature["teams"][0]
    by_code["c2"]["acceptance"] = adf_bullets(
        ["Each third-party provider has its own limit", "Rejections are counted per provider"])
    by_code["b13"]["overrides"] = {"customfield_10054": None, "customfield_10055": None}
    by_code["a14"]["overrides"] = {"customfield_10055": 3.5}  # its parts give 1.75
    # Rolled-up Points as last week's write-back left them: right for finished features and
    # the finished epic, out of date for the rest.
    totals = {id(f): sum(s["estimate"] for s in stories if s["parent"] is f and s["estimate"])
              for f in features}
    for feature in features:
        if feature["scheme"].startswith("done"):
            feature["rollup"] = totals[id(feature)]
        elif feature["scheme"] in ("releasing", "deploying", "validating", "implementing"):
            feature["rollup"] = int(totals[id(feature)] * 0.9)
    epics["D"]["rollup"] = sum(totals[id(f)] for f in features if f["parent"] is epics["D"])


# --------------------------------------------------------------------------
# The forecast: the order the teams work the features in, and a due date.
# Planted after everything random too, with no draw of their own.

DUE_DATES = {"a8": date(2026, 12, 7)}  # must be live before the PI ends (a regulator's date)
PULLED_IN = {"o1": "Gemini"}  # pulled into the running PI, not yet broken down into stories


def plan_forecast(features: list) -> None:
    """Jira's Rank (a LexoRank text) on every feature, highest WSJF first, as trains rank."""
    def score(feature):
        override = feature.get("overrides", {}).get("customfield_10055")
        return override if override is not None else wsjf_score(feature["wsjf"]) if feature["wsjf"] else 0

    ranked = sorted(features, key=lambda feature: (-score(feature), feature["seq"]))
    for position, feature in enumerate(ranked, start=1):
        feature["rank"] = f"0|i{position * 8:05d}:"
    by_code = {feature["code"]: feature for feature in features}
    for code, due in DUE_DATES.items():
        by_code[code]["due"] = due
    for code, team in PULLED_IN.items():
        by_code[code]["labels"] = ["pi-2026.4"]
        by_code[code]["team"] = team


# --------------------------------------------------------------------------
# JSON shapes


def status_json(name: str) -> dict:
    status_id, category = STATUSES[name]
    cat = CATEGORIES[category]
    return {
        "self": f"{API}/status/{status_id}", "name": name, "id": status_id,
        "statusCategory": {"self": f"{API}/statuscategory/{cat['id']}", **cat},
    }


def issuetype_json(name: str) -> dict:
    type_id, level, description, avatar = ISSUE_TYPES[name]
    return {
        "self": f"{API}/issuetype/{type_id}", "id": type_id, "name": name, "subtask": False,
        "hierarchyLevel": level,
    }


def priority_json(name: str) -> dict:
    pid = PRIORITIES[name]
    return {"self": f"{API}/priority/{pid}", "name": name, "id": pid}


def ref_json(issue: dict) -> dict:
    return {"id": issue["id"], "key": issue["key"], "self": f"{API}/issue/{issue['id']}",
            "fields": {"summary": issue["summary"], "status": status_json(issue["status"]),
                       "priority": priority_json(issue["priority"]),
                       "issuetype": issuetype_json(issue["type"])}}


LINK_TYPES = {
    "Blocks": {"id": "10000", "name": "Blocks", "inward": "is blocked by", "outward": "blocks",
               "self": f"{API}/issueLinkType/10000"},
    "Relates": {"id": "10003", "name": "Relates", "inward": "relates to", "outward": "relates to",
                "self": f"{API}/issueLinkType/10003"},
}


def issue_json(issue: dict) -> dict:
    histories = sorted(issue["histories"], key=lambda h: (h["at"], h["id"]), reverse=True)
    fields = {
        "summary": issue["summary"],
        "issuetype": issuetype_json(issue["type"]),
        "status": status_json(issue["status"]),
        "priority": priority_json(issue["priority"]),
        "assignee": user_field(issue["assignee"]),
        "created": ts(issue["created"]),
        "updated": ts(issue["updated"]),
        "resolutiondate": ts(issue["resolved"]) if issue["resolved"] else None,
    }
    if issue["parent"] is not None:
        fields["parent"] = ref_json(issue["parent"])
    fields["issuelinks"] = issue["links_json"]
    fields["labels"] = issue["labels"]
    fields["fixVersions"] = []
    wsjf = issue["wsjf"]
    flagged_now = any(end is None for _, end in issue["flags"])
    fields.update({
        "customfield_10016": issue["estimate"],
        "customfield_10001": TEAM_OPTIONS[issue["team"]] if issue["team"] else None,
        "customfield_10021": [FLAG_OPTION] if flagged_now else None,
        "customfield_10020": [SPRINTS[(issue["sprint_team"], idx)] for idx in issue["sprints"]] or None,
        "customfield_10050": WORK_TYPE_OPTIONS[issue["work_type"]] if issue["work_type"] else None,
        "customfield_10051": wsjf[0] if wsjf else None,
        "customfield_10052": wsjf[1] if wsjf else None,
        "customfield_10053": wsjf[2] if wsjf else None,
        "customfield_10054": wsjf[3] if wsjf else None,
        "customfield_10055": wsjf_score(wsjf) if wsjf else None,
        "customfield_10056": issue["acceptance"],
        "customfield_10057": VALUE_STREAM_OPTIONS[issue["stream"]] if issue["stream"] else None,
        "customfield_10058": issue.get("rollup"),
        "customfield_10019": issue.get("rank"),
        "duedate": issue["due"].isoformat() if issue.get("due") else None,
    })
    fields.update(issue.get("overrides", {}))
    return {
        "expand": "operations,versionedRepresentations,editmeta,changelog,renderedFields",
        "id": issue["id"],
        "self": f"{API}/issue/{issue['id']}",
        "key": issue["key"],
        "fields": fields,
        "changelog": {
            "startAt": 0, "maxResults": len(histories), "total": len(histories),
            "histories": [{"id": h["id"], "author": author(h["author"]), "created": ts(h["at"]),
                           "items": h["items"]} for h in histories],
        },
    }


def finalize(data: dict) -> list[dict]:
    issues = [*data["epics"].values(), *data["features"], *data["stories"]]
    for issue in issues:
        if issue["kind"] != "story":
            issue["sprint_team"] = None
            issue["status"] = issue["events"][-1][2] if issue["events"] else (
                "Funnel" if issue["kind"] == "feature" else "Funnel")
    issues.sort(key=lambda i: (i["created"], i["seq"]))
    for number, issue in enumerate(issues, start=1):
        issue["key"] = f"{PROJECT}-{number}"
        issue["id"] = str(10000 + number)
    everything = sorted(((h["at"], issue["seq"], n, h) for issue in issues
                         for n, h in enumerate(issue["histories"])), key=lambda x: x[:3])
    for number, (_, _, _, history) in enumerate(everything, start=100001):
        history["id"] = str(number)
    for issue in issues:
        done = [e[0] for e in issue["events"] if e[2] == "Done"]
        issue["resolved"] = done[-1] if done and issue["status"] == "Done" else None
        last = max([issue["created"], *(h["at"] for h in issue["histories"])])
        if issue.get("stale") or issue.get("no_history") or rng.random() < 0.6:
            issue["updated"] = last
        else:  # a comment or an edit of a field we do not export
            issue["updated"] = pick((last + MINUTE, min(wh_add(last, wd(2)), SNAPSHOT - MINUTE * 5)))
            if not last < issue["updated"] < SNAPSHOT:
                issue["updated"] = last
        issue["links_json"] = []
    for number, link in enumerate(LINKS, start=10400):
        link["id"] = str(number)
        kind = LINK_TYPES[link["type"]]
        link["outward"]["links_json"].append({"id": link["id"], "self": f"{API}/issueLink/{number}",
                                              "type": kind, "outwardIssue": ref_json(link["inward"])})
        link["inward"]["links_json"].append({"id": link["id"], "self": f"{API}/issueLink/{number}",
                                             "type": kind, "inwardIssue": ref_json(link["outward"])})
    issues.sort(key=lambda i: int(i["id"]))
    return issues


# --------------------------------------------------------------------------
# fields.json


def system_field(fid: str, name: str, schema: dict | None, clauses: list[str], orderable=True,
                 navigable=True, searchable=True) -> dict:
    field = {"id": fid, "key": fid, "name": name, "custom": False, "orderable": orderable,
             "navigable": navigable, "searchable": searchable, "clauseNames": clauses}
    if schema is not None:
        field["schema"] = schema
    return field


def custom_field(number: int, name: str, schema: dict, clause_type: str) -> dict:
    fid = f"customfield_{number}"
    return {"id": fid, "key": fid, "name": name, "untranslatedName": name, "custom": True,
            "orderable": True, "navigable": True, "searchable": True,
            "clauseNames": [f"cf[{number}]", name, f"{name}[{clause_type}]"],
            "schema": {**schema, "customId": number}}


def fields_json() -> list[dict]:
    pre = "com.atlassian.jira.plugin.system.customfieldtypes:"
    number = {"type": "number", "custom": pre + "float"}
    select = {"type": "option", "custom": pre + "select"}
    return [
        system_field("issuekey", "Key", None, ["id", "issue", "issuekey", "key"], orderable=False),
        system_field("summary", "Summary", {"type": "string", "system": "summary"}, ["summary"]),
        system_field("issuetype", "Issue Type", {"type": "issuetype", "system": "issuetype"},
                     ["issuetype", "type"]),
        system_field("status", "Status", {"type": "status", "system": "status"}, ["status"],
                     orderable=False),
        system_field("project", "Project", {"type": "project", "system": "project"}, ["project"],
                     orderable=False),
        system_field("created", "Created", {"type": "datetime", "system": "created"},
                     ["created", "createdDate"], orderable=False),
        system_field("updated", "Updated", {"type": "datetime", "system": "updated"},
                     ["updated", "updatedDate"], orderable=False),
        system_field("resolutiondate", "Resolved", {"type": "datetime", "system": "resolutiondate"},
                     ["resolutiondate", "resolved"], orderable=False),
        system_field("resolution", "Resolution", {"type": "resolution", "system": "resolution"},
                     ["resolution"]),
        system_field("parent", "Parent", {"type": "issuelink", "system": "parent"}, ["parent"]),
        system_field("issuelinks", "Linked Issues",
                     {"type": "array", "items": "issuelinks", "system": "issuelinks"}, ["issueLink"],
                     searchable=True),
        system_field("labels", "Labels", {"type": "array", "items": "string", "system": "labels"},
                     ["labels"]),
        system_field("assignee", "Assignee", {"type": "user", "system": "assignee"}, ["assignee"]),
        system_field("reporter", "Reporter", {"type": "user", "system": "reporter"}, ["reporter"]),
        system_field("fixVersions", "Fix versions",
                     {"type": "array", "items": "version", "system": "fixVersions"}, ["fixVersion"]),
        system_field("priority", "Priority", {"type": "priority", "system": "priority"}, ["priority"]),
        system_field("description", "Description", {"type": "string", "system": "description"},
                     ["description"]),
        system_field("duedate", "Due date", {"type": "date", "system": "duedate"}, ["due", "duedate"]),
        custom_field(10001, "Team", select, "Dropdown"),
        custom_field(10016, "Story Points", number, "Number"),
        custom_field(10019, "Rank", {"type": "any", "custom": "com.pyxis.greenhopper.jira:gh-lexo-rank"},
                     "Rank"),
        custom_field(10020, "Sprint", {"type": "array", "items": "json",
                                       "custom": "com.pyxis.greenhopper.jira:gh-sprint"}, "Sprint"),
        custom_field(10021, "Flagged", {"type": "array", "items": "option",
                                        "custom": pre + "multicheckboxes"}, "Checkboxes"),
        custom_field(10036, "Story point estimate",
                     {"type": "number", "custom": "com.pyxis.greenhopper.jira:jsw-story-points"}, "Number"),
        custom_field(10050, "Work Type", select, "Dropdown"),
        custom_field(10051, "Business Value", number, "Number"),
        custom_field(10052, "Time Criticality", number, "Number"),
        custom_field(10053, "Risk Reduction / Opportunity Enablement", number, "Number"),
        custom_field(10054, "Job Size", number, "Number"),
        custom_field(10055, "WSJF", number, "Number"),
        custom_field(10056, "Acceptance Criteria", {"type": "string", "custom": pre + "textarea"},
                     "Paragraph"),
        custom_field(10057, "Value Stream", select, "Dropdown"),
        custom_field(10058, "Rolled-up Points", number, "Number"),
    ]


# --------------------------------------------------------------------------
# What was planted, read back from the issues as a consumer would


def planted_cases(issues: list[dict]) -> dict:
    by_kind = {k: [i for i in issues if i["kind"] == k] for k in ("epic", "feature", "story")}
    stories, features = by_kind["story"], by_kind["feature"]
    order = {name: n for n, name in enumerate(KANBAN_ORDER)}

    def keys(items):
        return [i["key"] for i in items]

    def transitions(issue):
        return [(e[0], e[1], e[2]) for e in issue["events"]]

    def last_change(issue):
        events = transitions(issue)
        return events[-1][0] if events else issue["created"]

    three_days, ten_days = SNAPSHOT - timedelta(days=3), SNAPSHOT - timedelta(days=10)
    link_cases: dict = {}
    for link in LINKS:
        if link["type"] == "Blocks" and link["kind"] not in ("feature", "board"):
            link_cases.setdefault(link["kind"], []).append(
                f"{link['outward']['key']} blocks {link['inward']['key']}")
    feature_links = [f"{link['outward']['key']} blocks {link['inward']['key']}" for link in LINKS
                     if link["kind"] == "feature"]
    relates = [f"{link['outward']['key']} relates to {link['inward']['key']}" for link in LINKS
               if link["type"] == "Relates"]
    cases = {
        "feature_backward_move": keys(f for f in features if any(
            old in order and new in order and order[new] < order[old] for _, old, new in transitions(f))),
        "feature_skipped_state": keys(f for f in features if any(
            old in order and new in order and order[new] > order[old] + 1 and new != "Done"
            for _, old, new in transitions(f))),
        "feature_status_not_on_kanban": keys(f for f in features if f["status"] not in order),
        "feature_without_epic": keys(f for f in features if f["parent"] is None),
        "feature_without_acceptance_criteria": keys(
            f for f in features if f["acceptance"] is None and f["status"] not in ("Funnel", "Analyzing")),
        "feature_past_implementing_with_open_story": keys(f for f in features if f["status"] in (
            "Validating on Staging", "Deploying to Production", "Releasing", "Done") and any(
            s["parent"] is f and s["status"] != "Done" for s in stories)),
        "feature_blocks_feature": feature_links,
        "story_backward_review_to_progress": keys(s for s in stories if any(
            old == "In Review" and new == "In Progress" for _, old, new in transitions(s))),
        "story_skipped_todo_to_review": keys(s for s in stories if any(
            old == "To Do" and new == "In Review" for _, old, new in transitions(s))),
        "story_skipped_todo_to_done": keys(s for s in stories if any(
            old == "To Do" and new == "Done" for _, old, new in transitions(s))),
        "story_reopened": keys(s for s in stories if any(old == "Done" for _, old, _n in transitions(s))),
        "story_created_in_progress": keys(s for s in stories if "created_in_progress" in s["tags"]),
        "story_without_histories": keys(s for s in stories if not s["histories"]),
        "story_without_histories_not_to_do": keys(s for s in stories if not s["histories"]
                                                  and s["status"] != "To Do"),
        "story_flagged_now_over_3_days": keys(s for s in stories if any(
            end is None and start < three_days for start, end in s["flags"])),
        "story_flagged_now_under_3_days": keys(s for s in stories if any(
            end is None and start >= three_days for start, end in s["flags"])),
        "story_flag_cleared": keys(s for s in stories if s["flags"] and all(e for _, e in s["flags"])),
        "story_flagged_twice": keys(s for s in stories if len(s["flags"]) > 1),
        "story_blocked_over_3_days": keys(s for s in stories if s["status"] == "Blocked"
                                          and last_change(s) < three_days),
        "story_blocked_under_3_days": keys(s for s in stories if s["status"] == "Blocked"
                                           and last_change(s) >= three_days),
        "story_stale_in_progress": keys(s for s in stories if CATEGORIES[STATUSES[s["status"]][1]]["key"]
                                        == "indeterminate" and last_change(s) < ten_days
                                        and s["updated"] < ten_days),
        "story_unestimated": keys(s for s in stories if s["estimate"] is None),
        "story_without_team": keys(s for s in stories if s["team"] is None),
        "story_orphan": keys(s for s in stories if s["parent"] is None),
        "story_escaped_summary": keys(s for s in stories if "escape_summary" in s["tags"]),
        "blocks_links": link_cases,
        "relates_links": relates,
    }
    cases.update(economics_cases(issues))
    cases.update(risk_cases(issues))
    cases["feature_with_due_date"] = keys(f for f in features if f.get("due"))
    cases["feature_in_pi_without_stories"] = keys(
        f for f in features if "pi-2026.4" in f["labels"] and not any(s["parent"] is f for s in stories))
    return cases


def economics_cases(issues: list[dict]) -> dict:
    """The roll-up, guardrail and readiness cases, read back from the issues."""
    stories = [i for i in issues if i["kind"] == "story"]
    parents = [i for i in issues if i["kind"] in ("epic", "feature")]

    def keys(items):
        return [i["key"] for i in items]

    def below(parent):
        return sum(s["estimate"] for s in stories if s["estimate"] and parent in (
            s["parent"], s["parent"] and s["parent"]["parent"]))

    def wsjf_field(issue, field_id, position):
        overrides = issue.get("overrides", {})
        if field_id in overrides:
            return overrides[field_id]
        return issue["wsjf"] and (issue["wsjf"][position] if position < 4 else wsjf_score(issue["wsjf"]))

    next_pi = [f for f in parents if NEXT_PI_LABEL in f["labels"]]
    return {
        "parent_cycle": keys(i for i in parents if i["parent"] and i["parent"]["parent"] is i),
        "rollup_variance_over_20pct": keys(i for i in parents if i["status"] != "Done" and i["estimate"]
                                           and below(i) and abs(below(i) - i["estimate"]) > 0.2 * i["estimate"]),
        "rollup_points_to_write": keys(i for i in parents if i.get("rollup") != below(i)),
        "epic_large_not_approved": keys(i for i in parents if i["kind"] == "epic" and (i["estimate"] or 0) >= 300
                                        and i["status"] in ("Funnel", "Reviewing", "Analyzing")),
        "next_pi_features": keys(next_pi),
        "next_pi_without_team": keys(f for f in next_pi if f["team"] is None),
        "next_pi_without_estimate": keys(f for f in next_pi if f["estimate"] is None and not below(f)),
        "next_pi_without_acceptance_criteria": keys(f for f in next_pi if f["acceptance"] is None),
        "next_pi_without_wsjf": keys(f for f in next_pi if wsjf_field(f, "customfield_10055", 4) is None
                                     and wsjf_field(f, "customfield_10054", 3) is None),
        "next_pi_wsjf_out_of_date": keys(f for f in next_pi if f.get("overrides", {}).get("customfield_10055")),
    }


# --------------------------------------------------------------------------
# Writing


def dump(path: Path, body) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        json.dump(body, handle, indent=1, ensure_ascii=False)
        handle.write("\n")


def page_token(number: int, last_id: str) -> str:
    raw = f"{SEED}:{number}:{last_id}:{JQL}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def write_all(issues: list[dict]) -> dict:
    for old in OUT.glob("search-page-*.json"):
        old.unlink()
    dump(OUT / "fields.json", fields_json())
    bodies = [issue_json(issue) for issue in issues]
    pages = [bodies[n:n + PAGE_SIZE] for n in range(0, len(bodies), PAGE_SIZE)]
    names = []
    for number, chunk in enumerate(pages, start=1):
        body: dict = {"issues": chunk}
        if number < len(pages):
            body["nextPageToken"] = page_token(number, chunk[-1]["id"])
            body["isLast"] = False
        else:
            body["isLast"] = True
        name = f"search-page-{number:03d}.json"
        dump(OUT / name, body)
        names.append(name)
    stories = [i for i in issues if i["kind"] == "story"]
    features = [i for i in issues if i["kind"] == "feature"]
    counts = {
        "issues": len(issues),
        "pages": len(pages),
        "epics": sum(i["kind"] == "epic" for i in issues),
        "features": len(features),
        "stories": len(stories),
        "by_issue_type": dict(sorted(Counter(i["type"] for i in issues).items())),
        "features_by_status": dict(sorted(Counter(f["status"] for f in features).items(),
                                          key=lambda kv: (KANBAN_ORDER + ["On Hold"]).index(kv[0]))),
        "stories_by_status": dict(Counter(s["status"] for s in stories).most_common()),
        "histories": sum(len(i["histories"]) for i in issues),
        "issue_links": len(LINKS),
    }
    manifest = {
        "site": SITE,
        "snapshot": ts(SNAPSHOT),
        "generator": "generate.py",
        "seed": SEED,
        "request": f"GET /rest/api/3/search/jql?jql={JQL}&fields=*all&expand=changelog&maxResults={PAGE_SIZE}",
        "pages": names,
        "counts": counts,
        "planted": planted_cases(issues),
    }
    dump(OUT / "export.json", manifest)
    return manifest


README_HEAD = """# Aurora ART: Jira Cloud export (demo data)

Generated by `generate.py` (stdlib only, `random.Random({seed})`); do not edit by hand.
Regenerate from the repository root with

    .venv/bin/python flows/demo_art/jira/generate.py

The same seed gives byte-identical files. The snapshot ("now" for the data) is
`{snapshot}`: Friday of iteration 4 of PI 2026.4. Nothing happens after it.

| File | What it is |
|---|---|
| `fields.json` | body of `GET /rest/api/3/field` (system fields and the custom fields named in `art.yaml`) |
| `search-page-NNN.json` | bodies of `GET /rest/api/3/search/jql?...&expand=changelog`, {page_size} issues a page, token-paged (`nextPageToken`, `isLast`) |
| `export.json` | manifest: site, snapshot, seed, counts and every planted case with its keys |

## Contents

{counts}

Epics carry Value Stream, WSJF and Story Points (the Lean business case's estimate);
features carry WSJF, Work Type, Value Stream, Story Points (their own estimate, within
-15%/+20% of their stories' total but for two outliers) and Acceptance Criteria (ADF);
stories carry Team, Sprint (every sprint they were in, on their team's board), Story
Points, Work Type (from the feature; bugs are Maintenance) and sometimes Acceptance
Criteria. Features planned for the next PI carry the label `pi-2027.1` and a Team;
parents carry Rolled-up Points as an earlier write-back left them. Every feature carries
Jira's Rank (a LexoRank text, highest WSJF first): the order the forecast works them in.

Shape notes for consumers: timestamps are Berlin time with the offset of the day
(`+0200` until 2026-10-25, `+0100` after); sprint dates are UTC (`Z`); changelog
histories are **newest first** and a history can hold several items (status with
resolution, assignee with status); noise items (`assignee`, `Sprint`, `Story Points`,
`Rank`, `resolution`, WSJF fields) must be ignored; a story's initial status is the
`fromString` of its first status item (there is no creation entry); unflagging is
written both as `to: null` and as `to: ""`. Program Kanban statuses Funnel, Analyzing
and Program Backlog are in category `new`, Implementing to Releasing (and On Hold) in
`indeterminate`.

## Planted cases

"""


def write_readme(manifest: dict) -> None:
    counts = manifest["counts"]
    lines = [
        f"- {counts['issues']} issues: {counts['epics']} epics, {counts['features']} features, "
        f"{counts['stories']} stories ({', '.join(f'{v} {k}' for k, v in counts['by_issue_type'].items())})",
        "- features by status: " + ", ".join(f"{k} {v}" for k, v in counts["features_by_status"].items())
        + " (WIP limits in art.yaml: Analyzing 4, Implementing 8: both breached)",
        "- stories by status: " + ", ".join(f"{k} {v}" for k, v in counts["stories_by_status"].items()),
        f"- {counts['histories']} changelog histories, {counts['issue_links']} issue links",
    ]
    descriptions_of_risks = RISK_DESCRIPTIONS
    text = README_HEAD.format(seed=SEED, snapshot=manifest["snapshot"], page_size=PAGE_SIZE,
                              counts="\n".join(lines))
    descriptions = {
        "feature_backward_move": "feature moved back (Implementing → Analyzing)",
        "feature_skipped_state": "feature skipped a Kanban state (Analyzing → Implementing)",
        "feature_status_not_on_kanban": "feature in a status the Kanban does not list (On Hold)",
        "feature_without_epic": "feature without a parent epic",
        "feature_without_acceptance_criteria": "feature past Analyzing without Acceptance Criteria",
        "feature_past_implementing_with_open_story": "feature in Validating on Staging with a story still in progress",
        "feature_blocks_feature": "Blocks link between two features",
        "story_backward_review_to_progress": "story moved back In Review → In Progress",
        "story_skipped_todo_to_review": "story skipped In Progress (To Do → In Review)",
        "story_skipped_todo_to_done": "task went straight To Do → Done",
        "story_reopened": "story reopened (Done → In Progress); resolutiondate = last move into Done",
        "story_created_in_progress": "story created directly in In Progress (first status item from it, or none)",
        "story_without_histories": "story with no changelog histories at all",
        "story_without_histories_not_to_do": "… of which not in To Do (created in In Progress, never moved)",
        "story_flagged_now_over_3_days": "flagged (Impediment) at the snapshot, for more than 3 days",
        "story_flagged_now_under_3_days": "flagged at the snapshot, for less than 3 days",
        "story_flag_cleared": "flagged for a while, flag cleared since",
        "story_flagged_twice": "… of which flagged twice",
        "story_blocked_over_3_days": "in Blocked for more than 3 days",
        "story_blocked_under_3_days": "in Blocked for less than 3 days",
        "story_stale_in_progress": "in progress with no change for more than 10 days (no history, updated old)",
        "story_unestimated": "Story Points null",
        "story_without_team": "Team null (the sprint on the team's board remains)",
        "story_orphan": "story without a parent feature",
        "story_escaped_summary": "summaries with `<script>`, quotes and `&`, `]]>`, `<ac:structured-macro>`",
        "relates_links": "Relates links (not dependencies)",
        "parent_cycle": "features whose parents point at each other (a cycle)",
        "rollup_variance_over_20pct": "open parent whose own estimate is >20% off its stories' total",
        "rollup_points_to_write": "Rolled-up Points missing or out of date (what `rte rollup --write-back` writes)",
        "epic_large_not_approved": "epic of 300+ points still before Portfolio Backlog (not approved)",
        "next_pi_features": f"features labelled {NEXT_PI_LABEL} (planned for the next PI)",
        "next_pi_without_team": "… of which without a Team",
        "next_pi_without_estimate": "… of which without an estimate (own or from stories)",
        "next_pi_without_acceptance_criteria": "… of which without Acceptance Criteria",
        "next_pi_without_wsjf": "… of which without WSJF (score and job size cleared)",
        "next_pi_wsjf_out_of_date": "… of which with a WSJF score its parts disagree with",
        **descriptions_of_risks,
        "feature_with_due_date": "feature with a Due date (the forecast judges it against that date)",
        "feature_in_pi_without_stories": "feature labelled pi-2026.4 with a Team but no stories yet "
                                         "(the forecast assumes its team's median)",
    }
    link_descriptions = {
        "blocker_later": "cross-team, the blocker is planned in a later sprint (the IP sprint)",
        "blocker_no_sprint": "cross-team, the blocker has no sprint",
        "same_sprint": "cross-team, both in the current sprint",
        "resolved": "cross-team, both done (blocker first)",
        "same_team": "same team (not cross-team)",
    }
    body = []
    for name, value in manifest["planted"].items():
        if name == "blocks_links":
            for kind, links in value.items():
                body.append(f"- Blocks link, {link_descriptions[kind]}: {', '.join(links)}")
            continue
        label = descriptions[name]
        shown = value if len(value) <= 12 else [*value[:12], f"… ({len(value)} in all, see export.json)"]
        body.append(f"- {label} ({len(value)}): {', '.join(shown) if shown else '—'}")
    body.append("- summaries with non-ASCII text (ä, ö, ü, –) in features and stories; names with ı, á, Ø")
    (OUT / "README.md").write_text(text + "\n".join(body) + "\n", encoding="utf-8", newline="\n")


# --------------------------------------------------------------------------
# Risks and the program board's dependencies: planted after everything else, with no draw
# of the shared random stream, so no other issue, key or value moves.

# (summary, team, status, assignee, due, created, [(moment, status)], updated)
RISKS = [
    ("Card scheme certification for SEPA Instant may slip past the December change freeze",
     "Borealis", "Owned", ("Borealis", 1), date(2026, 12, 4), D(10, 6, 11), [(D(10, 6, 15, 30), "Owned")],
     D(11, 17, 10, 12)),
    ("Key payments architect leaves the train in January", None, "Accepted", ("role", "architect"),
     None, D(10, 5, 14), [(D(10, 6, 16), "Accepted")], D(11, 9, 9, 40)),
    ("Load-test environment is shared with another train in the System Demo week", "Comet",
     "Mitigated", ("Comet", 2), date(2026, 11, 27), D(10, 6, 10), [(D(10, 20, 11), "Mitigated")],
     D(11, 16, 14, 5)),
    ("PSD2 strong customer authentication exemptions may change before go-live", "Atlas",
     "Resolved", ("Atlas", 3), None, D(10, 5, 16), [(D(10, 6, 14), "Owned"), (D(11, 3, 10), "Resolved")],
     D(11, 3, 10)),
    ("KYC vendor's API rate limits are too low for the onboarding peak", "Gemini", "Owned", None,
     date(2026, 12, 11), D(10, 6, 9, 30), [(D(10, 6, 17), "Owned")], D(11, 18, 11, 20)),
    ("Card vendor contract renewal is not signed before the old terms end", "Draco", "Owned",
     ("Draco", 0), date(2026, 11, 13), D(10, 6, 13), [(D(10, 6, 17, 30), "Owned")], D(11, 12, 16)),
    ("App Store review times may delay the mobile release", "Eclipse", "Identified", None, None,
     D(10, 6, 14, 30), [], D(11, 11, 9, 15)),
    ("Data migration for joint accounts may not fit the maintenance window", "Atlas", "Identified",
     None, None, D(11, 18, 10), [], D(11, 18, 10)),
    ("Open-source licence audit of the payment hub is still pending", "Falcon", "Mitigated",
     ("Falcon", 4), None, D(10, 6, 12), [(D(10, 14, 9), "Mitigated")], D(10, 22, 15)),
    ("Core banking upgrade may freeze releases in August", "Borealis", "Resolved", ("Borealis", 0),
     None, D(7, 27, 15), [(D(7, 28, 11), "Owned"), (D(8, 20, 10), "Resolved")], D(8, 20, 10)),
    ("<script>alert('risk')</script> & ]]> in the vendor's <ac:structured-macro ac:name=\"html\"> "
     "status page", "Comet", "Accepted", ("Comet", 5), None, D(10, 6, 15), [(D(10, 7, 10), "Accepted")],
     D(11, 19, 9)),
]
# Blocks links between features of two teams, planned in order (each blocker done) and,
# between features labelled for the next PI, both still unplanned: plain program-board strings.
BOARD_LINKS = [("a1", "a8"), ("b2", "b10"), ("d6", "a11"), ("a13", "a15"), ("c1", "c2")]
RISK_DESCRIPTIONS = {
    **{f"risks_{status.lower()}": f"risks (issue type Risk) in status {status}"
       for status in ("Identified", "Owned", "Accepted", "Mitigated", "Resolved")},
    "risk_unroamed_late": "risk raised at PI Planning, still Identified (un-ROAMed) past the 5 days",
    "risk_unroamed_in_time": "risk raised two days ago, still Identified: within its 5 days",
    "risk_owned_without_assignee": "risk Owned, but nobody assigned",
    "risk_overdue": "risk whose due date passed and that is not Resolved",
    "risk_not_updated_for_14_days": "open risk not updated for more than 14 days",
    "risk_resolved_before_pi_planning": "risk resolved in the previous PI (not on this PI's ROAM board)",
    "risk_escaped_summary": "risk summary with `<script>`, `&`, `]]>`, `<ac:structured-macro>`",
    "feature_blocks_feature_in_order": "Blocks link between features of two teams, in order (a plain string)",
}


def add_risks(issues: list[dict]) -> None:
    """Append the risks (after every other issue: their keys are the last) to `issues`."""
    number = len(issues)
    history_id = max(int(h["id"]) for issue in issues for h in issue["histories"])
    for summary, team, status, owner, due, created, moves, updated in RISKS:
        number += 1
        who = ROLES[owner[1]] if owner and owner[0] == "role" else (
            TEAM_PEOPLE[owner[0]][owner[1]] if owner else None)
        histories, before = [], "Identified"
        for moment, after in moves:
            history_id += 1
            items = [status_item(before, after)] + ([resolution_item(True)] if after == "Resolved" else [])
            histories.append({"at": moment, "id": str(history_id), "items": items,
                              "author": who or ROLES["rte"], "kind": "status"})
            before = after
        issues.append({
            "key": f"{PROJECT}-{number}", "id": str(10000 + number), "kind": "risk", "type": "Risk",
            "summary": summary, "status": status, "priority": "High", "assignee": who,
            "created": created, "updated": updated,
            "resolved": moves[-1][0] if status == "Resolved" else None,
            "parent": None, "links_json": [], "labels": [], "wsjf": None, "flags": [],
            "estimate": None, "team": team, "sprint_team": None, "sprints": [], "work_type": None,
            "acceptance": None, "stream": None, "histories": histories, "tags": set(), "events": [],
            "overrides": {"duedate": due.isoformat() if due else None},
        })


def add_board_links(issues: list[dict]) -> None:
    """Blocks links between features of two teams that the program board draws as plain strings."""
    by_code = {issue["code"]: issue for issue in issues if issue["kind"] == "feature"}
    for blocker_code, blocked_code in BOARD_LINKS:
        number = 10400 + len(LINKS)
        link = {"id": str(number), "type": "Blocks", "kind": "board",
                "outward": by_code[blocker_code], "inward": by_code[blocked_code]}
        LINKS.append(link)
        kind = LINK_TYPES["Blocks"]
        link["outward"]["links_json"].append({"id": link["id"], "self": f"{API}/issueLink/{number}",
                                              "type": kind, "outwardIssue": ref_json(link["inward"])})
        link["inward"]["links_json"].append({"id": link["id"], "self": f"{API}/issueLink/{number}",
                                             "type": kind, "inwardIssue": ref_json(link["outward"])})


def risk_cases(issues: list[dict]) -> dict:
    """The risks and the program board's plain strings, read back from the issues."""
    risks = [i for i in issues if i["kind"] == "risk"]
    pi_planning_end = date(2026, 10, 6)
    stale_before = SNAPSHOT - timedelta(days=15)

    def keys(items):
        return [i["key"] for i in items]

    return {
        **{f"risks_{status.lower()}": keys(r for r in risks if r["status"] == status)
           for status in ("Identified", "Owned", "Accepted", "Mitigated", "Resolved")},
        "risk_unroamed_late": keys(r for r in risks if r["status"] == "Identified"
                                   and max(r["created"].date(), pi_planning_end) + timedelta(days=5) < SNAPSHOT.date()),
        "risk_unroamed_in_time": keys(r for r in risks if r["status"] == "Identified"
                                      and max(r["created"].date(), pi_planning_end) + timedelta(days=5) >= SNAPSHOT.date()),
        "risk_owned_without_assignee": keys(r for r in risks if r["status"] == "Owned" and r["assignee"] is None),
        "risk_overdue": keys(r for r in risks if r["status"] != "Resolved" and r["overrides"]["duedate"]
                             and r["overrides"]["duedate"] < SNAPSHOT.date().isoformat()),
        "risk_not_updated_for_14_days": keys(r for r in risks if r["status"] != "Resolved"
                                             and r["updated"] < stale_before),
        "risk_resolved_before_pi_planning": keys(r for r in risks if r["status"] == "Resolved"
                                                 and r["resolved"].date() < date(2026, 10, 5)),
        "risk_escaped_summary": keys(r for r in risks if "<script>" in r["summary"]),
        "feature_blocks_feature_in_order": [f"{link['outward']['key']} blocks {link['inward']['key']}"
                                            for link in LINKS if link["kind"] == "board"],
    }


def main() -> None:
    data = build()
    issues = finalize(data)
    add_board_links(issues)
    add_risks(issues)
    manifest = write_all(issues)
    write_readme(manifest)
    counts = manifest["counts"]
    print(f"wrote {counts['pages']} pages, {counts['issues']} issues to {OUT}")


if __name__ == "__main__":
    main()
