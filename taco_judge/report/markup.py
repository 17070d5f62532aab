"""Escaping and number formats for the HTML report: every piece of a run's text is hostile by assumption."""

from __future__ import annotations

import html
import logging
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    pass

log = logging.getLogger(__name__)


# ----------------------------------------------------------------------------------------------
# Escaping


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def esc(value: Any) -> str:
    """Text safe in HTML content and in quoted attributes.

    Control characters become visible symbols (U+2400 block: a CR shows as a CR sign), lone
    surrogates become U+FFFD, then &, <, >, " and ' are escaped. Nothing a program prints can
    open a tag, close a script or start an attribute.
    """
    text = value if isinstance(value, str) else str(value)
    text = text.encode("utf-8", errors="replace").decode("utf-8")
    text = _CONTROL.sub(lambda m: "\u2421" if m.group() == "\x7f" else chr(0x2400 + ord(m.group())), text)
    return html.escape(text, quote=True)


def pct(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{100.0 * value:.{digits}f}%"


def plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def num(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"
