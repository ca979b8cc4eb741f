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


# What building the cast and its cases through the services records (each write is audited where it happens).
SETUP_ACTIONS = {"Signed in", "Created an organisation", "Added a member", "Registered a client", "Opened a case"}


def without_sign_ins(listed: list[dict[str, str]]) -> list[dict[str, str]]:
    """Signing a test user in, and making the test's people, clients and cases, are themselves audited; most
    tests look past them."""
    return [row for row in listed if row["Action"] not in SETUP_ACTIONS]
