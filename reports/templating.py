"""The Jinja2 environments every page renderer shares: escaped by default, XML-safe always.

Everything that comes from Jira, a YAML file or config is text, never markup.
Both environments render with autoescaping on, and a `finalize` hook prepares
every `{{ value }}` before it is escaped:

- characters XML 1.0 cannot carry (C0 controls other than TAB/LF/CR, lone
  surrogates, U+FFFE, U+FFFF) are **removed**: they cannot be represented in
  storage format at all, not even as character references;
- in storage XHTML a CR is written as `&#13;` so an XML parser returns it
  unchanged instead of folding it into LF; every other character survives
  exactly.

So a summary such as `<ac:structured-macro ac:name="html">` or `]]>` reaches
a page as text. Storage templates use numeric character references only:
storage format is XML, where named HTML entities such as `&nbsp;` do not parse.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Any, Literal

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

Kind = Literal["storage", "preview"]

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """`text` without the characters XML 1.0 cannot carry (see the module docstring)."""
    return _XML_ILLEGAL.sub("", text)


def slugify(text: str) -> str:
    """A lowercase ASCII slug ("Démo ART 1" -> "demo-art-1"); "art" when nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "art"


def render(template: str, kind: Kind, context: dict[str, Any]) -> str:
    """Render one of `reports/templates/` for Confluence storage or for the HTML preview."""
    return environment(kind).get_template(template).render(context)


def _finalize_storage(value: Any) -> Any:
    if isinstance(value, Markup):  # our own macros' output
        return value
    text = "" if value is None else xml_safe(str(value))
    return Markup(str(escape(text)).replace("\r", "&#13;"))


def _finalize_preview(value: Any) -> Any:
    if isinstance(value, Markup):
        return value
    return "" if value is None else xml_safe(str(value))


@cache
def environment(kind: Kind) -> Environment:
    # autoescape=True for both: select_autoescape() would not match "*.xml.j2".
    return Environment(
        loader=PackageLoader("reports", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_finalize_storage if kind == "storage" else _finalize_preview,
    )
