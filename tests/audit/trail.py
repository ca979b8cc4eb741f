"""Reading the audit trail page the way a coordinator does: one dict per row, by column."""

import re

from tests.pages import body, text

_TBODY = re.compile(r"<tbody>(.*?)</tbody>", re.S)
_CELL = re.compile(r'<td data-label="([^"]+)">(.*?)</td>', re.S)


def rows(response) -> list[dict[str, str]]:
    tbody = _TBODY.search(body(response))
    if tbody is None:
        return []
    return [
        {label: text(cell) for label, cell in _CELL.findall(row)}
        for row in tbody.group(1).split("</tr>")
        if "<td" in row
    ]


def shown(user) -> str:
    """A person as the trail names them."""
    return user.get_full_name() or user.username


def without_sign_ins(listed: list[dict[str, str]]) -> list[dict[str, str]]:
    """Signing a test user in is itself audited; most tests look past it."""
    return [row for row in listed if row["Action"] != "Signed in"]
