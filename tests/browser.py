"""Headless Chromium, driven through its DevTools protocol over a pipe: the pages as a
reader's browser lays them out, for the browser tests (and a screenshot of any page).

Debian's `chromium` is the browser (nothing is downloaded: CI installs the
package, `.ci/run`). It is started with `--remote-debugging-pipe`, so the
protocol runs over two file descriptors (the browser reads commands on its fd 3
and writes replies and events on its fd 4, each message JSON ended by a NUL):
no port, no websocket client, no dependency beyond the standard library.

    with Browser.start() as browser:
        page = browser.open(path, width=1280)
        page.evaluate("document.title")
        png = page.screenshot()

`python -m tests.browser HTML PNG [--width 1280 --height 900]` writes the
screenshot of the first screen of HTML (`make screenshot` calls chromium's own
`--screenshot` with the same flags).
"""

from __future__ import annotations

import argparse
import base64
import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

CHROMIUM = "chromium"
WIDTH, HEIGHT = 1280, 900  # the first screen of a laptop
TIMEOUT = 60.0  # seconds for any one command (a page's load included)
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--remote-debugging-pipe",
)


class BrowserError(RuntimeError):
    """Chromium answered a command with an error, died, or did not answer in time."""


def chromium_path() -> str | None:
    """Where Debian's chromium is, or None when this machine has none."""
    return shutil.which(CHROMIUM)


class Browser:
    """One headless Chromium process and the protocol connection to it."""

    def __init__(self, process: subprocess.Popen[bytes], to_browser: int, from_browser: int):
        self._process = process
        self._out = to_browser
        self._in = from_browser
        self._buffer = b""
        self._next_id = 0
        self._events: list[dict[str, Any]] = []

    @classmethod
    @contextmanager
    def start(cls) -> Iterator[Browser]:
        executable = chromium_path()
        if executable is None:
            raise BrowserError(f"no {CHROMIUM} on PATH")
        with tempfile.TemporaryDirectory(prefix="rte-chromium-") as profile:
            commands_read, commands_write = os.pipe()  # we write, the browser reads (its fd 3)
            replies_read, replies_write = os.pipe()  # the browser writes (its fd 4), we read

            def wire() -> None:  # in the child, before exec: the pipes on fds 3 and 4
                # Out of the way first (a pipe may itself be fd 3 or 4); dup2 leaves the
                # copies inheritable, every other descriptor closes on exec.
                high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (commands_read, replies_write)]
                os.dup2(high[0], 3)
                os.dup2(high[1], 4)

            process = subprocess.Popen(
                [executable, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                close_fds=False,  # else fds 3 and 4 would close: all others are CLOEXEC
                preexec_fn=wire,
            )
            os.close(commands_read)
            os.close(replies_write)
            browser = cls(process, commands_write, replies_read)
            try:
                yield browser
            finally:
                browser.close()

    def close(self) -> None:
        if self._process.poll() is None:
            with suppress(BrowserError, OSError):
                self.send("Browser.close")
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        for fd in (self._out, self._in):
            with suppress(OSError):
                os.close(fd)

    def send(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        """Send one command and wait for its reply (events met meanwhile are kept)."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session is not None:
            message["sessionId"] = session
        os.write(self._out, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._receive()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error'].get('message')}")
                result: dict[str, Any] = reply.get("result", {})
                return result
            if "method" in reply:
                self._events.append(reply)

    def wait_for(self, event: str, session: str) -> dict[str, Any]:
        """The first `event` of `session` since the last wait (met earlier, or now)."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            for index, message in enumerate(self._events):
                if message["method"] == event and message.get("sessionId") == session:
                    del self._events[: index + 1]
                    return message
            self._events.append(self._receive())
        raise BrowserError(f"no {event} within {TIMEOUT:g} s")

    def _receive(self) -> dict[str, Any]:
        import select

        deadline = time.monotonic() + TIMEOUT
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self._in], [], [], max(left, 0))
            if not ready:
                raise BrowserError(f"chromium did not answer within {TIMEOUT:g} s")
            chunk = os.read(self._in, 1 << 20)
            if not chunk:
                raise BrowserError(f"chromium exited (code {self._process.poll()})")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        parsed: dict[str, Any] = json.loads(message)
        return parsed

    def open(self, path: Path, width: int = WIDTH, height: int = HEIGHT) -> Tab:
        """A new tab `width` x `height` CSS pixels wide showing the file at `path`, loaded."""
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        session = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        tab = Tab(self, session)
        tab.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )
        tab.send("Page.enable")
        navigated = tab.send("Page.navigate", url=path.resolve().as_uri())
        if navigated.get("errorText"):  # a missing file: Chromium's error page would pass
            raise BrowserError(f"{path}: {navigated['errorText']}")
        self.wait_for("Page.loadEventFired", session)
        return tab


class Tab:
    """One page of the browser, laid out at the size it was opened with."""

    def __init__(self, browser: Browser, session: str):
        self._browser = browser
        self._session = session

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        return self._browser.send(method, self._session, **params)

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (JSON-able values)."""
        result = self.send(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            raise BrowserError(f"JavaScript failed: {text}")
        return result["result"].get("value")

    def screenshot(self) -> bytes:
        """The first screen (the viewport) as PNG."""
        data = self.send("Page.captureScreenshot", format="png")["data"]
        return base64.b64decode(data)


def screenshot(html: Path, png: Path, width: int = WIDTH, height: int = HEIGHT) -> None:
    """Write the first screen of `html`, as Chromium shows it at `width` px, to `png`."""
    with Browser.start() as browser:
        shot = browser.open(html, width, height).screenshot()
    png.parent.mkdir(parents=True, exist_ok=True)
    png.write_bytes(shot)


def main() -> None:
    parser = argparse.ArgumentParser(description=screenshot.__doc__)
    parser.add_argument("html", type=Path)
    parser.add_argument("png", type=Path)
    parser.add_argument("--width", type=int, default=WIDTH)
    parser.add_argument("--height", type=int, default=HEIGHT)
    args = parser.parse_args()
    screenshot(args.html, args.png, args.width, args.height)
    print(f"Wrote {args.png} ({args.width} x {args.height} px of {args.html})")


if __name__ == "__main__":
    main()
