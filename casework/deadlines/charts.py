"""The dashboard's per-caseworker parts: its chart, drawn on the server as SVG (no script, nothing from
elsewhere: the CSP holds; readable printed in black and white because every bar carries its number), the
table with the chart's numbers, and the rows of the summary table.

Drawn in Python rather than by template loops: an organisation of 60 caseworkers has 480 bars, and the
template engine took ~150 ms over them, and ~40 ms over the summary's 450 cells (bench/RESULTS.md). Names
and labels are escaped; every other value is an int or a fixed key.
"""

from dataclasses import dataclass

from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import truncatechars
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from casework.deadlines.selectors import Dashboard

LABEL_WIDTH = 170
WEEK_WIDTH = 64
ROW_HEIGHT = 34
HEADER_HEIGHT = 26
BAR_GAP = 10
BAR_ROOM = ROW_HEIGHT - 18  # the tallest bar, leaving room above it for its number


def _row(index: int, entry: dict, tallest: int) -> str:
    """One caseworker's row. Every value but the name is an int the code computed, so only the name is
    escaped (format_html on each of 500 elements cost more than the rest of the page's work)."""
    top = HEADER_HEIGHT + index * ROW_HEIGHT
    bottom = top + ROW_HEIGHT - 4
    user = entry["user"]
    name = escape(truncatechars(user.get_full_name() or user.username, 22))
    parts = [f'<g class="chart-row"><line class="grid" x1="0" x2="{LABEL_WIDTH + WEEK_WIDTH * len(entry["weeks"])}" '
             f'y1="{top}" y2="{top}"/><text class="name" x="4" y="{top + ROW_HEIGHT // 2 + 5}">{name}</text>']
    for week, count in enumerate(int(n) for n in entry["weeks"]):
        height = round(BAR_ROOM * count / tallest) if count else 0
        x = LABEL_WIDTH + week * WEEK_WIDTH + BAR_GAP // 2
        if count:
            parts.append(f'<rect class="bar" x="{x}" y="{bottom - height}" width="{WEEK_WIDTH - BAR_GAP}" '
                         f'height="{height}"/>')
        parts.append(f'<text class="value{"" if count else " zero"}" x="{x + (WEEK_WIDTH - BAR_GAP) // 2}" '
                     f'y="{bottom - height - 3}" text-anchor="middle">{count}</text>')
    parts.append("</g>")
    return "".join(parts)


@dataclass(frozen=True)
class WeeklyLoad:
    svg: SafeString
    table_rows: SafeString  # the body of the table with the same numbers, one row per caseworker


def _table_row(entry: dict) -> str:
    user = entry["user"]
    cells = "".join(f'<td class="count">{int(count)}</td>' for count in entry["weeks"])
    return f'<tr><th scope="row">{escape(user.get_full_name() or user.username)}</th>{cells}</tr>'


def weekly_load(board: Dashboard) -> WeeklyLoad | None:
    """The chart and its table: one row per caseworker, one column per week, bars scaled to the busiest
    week of anyone, so rows compare at a glance. None when nothing is due in the weeks shown (no empty
    chart)."""
    tallest = board.chart_max
    if not tallest:
        return None
    width = LABEL_WIDTH + WEEK_WIDTH * len(board.weeks)
    height = HEADER_HEIGHT + ROW_HEIGHT * len(board.per_caseworker)
    axis = format_html_join("", '<text class="axis" x="{}" y="16" text-anchor="middle">{}</text>', (
        (LABEL_WIDTH + week * WEEK_WIDTH + WEEK_WIDTH // 2, date_filter(day, "j M")) for week, day in enumerate(board.weeks)
    ))
    rows = SafeString("".join(_row(i, entry, tallest) for i, entry in enumerate(board.per_caseworker)))
    svg = format_html(
        '<svg class="load-chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
        'aria-labelledby="load-chart-title" xmlns="http://www.w3.org/2000/svg">'
        '<title id="load-chart-title">{title}</title>{axis}{rows}</svg>',
        w=width, h=height, axis=axis, rows=rows,
        title=_("Bar chart: open deadlines per caseworker for each of the next 8 weeks. "
                "The table below gives the same numbers."),
    )
    return WeeklyLoad(svg, SafeString("".join(_table_row(entry) for entry in board.per_caseworker)))


def _count_cell(count: int, css: str, label: str, href: str) -> str:
    # Zero is not coloured: a column's colour is only for a count that needs someone. `label` is escaped.
    colour = f" {css}" if count else ""
    return f'<td class="count{colour}" data-label="{label}"><a href="{href}">{int(count)}</a></td>'


def _escaped(columns: list[tuple[str, str]], labels: dict[str, str]) -> tuple[list, dict]:
    """The headings each cell repeats for narrow screens, escaped once for all rows."""
    # str() first: escape() of a lazy translation stays lazy, translated again at each of the ~400 cells.
    return ([(key, escape(str(label))) for key, label in columns],
            {key: escape(str(label)) for key, label in labels.items()})


def _count_cells(counts: dict, columns: list[tuple[str, str]], labels: dict[str, str], assignee=None) -> str:
    """The bucket `columns` [(key, label)], then proposals and removals (`labels` gives their headings,
    escaped as `columns`' are by _escaped); each count links to the rows it counts, the assignee's or
    everyone's."""
    whose = f"?assignee={assignee}" if assignee else ""
    cells = [_count_cell(counts[key], key, label, f"{whose}&amp;bucket={key}" if whose else f"?bucket={key}")
             for key, label in columns]
    cells += [_count_cell(counts[key], key, labels[key], f"{whose}#{key}-h") for key in ("proposals", "removals")]
    return "".join(cells)


def summary_rows(board: Dashboard, columns: list[tuple[str, str]], labels: dict[str, str]) -> SafeString:
    """The summary table's body: a row per caseworker."""
    columns, labels = _escaped(columns, labels)
    return SafeString("".join(
        f'<tr><th scope="row"><a href="?assignee={entry["user"].pk}">'
        f'{escape(entry["user"].get_full_name() or entry["user"].username)}</a></th>'
        f'{_count_cells(entry, columns, labels, entry["user"].pk)}</tr>'
        for entry in board.per_caseworker
    ))


def summary_totals(board: Dashboard, columns: list[tuple[str, str]], labels: dict[str, str]) -> SafeString:
    """The summary table's footer cells: the organisation's totals, linking to everyone's rows."""
    return SafeString(_count_cells(board.totals, *_escaped(columns, labels)))
