"""Plain-text tables for the terminal: columns measured by display width, cut to fit a width, coloured on request.

A table is as wide as its widest cells unless a width is given (the terminal's): then the free-text columns
(titles, names, notes: ``Column.flex``) give up room first, widest first, down to ``FLEX_MIN`` columns, and
only then the others (ids, dates), widest first, down to ``CELL_MIN``; a cell cut short ends in "…". Lines
never run past the width, so the terminal never wraps one in the middle of a word. Every cell is escaped
(``one_line``) before it is measured, so a control character in content cannot act on the terminal nor shift
the columns; colour codes are added after, around the text and not the padding.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from cpo_learn.terminal import clip, display_width, one_line, paint

GAP = "  "
"""What separates two columns."""
FLEX_MIN = 8
"""The narrowest a free-text column gets before other columns are cut."""
CELL_MIN = 4
"""The narrowest any other column gets (three characters and "…"), its header cut like its cells."""

Styler = Callable[[int, str], "str | None"]
"""``(column index, cell text) -> style`` (a name of ``terminal.STYLES``, or None for plain text)."""


STATUS_STYLES: dict[str, str] = {
    "done": "green", "achieved": "green", "completed": "green", "milestone_achieved": "green", "ok": "green",
    "started": "yellow", "reopened": "cyan", "skipped": "dim", "waived": "dim", "undone": "red", "error": "red",
}
"""The colour of each status (of a plan entry) and event type (of the log) on a terminal; planned is plain."""


def status_style(column: int) -> Styler:
    """A ``Styler`` that paints the status or event type in ``column`` (its first word) by ``STATUS_STYLES``."""

    def style(index: int, cell: str) -> str | None:
        words = cell.split()
        return STATUS_STYLES.get(words[0].lower()) if index == column and words else None

    return style


@dataclass(frozen=True)
class Column:
    """One column: its header, whether it is free text that may be cut first, and its alignment."""

    header: str
    flex: bool = False
    right: bool = False


def columns(headers: Sequence[str], flex: Iterable[str] = ()) -> list[Column]:
    """Columns for ``headers``, the ones named in ``flex`` being free text."""
    free = set(flex)
    return [Column(header, flex=header in free) for header in headers]


def fit_widths(natural: Sequence[int], minimum: Sequence[int], flex: Sequence[bool], width: int | None) -> list[int]:
    """Column widths that fit ``width`` (None: no limit) with the gaps: free-text columns shrink first, widest
    first, then the others; no column goes below its minimum (so a very narrow terminal may still overflow)."""
    widths = list(natural)
    if width is None:
        return widths
    over = sum(widths) + len(GAP) * (len(widths) - 1) - width
    for group in (True, False):
        while over > 0:
            shrinkable = [i for i, w in enumerate(widths) if flex[i] is group and w > minimum[i]]
            if not shrinkable:
                break
            widest = max(shrinkable, key=lambda i: (widths[i], i))
            others = [widths[i] for i in shrinkable if i != widest]
            # down to the next widest column (or as far as needed) in one step
            step = min(over, widths[widest] - max([minimum[widest], *others]) or 1)
            widths[widest] -= step
            over -= step
    return widths


def table(rows: Iterable[Sequence[str]], headers: Sequence[str] | Sequence[Column], *, width: int | None = None,
          style: Styler | None = None) -> str:
    """A plain-text table: a header line, a rule, one line a row; columns padded to their widest cell by display
    width (the last column is not padded); cut to ``width`` when given; ``style`` paints cells (colour)."""
    cols = [c if isinstance(c, Column) else Column(c) for c in headers]
    body = [[one_line(str(cell)) for cell in row] for row in rows]
    heads = [one_line(c.header) for c in cols]
    natural = [max([display_width(h), *(display_width(r[i]) for r in body)]) for i, h in enumerate(heads)]
    minimum = [min(n, FLEX_MIN if c.flex else CELL_MIN) for n, c in zip(natural, cols, strict=True)]
    widths = fit_widths(natural, minimum, [c.flex for c in cols], width)

    right = [c.right for c in cols]

    def line(cells: Sequence[str], painted: bool) -> str:
        out = []
        last = len(cells) - 1
        for i, cell in enumerate(cells):
            room = widths[i]
            if cell.isascii() and len(cell) <= room:  # most cells: fits as it is, one column a character
                shown, used = cell, len(cell)
            else:
                shown = clip(cell, room)
                used = display_width(shown)
            space = "" if i == last and not right[i] else " " * (room - used)
            text = paint(shown, style(i, cell)) if painted and style is not None else shown
            out.append(space + text if right[i] else text + space)
        return GAP.join(out).rstrip()

    return "\n".join([line(heads, False), line(["-" * w for w in widths], False), *(line(r, True) for r in body)])
