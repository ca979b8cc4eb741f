"""The dashboard's chart, drawn on the server as SVG: no script, nothing from elsewhere (the CSP holds),
readable printed in black and white because every bar carries its number. The same numbers are in the
table beside it."""

from dataclasses import dataclass

from casework.deadlines.selectors import Dashboard

LABEL_WIDTH = 170
WEEK_WIDTH = 64
ROW_HEIGHT = 34
HEADER_HEIGHT = 26
BAR_GAP = 10


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    count: int
    text_x: int
    text_y: int


@dataclass(frozen=True)
class Row:
    name: str
    y: int
    text_y: int
    bars: list[Bar]


@dataclass(frozen=True)
class WeeklyLoad:
    width: int
    height: int
    weeks: list[tuple[int, object]]  # (x of the column's centre, first day of the week)
    rows: list[Row]


def weekly_load(board: Dashboard) -> WeeklyLoad | None:
    """One row per caseworker, one column per week: bars scaled to the busiest week of anyone, so rows
    compare at a glance. None when nothing is due in the weeks shown (no empty chart)."""
    if not board.chart_max:
        return None
    usable = ROW_HEIGHT - 18  # room above the tallest bar for its number
    rows = []
    for index, entry in enumerate(board.per_caseworker):
        top = HEADER_HEIGHT + index * ROW_HEIGHT
        bars = []
        for week, count in enumerate(entry["weeks"]):
            height = round(usable * count / board.chart_max) if count else 0
            x = LABEL_WIDTH + week * WEEK_WIDTH + BAR_GAP // 2
            bottom = top + ROW_HEIGHT - 4
            bars.append(Bar(x, bottom - height, WEEK_WIDTH - BAR_GAP, height, count,
                            text_x=x + (WEEK_WIDTH - BAR_GAP) // 2, text_y=bottom - height - 3))
        user = entry["user"]
        rows.append(Row(user.get_full_name() or user.username, top, top + ROW_HEIGHT // 2 + 5, bars))
    return WeeklyLoad(
        width=LABEL_WIDTH + WEEK_WIDTH * len(board.weeks),
        height=HEADER_HEIGHT + ROW_HEIGHT * len(rows),
        weeks=[(LABEL_WIDTH + week * WEEK_WIDTH + WEEK_WIDTH // 2, day) for week, day in enumerate(board.weeks)],
        rows=rows,
    )
