"""Reading one scalar of a DECP record, whatever the file made of it.

JSON gives numbers (as `Decimal`, the readers ask ijson for them) but also numbers as strings ("137614.0",
"1 234,56"), "NC" or "nan"; XML and CSV give only strings. Each reader returns `(value, status)`: the value or None,
and why it is None (`ABSENT`, `NOT_GIVEN` for "NC", `UNREADABLE` for anything else), so that the parser words the
defect for its field. The common case (a clean value) is tried first and costs one type check.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from .labels import BOOLEANS, EMPTY_MARKERS, NOT_COMMUNICATED

OK = 0
ABSENT = 1
NOT_GIVEN = 2  # "NC": the value exists but was not communicated
UNREADABLE = 3

# Spaces of every width, currency signs and the apostrophe of Swiss thousands: never part of a number.
_NUMBER_NOISE = str.maketrans("", "", " \u00a0\u202f\u2009'€$")
_NUMBER_SUFFIXES = ("EUROS", "EUR", "HT", "TTC")
_FRENCH_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_LOOSE_ISO_DATE = re.compile(r"(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})")
_CPV = re.compile(r"(\d{7,9})(?:-(\d))?")
_CPV_NOISE = str.maketrans("", "", " \u00a0.")


def text(value: Any) -> str:
    """A text field: stripped, "" for absent values and the empty markers of spreadsheet exports ("nan")."""
    if type(value) is str:
        value = value.strip()
        return "" if value in EMPTY_MARKERS else value
    if value is None or type(value) is bool or isinstance(value, (dict, list)):
        return ""
    if type(value) is Decimal:
        return str(int(value)) if value == value.to_integral_value() else str(value)
    if type(value) is float:
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _status_of_text(value: str) -> int:
    value = value.strip()
    if value in EMPTY_MARKERS:
        return ABSENT
    if value in NOT_COMMUNICATED or value.upper() in NOT_COMMUNICATED:
        return NOT_GIVEN
    return UNREADABLE


def decimal(value: Any) -> tuple[Decimal | None, int]:
    kind = type(value)
    if kind is Decimal:
        return value, OK
    if kind is int:
        return Decimal(value), OK
    if value is None:
        return None, ABSENT
    if kind is str:
        try:
            number = Decimal(value)
        except InvalidOperation:
            return _decimal_from_text(value)
        return (number, OK) if number.is_finite() else (None, ABSENT)
    if kind is float:
        return (Decimal(repr(value)), OK) if math.isfinite(value) else (None, ABSENT)
    return None, UNREADABLE


def _decimal_from_text(value: str) -> tuple[Decimal | None, int]:
    """ "1 234,56", "1.234,56 €", "12 000 € HT", "1,234.56": the forms people type in spreadsheets."""
    cleaned = value.translate(_NUMBER_NOISE).upper()
    for suffix in _NUMBER_SUFFIXES:
        cleaned = cleaned.removesuffix(suffix)
    if "," in cleaned:
        if "." in cleaned:
            if cleaned.rfind(",") > cleaned.rfind("."):
                cleaned = cleaned.replace(".", "").replace(",", ".")  # 1.234,56
            else:
                cleaned = cleaned.replace(",", "")  # 1,234.56
        elif cleaned.count(",") > 1:
            cleaned = cleaned.replace(",", "")  # 1,234,567
        else:
            cleaned = cleaned.replace(",", ".")
    if not cleaned:
        return None, _status_of_text(value)
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        return None, _status_of_text(value)
    return (number, OK) if number.is_finite() else (None, ABSENT)


def integer(value: Any) -> tuple[int | None, int]:
    """A count of months or offers; a fraction of a month counts as a whole one (the format's rule: round up)."""
    if type(value) is int:
        return value, OK
    if type(value) is str and value.isdigit() and value.isascii():
        return int(value), OK
    number, status = decimal(value)
    if number is None:
        return None, status
    return math.ceil(number), OK


def boolean(value: Any) -> bool | None:
    if type(value) is bool:
        return value
    if type(value) is str:
        return BOOLEANS.get(value.strip())
    if type(value) in (int, Decimal) and value in (0, 1):
        return bool(value)
    return None


def date(value: Any) -> tuple[dt.date | None, int]:
    """ISO dates, with or without a time zone or time ("2007-08-13+02:00", "2024-05-30T00:00:00"), and the French
    day/month/year of spreadsheets."""
    if type(value) is str:
        if len(value) >= 10 and value[4] == "-":
            try:
                return dt.date.fromisoformat(value[:10]), OK
            except ValueError:
                pass
        return _date_from_text(value)
    if value is None:
        return None, ABSENT
    return None, UNREADABLE


def _date_from_text(value: str) -> tuple[dt.date | None, int]:
    value = value.strip()
    match = _LOOSE_ISO_DATE.match(value)
    try:
        if match:
            return dt.date(int(match[1]), int(match[2]), int(match[3])), OK
        match = _FRENCH_DATE.match(value)
        if match:
            return dt.date(int(match[3]), int(match[2]), int(match[1])), OK
        if len(value) == 8 and value.isdigit():
            return dt.date(int(value[:4]), int(value[4:6]), int(value[6:])), OK
    except ValueError:
        return None, UNREADABLE
    return None, _status_of_text(value)


def cpv(value: Any) -> str:
    """A CPV code as "dddddddd-d" when written with its check digit, "dddddddd" without, "" when absent.

    Spaces and dots are dropped; a code stored as a number lost its leading zero ("3000000" → "03000000"); nine
    digits without the dash carry the check digit ("450000007" → "45000000-7"); a label after the code is ignored.
    Anything else is returned as written, for the validation step to report it.
    """
    if type(value) is str:
        code = value.strip()
    elif type(value) in (int, Decimal):
        code = str(int(value))
    else:
        return ""
    if len(code) == 10 and code[8] == "-" and code.isascii() and code[:8].isdigit() and code[9].isdigit():
        return code
    if len(code) == 8 and code.isascii() and code.isdigit():
        return code
    if code in EMPTY_MARKERS:
        return ""
    cleaned = code.translate(_CPV_NOISE)
    match = _CPV.match(cleaned)
    if not match:
        return cleaned
    digits, check = match[1], match[2]
    if len(digits) == 9:
        if check:
            return cleaned
        digits, check = digits[:8], digits[8]
    elif len(digits) == 7:
        digits = "0" + digits
    return f"{digits}-{check}" if check else digits
