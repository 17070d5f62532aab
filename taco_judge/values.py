"""Host side of the runner's tagged-JSON encoding of Python values (call-based return values).

The runner encodes what a function returned so that tuples, sets, non-string dict keys and
non-finite floats survive the trip; this module turns it back into the Python value, so
checkers compare what the function really returned. Objects that are not plain data decode
to an ``Opaque`` that equals nothing but itself.
"""

from __future__ import annotations

import decimal
import fractions
import math
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


def decode(value: Any) -> Any:
    """Decode one tagged-JSON value (the inverse of the runner's ``encode_value``)."""
    if isinstance(value, list):
        return [decode(v) for v in value]
    if isinstance(value, dict):
        if len(value) == 1:
            ((tag, body),) = value.items()
            if tag == "$tuple":
                return tuple(decode(v) for v in body)
            if tag == "$set":
                return {decode(v) for v in body}
            if tag == "$frozenset":
                return frozenset(decode(v) for v in body)
            if tag == "$float":
                return _FLOATS[body]
            if tag == "$dict":
                return {decode(k): decode(v) for k, v in body}
            if tag == "$bytes":
                return bytes.fromhex(body)
            if tag == "$int":  # an int too long for JSON's decimal digits (the 4300-digit cap)
                return int(body, 16)
            if tag == "$fraction":
                return fractions.Fraction(body[0], body[1])
            if tag == "$decimal":
                return decimal.Decimal(body)
        if set(value) == {"$opaque", "$repr"}:
            return Opaque(value["$opaque"], value["$repr"])
        return {k: decode(v) for k, v in value.items()}
    return value
