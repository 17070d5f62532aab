"""Host side of the runner's tagged-JSON encoding of Python values (call-based return values).

The runner encodes what a function returned so that tuples, sets, non-string dict keys and
non-finite floats survive the trip; this module turns it back into the Python value, so
checkers compare what the function really returned. Objects that are not plain data decode
to an ``Opaque`` that equals nothing but itself.
"""

from __future__ import annotations

import decimal
import fractions
import json
import math
import re
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Opaque:
    """A returned object with no data form (a custom class instance, a generator, ...)."""

    type_name: str
    text: str

    def __repr__(self) -> str:
        return self.text


_FLOATS = {"inf": math.inf, "-inf": -math.inf, "nan": math.nan}
# What a returned value may hold before the host builds it: the status channel is the program's to
# write, so a value is counted before it is parsed (docs/runner-protocol.md, "Status channel").
MAX_VALUE_ITEMS = 1_000_000
MAX_VALUE_DEPTH = 400  # the runner cuts values at depth 200 (an opaque "<too deep>"): real ones fit
_STRINGS = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')


class MalformedValue(ValueError):
    """A returned value the runner cannot have written: forged, malformed or past the limits."""


def parse_value(text: bytes) -> Any:
    """The tagged JSON of a returned value, checked: its element count before anything is built,
    then its nesting and every tag. Raises MalformedValue."""
    skeleton = _STRINGS.sub(b'""', text)
    items = skeleton.count(b",") + skeleton.count(b"[") + skeleton.count(b"{")
    if items > MAX_VALUE_ITEMS:
        raise MalformedValue(f"about {items} elements, over the limit of {MAX_VALUE_ITEMS}")
    try:
        value = json.loads(text)
    except RecursionError:
        raise MalformedValue("nested too deep") from None
    except ValueError as exc:
        raise MalformedValue(f"not JSON ({exc})") from None
    decode(value)
    return value


def decode(value: Any, depth: int = 0) -> Any:
    """Decode one tagged-JSON value (the inverse of the runner's ``encode_value``); MalformedValue
    for anything the runner does not write."""
    if depth > MAX_VALUE_DEPTH:
        raise MalformedValue("nested too deep")
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list):
        return [decode(v, depth + 1) for v in value]
    if not isinstance(value, dict):
        raise MalformedValue(f"a {type(value).__name__} is not a value")
    if len(value) == 1:
        ((tag, body),) = value.items()
        decoder = _TAGS.get(tag)
        if decoder is not None:
            try:
                return decoder(body, depth + 1)
            except MalformedValue:
                raise
            except (TypeError, ValueError, KeyError, ZeroDivisionError, decimal.InvalidOperation) as exc:
                raise MalformedValue(f"bad {tag}: {type(exc).__name__}") from None
    if set(value) == {"$opaque", "$repr"}:
        if not (isinstance(value["$opaque"], str) and isinstance(value["$repr"], str)):
            raise MalformedValue("bad $opaque")
        return Opaque(value["$opaque"], value["$repr"])
    return {k: decode(v, depth + 1) for k, v in value.items()}


def _items(body: Any, depth: int) -> list[Any]:
    if not isinstance(body, list):
        raise TypeError("not a list")
    return [decode(v, depth) for v in body]


def _pairs(body: Any, depth: int) -> dict[Any, Any]:
    if not isinstance(body, list) or not all(isinstance(p, list) and len(p) == 2 for p in body):
        raise TypeError("not a list of pairs")
    return {decode(k, depth): decode(v, depth) for k, v in body}


def _decimal(body: Any, depth: int) -> decimal.Decimal:
    number = decimal.Decimal(_text(body))
    if number.is_snan():  # raises on ==, inside a checker
        raise ValueError("signalling NaN")
    return number


def _text(body: Any) -> str:
    if not isinstance(body, str):
        raise TypeError("not a string")
    return body


def _fraction(body: Any, depth: int) -> fractions.Fraction:
    if not (isinstance(body, list) and len(body) == 2 and all(type(n) is int for n in body)):
        raise TypeError("not two ints")
    return fractions.Fraction(body[0], body[1])


_TAGS = {
    "$tuple": lambda body, depth: tuple(_items(body, depth)),
    "$set": lambda body, depth: set(_items(body, depth)),
    "$frozenset": lambda body, depth: frozenset(_items(body, depth)),
    "$float": lambda body, depth: _FLOATS[_text(body)],
    "$dict": _pairs,
    "$bytes": lambda body, depth: bytes.fromhex(_text(body)),
    "$int": lambda body, depth: int(_text(body), 16),  # an int too long for JSON's decimal digits
    "$fraction": _fraction,
    "$decimal": _decimal,
}
