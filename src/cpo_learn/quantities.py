"""Hours and percentages as every view shows them: one formatter and one percent rule for all of them."""

from __future__ import annotations


def hours_number(hours: float, places: int | None = 2) -> int | float:
    """Hours for JSON, rounded to ``places`` decimals (None: as they are): an int when whole, else a float."""
    value = hours if places is None else round(hours, places)
    return int(value) if float(value).is_integer() else value


def hours_text(hours: float, places: int = 2) -> str:
    """Hours for people: ``16``, ``2.5`` (at most ``places`` decimals, no trailing zeros)."""
    return f"{round(hours, places):g}"


def percent(done: float, total: float) -> int:
    """``done`` as a whole percentage of ``total``, rounded down; 100 when there is nothing to do."""
    return int(100 * done / total) if total else 100
