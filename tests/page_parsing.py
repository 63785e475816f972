"""Reading what the renderers wrote: Confluence storage XHTML as XML, HTML as a reader
sees it (its tags, text, table cells and links), and the hostile strings a page must
show as text and never as markup."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from html.parser import HTMLParser

AC = "http://atlassian.com/content"
RI = "http://atlassian.com/resource/identifier"
MACRO = f"{{{AC}}}structured-macro"
PARAMETER = f"{{{AC}}}parameter"

HOSTILE = (
    '<ac:structured-macro ac:name="html"><ac:plain-text-body><![CDATA[<b>x</b>]]>'
    "</ac:plain-text-body></ac:structured-macro>",
    "]]>",
    "<script>alert('x')</script>",
    "Tom & Jerry &amp; &nbsp; &#x41;",
    "\"quoted\" 'single'",
    "{{ 7 * 7 }} {% raw %}",
)


def parse_storage(storage: str) -> ET.Element:
    """Storage format is an XHTML fragment with ac:/ri: prefixes: wrap it so XML can read it."""
    return ET.fromstring(f'<root xmlns:ac="{AC}" xmlns:ri="{RI}">{storage}</root>')


def text_of(element: ET.Element) -> str:
    return "".join(element.itertext())


def table_titles(elements: list[ET.Element]) -> list[str]:
    """The titles of the tables among `elements`: their h3 headings, and the titles of the
    expand macros a long table is folded in."""
    titles = [text_of(e) for e in elements if e.tag == "h3"]
    for element in elements:
        for macro in element.iter(MACRO):
            if macro.get(f"{{{AC}}}name") == "expand":
                titles += [
                    p.text or ""
                    for p in macro.findall(PARAMETER)
                    if p.get(f"{{{AC}}}name") == "title"
                ]
    return titles


class Html(HTMLParser):
    """An HTML document as a browser or a mail client shows it: its tags, its text (all of
    it, and each table cell's), and the targets of its links."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []
        self.cells: list[str] = []
        self.links: list[str] = []
        self._cell: list[str] | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.links += [value or "" for name, value in attrs if name == "href"]
        if tag == "td":
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None:
            self.cells.append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)
