"""Numbers, dates, types and constraints in plain words, the same way on every page.

Pure functions, no locale: output must be byte-identical on every machine.
"""

from __future__ import annotations

from typing import Any

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

QUALIFIERS = {"about": "about", "more-than": "more than", "nearly": "nearly", "at-least": "at least"}

FIELDS_MATCH = {
    "exact": "Files have exactly these columns, in this order.",
    "equal": "Files have exactly these columns, in any order.",
    "subset": "Files have at least these columns, and may have more.",
    "superset": "Files have only columns from this list; some may be missing.",
    "partial": "Files have at least one of these columns.",
}

AS_OF = {
    "suspension": "Value as of the account's suspension",
    "release": "Value as of the dataset's release",
}

_UNIT_BYTES = {"B": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12}


def number(value: float | int) -> str:
    """3841 -> '3,841'; 1.2 -> '1.2'."""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{int(value):,}"


def figure_text(value: float | int, unit: str | None = None, qualifier: str | None = None) -> str:
    text = number(value) + (f" {unit}" if unit else "")
    return f"{QUALIFIERS[qualifier]} {text}" if qualifier in QUALIFIERS else text


def to_bytes(value: float | int, unit: str | None) -> float:
    return float(value) * _UNIT_BYTES.get(unit or "B", 1)


def byte_size(count: int) -> str:
    """A byte count for people: 1234567 -> '1.2 MB (1,234,567 bytes)'."""
    short = short_byte_size(count)
    return short if short.endswith(" bytes") else f"{short} ({count:,} bytes)"


def short_byte_size(count: int) -> str:
    """The same without the exact count, for tables and totals: 1234567 -> '1.2 MB'."""
    for unit in ("TB", "GB", "MB", "KB"):
        if count >= _UNIT_BYTES[unit]:
            return f"{count / _UNIT_BYTES[unit]:.1f} {unit}"
    return f"{count:,} bytes"


def partial_date(value: str | None) -> str:
    """'2018-10-17' -> '17 October 2018'; '2018-10' -> 'October 2018'; '2018' -> '2018'."""
    if not value:
        return ""
    parts = value.split("-")
    try:
        if len(parts) == 3:
            return f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
        if len(parts) == 2:
            return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    except (ValueError, IndexError):
        return value
    return value


def field_type(field: dict[str, Any]) -> str:
    ftype = field.get("type") or "any"
    fmt = field.get("format")
    text = ftype
    if fmt and fmt != "default":
        text += f" ({fmt})"
    if ftype == "boolean" and ("trueValues" in field or "falseValues" in field):
        trues = "/".join(str(v) for v in field.get("trueValues") or ["true"])
        falses = "/".join(str(v) for v in field.get("falseValues") or ["false"])
        text += f", written {trues} or {falses}"
    if ftype == "list" and field.get("itemType"):
        text += f" of {field['itemType']}"
    return text


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return number(value)
    return str(value)


def constraints(field: dict[str, Any]) -> list[tuple[str, str | None]]:
    """Each constraint of a field as a short sentence, with a literal to show as code."""
    found = field.get("constraints")
    if not isinstance(found, dict):
        return []
    words: list[tuple[str, str | None]] = []
    if found.get("required") is True:
        words.append(("Required: never empty.", None))
    if found.get("unique") is True:
        words.append(("Unique: no two rows share a value.", None))
    low, high = found.get("minimum"), found.get("maximum")
    if low is not None and high is not None:
        words.append((f"Between {_value(low)} and {_value(high)}.", None))
    elif low is not None:
        words.append((f"At least {_value(low)}.", None))
    elif high is not None:
        words.append((f"At most {_value(high)}.", None))
    if found.get("exclusiveMinimum") is not None:
        words.append((f"Greater than {_value(found['exclusiveMinimum'])}.", None))
    if found.get("exclusiveMaximum") is not None:
        words.append((f"Less than {_value(found['exclusiveMaximum'])}.", None))
    short, long_ = found.get("minLength"), found.get("maxLength")
    if short is not None and long_ is not None:
        words.append((f"Between {_value(short)} and {_value(long_)} characters long.", None))
    elif short is not None:
        words.append((f"At least {_value(short)} characters long.", None))
    elif long_ is not None:
        words.append((f"At most {_value(long_)} characters long.", None))
    if found.get("pattern") is not None:
        words.append(("Matches the pattern", str(found["pattern"])))
    if isinstance(found.get("enum"), list):
        words.append(("One of: " + ", ".join(_value(v) for v in found["enum"]) + ".", None))
    if found.get("jsonSchema") is not None:
        words.append(("Each value must match a JSON Schema given in the descriptor.", None))
    return words
