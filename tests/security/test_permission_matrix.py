"""Who reaches what: every URL of the project, requested by every kind of user, for a case of their
organisation, a case of an organisation they have nothing to do with, and a sensitive case — against
the status written in MATRIX below, which is the reviewable statement of the access rules.

The people (alice's organisation "Volga Help" unless said otherwise):
  assigned         alice, caseworker, assigned to the own case and to the sensitive case
  colleague        carol, caseworker, assigned to neither
  coordinator      bob, coordinator
  admin            dana, organisation admin
  partner_granted  charlie, caseworker of the partner organisation "Steppe Rights", granted the own case
                   by name, read only
  partner          erin, coordinator of the partner organisation, granted nothing by name (the
                   sensitive case is shared with her organisation as a whole, which opens nothing)
  anonymous        not signed in
The cases (tests/world.py; each with a client, an event, a note, a document, an asylum decision, a
deadline and a legal hold; URLs about a member or a calendar feed use those of the case's assignee):
  own        alice's asylum case
  foreign    a case of "Caspian Aid", an organisation none of them belongs to
  sensitive  alice's sensitive asylum case

Beside the status, no response shows the client (family name, given names, document number) of a case
whose personal data the role may not see (SEES_PERSONAL_DATA), whatever the status: for the admin,
whose role gives no client data, that is every page of the project.

A cell is one status for every case, or three ("own foreign sensitive"). "login": sent to the sign-in
page; "code": sent to type an authenticator code first. Views that only take POST are requested with
an empty POST, all others with GET; rows named "… POST" add a POST where its access differs from GET.
"""

import pytest
from django.test import Client as DjangoClient

from tests.conftest import VerifiedClient
from tests.security.routes import all_patterns, fill, parameters
from tests.world import CASES, CLIENTS

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

ROLES = ("assigned", "colleague", "coordinator", "admin", "partner_granted", "partner", "anonymous")
PEOPLE = {"assigned": "alice", "colleague": "carol", "coordinator": "bob", "admin": "dana", "partner_granted": "charlie",
          "partner": "erin"}
# Parameters that name something belonging to one of the cases: such URLs are requested once per case
# (an invitation link is a credential of its own, tested in tests/orgs; here an expired one for all).
CASE_PARAMETERS = {"reference", "public_id", "membership_id", "event_id", "document_id", "kind", "record_id",
                   "deadline_id", "hold_id", "token"}
POST_ONLY = {"logout", "case_revoke", "note_add", "member_end_sessions", "member_set_active", "member_invite_again",
             "member_role_withdraw", "role_request_decide",
             "recovery_codes_regenerate", "sign_out_everywhere", "platform_organisation_reactivate",
             "platform_organisation_admin_invite", "quick_exit"}
ENDS_THE_SESSION = {"logout", "sign_out_everywhere", "quick_exit"}

# Whose clients each role may see: the named people of a case, and the coordinator for cases not sensitive.
SEES_PERSONAL_DATA = {
    "assigned": {"own", "sensitive"}, "colleague": set(), "coordinator": {"own"}, "admin": set(),
    "partner_granted": {"own"}, "partner": set(), "anonymous": set(),
}

# fmt: off
MATRIX = {
    # row                        assigned       colleague      coordinator    admin          partner_granted partner       anonymous
    "home":                      ("302",         "302",         "302",         "302",         "302",         "302",         "login"),
    "login":                     ("302",         "302",         "302",         "302",         "302",         "302",         "200"),
    "logout":                    ("login",       "login",       "login",       "login",       "login",       "login",       "login"),
    "password_change":           ("200",         "200",         "200",         "200",         "200",         "200",         "login"),
    "password_reset_confirm":    ("200",         "200",         "200",         "200",         "200",         "200",         "200"),
    "password_reset_complete":   ("200",         "200",         "200",         "200",         "200",         "200",         "200"),
    "set_language":              ("302",         "302",         "302",         "302",         "302",         "302",         "302"),
    "healthz":                   ("200",         "200",         "200",         "200",         "200",         "200",         "200"),
    # Cases: 404 where the case is not visible, 403 where it is seen but the action is not allowed.
    "case_list":                 ("200",         "200",         "200",         "404",         "200",         "200",         "login"),
    "case_detail":               ("200 404 200", "404",         "200 404 200", "404",         "200 404 404", "404",         "login"),
    # The change history: field names only to the coordinator of a sensitive case not naming them, as the case page.
    "case_history":              ("200 404 200", "404",         "200 404 200", "404",         "200 404 404", "404",         "login"),
    "case_edit":                 ("200 404 200", "404",         "200 404 403", "404",         "403 404 404", "404",         "login"),
    "case_reassign":             ("403 404 403", "404",         "200 404 403", "404",         "403 404 404", "404",         "login"),
    "case_sharing":              ("404",         "404",         "404",         "200 404 200", "404",         "404",         "login"),
    "case_revoke":               ("404",         "404",         "404",         "302 404 302", "404",         "404",         "login"),
    "case_details_edit":         ("200 404 200", "404",         "200 404 403", "404",         "403 404 404", "404",         "login"),
    "case_reveal":               ("302 404 200", "404",         "302 404 404", "404",         "302 404 404", "404",         "login"),
    "case_status":               ("200 404 200", "404",         "200 404 403", "404",         "403 404 404", "404",         "login"),
    "event_add":                 ("200 404 200", "404",         "200 404 403", "404",         "403 404 404", "404",         "login"),
    "event_correct":             ("200 404 200", "404",         "200 404 403", "404",         "403 404 404", "404",         "login"),
    "note_add":                  ("302 404 302", "404",         "302 404 403", "404",         "403 404 404", "404",         "login"),
    "document_upload":           ("200 404 200", "404",         "200 404 403", "404",         "403 404 404", "404",         "login"),
    "document_download":         ("200 404 200", "404",         "200 404 404", "404",         "200 404 404", "404",         "login"),
    "record_add":                ("200 404 200", "404",         "200 404 403", "404",         "403 404 404", "404",         "login"),
    "record_edit":               ("200 404 200", "404",         "200 404 403", "404",         "403 404 404", "404",         "login"),
    "case_open":                 ("200 404 200", "404",         "200 404 404", "404",         "404",         "404",         "login"),
    "sharing_overview":          ("404",         "404",         "404",         "200",         "404",         "404",         "login"),
    # Deadlines of a sensitive case are shown to the coordinator on the case page itself, not here.
    "case_deadlines":            ("200 404 200", "404",         "200 404 404", "404",         "200 404 404", "404",         "login"),
    "deadline_create":           ("200 404 200", "404",         "200 404 403", "404",         "403 404 404", "404",         "login"),
    "deadline_detail":           ("200 404 200", "404",         "200 404 404", "404",         "200 404 404", "404",         "login"),
    "deadline_edit":             ("200 404 200", "404",         "200 404 403", "404",         "403 404 404", "404",         "login"),
    "deadline_complete":         ("200 404 200", "404",         "200 404 403", "404",         "403 404 404", "404",         "login"),
    "deadline_proposals":        ("200 404 200", "404",         "200 404 404", "404",         "200 404 404", "404",         "login"),
    "deadline_proposals POST":   ("200 404 200", "404",         "200 404 403", "404",         "403 404 404", "404",         "login"),
    "my_deadlines":              ("200",         "200",         "200",         "404",         "200",         "200",         "login"),
    "deadline_dashboard":        ("404",         "404",         "200",         "404",         "404",         "200",         "login"),
    "calendar_settings":         ("200",         "200",         "200",         "404",         "200",         "200",         "login"),
    # The secret address is the credential, for calendar applications that cannot sign in.
    "calendar_feed":             ("200",         "200",         "200",         "200",         "200",         "200",         "200"),
    "notification_list":         ("200",         "200",         "200",         "200",         "200",         "200",         "login"),
    # Clients: a client is seen with the cases whose personal data the user sees.
    "client_list":               ("200",         "200",         "200",         "404",         "200",         "200",         "login"),
    "client_create":             ("200",         "200",         "200",         "404",         "200",         "200",         "login"),
    "client_detail":             ("200 404 200", "404",         "200 404 404", "404",         "200 404 404", "404",         "login"),
    "client_history":            ("200 404 200", "404",         "200 404 404", "404",         "200 404 404", "404",         "login"),
    "client_edit":               ("200 404 200", "404",         "200 404 404", "404",         "302 404 404", "404",         "login"),
    "client_export":             ("200 404 200", "404",         "200 404 404", "404",         "404",         "404",         "login"),
    "client_erase":              ("200 404 200", "404",         "200 404 404", "404",         "404",         "404",         "login"),
    "legal_hold_add":            ("200 404 200", "404",         "200 404 404", "404",         "403 404 404", "404",         "login"),
    "legal_hold_release":        ("200 404 200", "404",         "200 404 404", "404",         "403 404 404", "404",         "login"),
    # Members: the admin's, of their own organisation only.
    "member_list":               ("404",         "404",         "404",         "200",         "404",         "404",         "login"),
    "member_create":             ("404",         "404",         "404",         "200",         "404",         "404",         "login"),
    "member_detail":             ("404",         "404",         "404",         "200 404 200", "404",         "404",         "login"),
    # Alice has no e-mail address and four-eyes is on: no link is sent or shown, the member page says why.
    "member_invite_again":       ("404",         "404",         "404",         "302 404 302", "404",         "404",         "login"),
    "member_end_sessions":       ("404",         "404",         "404",         "302 404 302", "404",         "404",         "login"),
    "member_set_active":         ("404",         "404",         "404",         "302 404 302", "404",         "404",         "login"),
    "member_role_withdraw":      ("404",         "404",         "404",         "302 404 302", "404",         "404",         "login"),
    # Roles waiting for confirmation: a coordinator decides their own organisation's (timur's, in Volga Help).
    "role_requests":             ("404",         "404",         "200",         "404",         "404",         "200",         "login"),
    "role_request_decide":       ("404",         "404",         "302 404 302", "404",         "404",         "404",         "login"),
    "audit_trail":               ("404",         "404",         "200",         "200",         "404",         "200",         "login"),
    "organisation_settings":     ("404",         "404",         "404",         "200",         "404",         "404",         "login"),
    # The platform operators' pages: no member of any organisation reaches them (tests/platform).
    "platform_organisations":    ("404",         "404",         "404",         "404",         "404",         "404",         "login"),
    "platform_organisation_open": ("404",        "404",         "404",         "404",         "404",         "404",         "login"),
    "platform_role_requests":    ("404",         "404",         "404",         "404",         "404",         "404",         "login"),
    "platform_organisation":     ("404",         "404",         "404",         "404",         "404",         "404",         "login"),
    "platform_organisation POST": ("404",        "404",         "404",         "404",         "404",         "404",         "login"),
    "platform_organisation_reactivate": ("404",  "404",         "404",         "404",         "404",         "404",         "login"),
    "platform_organisation_admin_invite": ("404", "404",        "404",         "404",         "404",         "404",         "login"),
    # One's own account.
    "two_factor_setup":          ("200",         "200",         "200",         "200",         "200",         "200",         "login"),
    "two_factor_verify":         ("200",         "200",         "200",         "200",         "200",         "200",         "login"),
    "recovery_codes_regenerate": ("200",         "200",         "200",         "200",         "200",         "200",         "login"),
    "account":                   ("200",         "200",         "200",         "200",         "200",         "200",         "login"),
    "sign_out_everywhere":       ("login",       "login",       "login",       "login",       "login",       "login",       "login"),
    "quick_exit":                ("302",         "302",         "302",         "302",         "302",         "302",         "302"),
}
# fmt: on


def expected(row: str, role: str, case: str) -> str:
    cells = MATRIX[row][ROLES.index(role)].split()
    return cells[0] if len(cells) == 1 else cells[CASES.index(case)]


def outcome(response) -> str:
    if response.status_code == 302:
        if response.url.startswith("/accounts/login/"):
            return "login"
        if response.url.startswith("/accounts/two-factor/"):
            return "code"
    return str(response.status_code)


def url_for(route: str, name: str, values: dict) -> str:
    if name == "password_reset_confirm":
        return fill(route, {"uidb64": "MQ", "token": "expired-link"})
    return fill(route, {**values, "token": values["calendar_token"]})


def rows_of_the_project():
    """(row, route, method) for every URL: GET, or POST for views that take only POST, plus the extra
    POST rows."""
    rows = []
    for route, name in all_patterns():
        rows.append((name, route, "post" if name in POST_ONLY else "get"))
        if f"{name} POST" in MATRIX:
            rows.append((f"{name} POST", route, "post"))
    return rows


def payload(row: str, values: dict) -> dict:
    if row == "deadline_proposals POST":
        # Dismissing without a reason: the form comes back with an error if the user may decide at all.
        return {"action": "dismiss", "rule_id": values["rule_id"]}
    return {}


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(role, shared_world):
    columns = shared_world.values
    user = shared_world.people[PEOPLE[role]] if role in PEOPLE else None
    browser = VerifiedClient() if user else DjangoClient()
    if user:
        browser.force_login(user)
    rows = rows_of_the_project()
    unknown = [row for row, _route, _method in rows if row not in MATRIX]
    hidden = [secret for case in CASES if case not in SEES_PERSONAL_DATA[role] for secret in CLIENTS[case]]
    observed, wrong = {}, []
    for row, route, method in rows:
        cells = []
        for case in CASES if set(parameters(route)) & CASE_PARAMETERS else CASES[:1]:
            url = url_for(route, row.split()[0], columns[case])
            response = getattr(browser, method)(url, payload(row, columns[case]))
            got = outcome(response)
            cells.append(got)
            content = b"".join(response) if response.streaming else response.content
            wrong.extend(f"{method.upper()} {url} ({row}) as {role} shows {secret}"
                         for secret in hidden if secret.encode() in content)
            if row in MATRIX and got != expected(row, role, case):
                wrong.append(f"{method.upper()} {url} ({row}, {case} case) as {role}: expected "
                             f"{expected(row, role, case)}, got {got}")
            if user and row.split()[0] in ENDS_THE_SESSION:
                browser.force_login(user)
        observed[row] = cells[0] if len(set(cells)) == 1 else " ".join(cells)
    stale = sorted(set(MATRIX) - {row for row, _route, _method in rows})
    assert not unknown, (
        f"URLs missing from MATRIX: add a row for each, with the status every role should get. Observed as "
        f"{role}:\n" + "\n".join(f"    {row!r}: {observed[row]!r}," for row in unknown)
    )
    assert not stale, f"MATRIX rows for URLs that no longer exist: {stale}"
    assert not wrong, "\n".join(wrong)
