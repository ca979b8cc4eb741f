"""An organisation's admin changes its settings on one page; each change is checked, saved and named in the
trail, and turning four-eyes off must be confirmed. Nobody else reaches the page."""

import pytest
from django.core.exceptions import ValidationError

from casework.audit.models import AccessEvent, Action
from casework.orgs.models import Organisation
from casework.orgs.services import ORGANISATION_SETTINGS, organisation_settings_update
from tests.pages import body, errors_shown, messages_shown

URL = "/org/settings/"
CURRENT = {"reminder_emails": "on", "idle_timeout_minutes": "30", "retention_years": "5", "four_eyes": "on",
           "quick_exit_url": ""}


def settings_of(org) -> dict:
    return dict(Organisation.objects.filter(pk=org.pk).values(*ORGANISATION_SETTINGS).get())


def trail(org):
    return list(AccessEvent.objects.filter(organisation=org, action=Action.ORG_SETTINGS).order_by("pk").values_list("actor__username", "detail"))


def save(client, **changes):
    data = {**CURRENT, **changes}
    return client.post(URL, {name: value for name, value in data.items() if value is not None}, follow=True)


def test_the_admin_finds_every_setting_with_its_value(login, dana, org):
    page = login(dana).get("/org/members/")
    assert f'href="{URL}"' in body(page)
    page = body(login(dana).get(URL))
    for name in ORGANISATION_SETTINGS:
        assert f'name="{name}"' in page
    assert 'name="idle_timeout_minutes" value="30"' in page and 'min="5"' in page and 'max="480"' in page
    assert "From 5 to 480." in page and "From 1 to 50." in page


def test_a_change_is_saved_and_the_trail_names_the_fields(login, dana, org):
    response = save(login(dana), idle_timeout_minutes="60", retention_years="10", reminder_emails=None)
    assert "Settings saved." in messages_shown(response)
    assert settings_of(org) == {"reminder_emails": False, "idle_timeout_minutes": 60, "retention_years": 10,
                                "four_eyes": True, "quick_exit_url": ""}
    assert trail(org) == [("dana", "changed=reminder_emails-idle_timeout_minutes-retention_years")]


def test_saving_without_a_change_records_nothing(login, dana, org):
    response = save(login(dana))
    assert "Nothing was changed." in messages_shown(response)
    assert trail(org) == []


@pytest.mark.parametrize("field, value, error", [
    ("idle_timeout_minutes", "4", "greater than or equal to 5"),
    ("idle_timeout_minutes", "481", "less than or equal to 480"),
    ("idle_timeout_minutes", "", "This field is required."),
    ("idle_timeout_minutes", "half an hour", "Enter a whole number."),
    ("idle_timeout_minutes", "9" * 10_000, "Enter a whole number."),
    ("retention_years", "0", "greater than or equal to 1"),
    ("retention_years", "51", "less than or equal to 50"),
    ("retention_years", "-3", "greater than or equal to"),
    ("retention_years", "x" * 10_000, "Enter a whole number."),
    ("quick_exit_url", "javascript:alert(1)", "Enter a web address that starts with https:// (or http://)."),
    ("quick_exit_url", "ftp://example.org/", "Enter a web address that starts with https:// (or http://)."),
    ("quick_exit_url", "https://" + "a" * 300 + ".example/", "at most 200 characters"),
])
def test_a_value_out_of_bounds_is_refused_and_nothing_changes(login, dana, org, field, value, error):
    before = settings_of(org)
    response = save(login(dana), **{field: value, "reminder_emails": None})
    assert response.status_code == 200
    assert error in errors_shown(response)
    assert settings_of(org) == before and trail(org) == []


def test_the_error_is_in_the_admins_language(login, dana, org):
    client = login(dana)
    client.cookies["django_language"] = "ru"
    response = save(client, idle_timeout_minutes="481")
    assert "Убедитесь, что это значение меньше либо равно 480." in errors_shown(response)


def test_turning_four_eyes_off_needs_the_confirmation(login, dana, org):
    client = login(dana)
    response = save(client, four_eyes=None)
    assert "Confirm that four-eyes should be turned off." in errors_shown(response)
    assert settings_of(org)["four_eyes"] is True and trail(org) == []

    response = save(client, four_eyes=None, confirm_four_eyes_off="on")
    assert "Settings saved." in messages_shown(response)
    assert settings_of(org)["four_eyes"] is False
    assert trail(org) == [("dana", "changed=four_eyes four_eyes=off")]
    # Off, there is nothing to confirm; turning it on again needs no confirmation either.
    assert 'name="confirm_four_eyes_off"' not in body(client.get(URL))
    save(client, four_eyes="on")
    assert settings_of(org)["four_eyes"] is True
    assert trail(org)[-1] == ("dana", "changed=four_eyes four_eyes=on")


@pytest.mark.parametrize("who", ["alice", "bob", "olga"])
def test_nobody_but_the_admin_reaches_the_page(request, login, org, dana, who):
    client = login(request.getfixturevalue(who))
    before = settings_of(org)
    assert client.get(URL).status_code == 404
    assert client.post(URL, {**CURRENT, "idle_timeout_minutes": "480"}).status_code == 404
    assert settings_of(org) == before and trail(org) == []
    assert f'href="{URL}"' not in body(client.get("/accounts/"))


def test_an_admin_changes_only_their_own_organisation(login, dana, frank, org, other_org):
    before = settings_of(other_org)
    save(login(frank), retention_years="20")
    assert settings_of(other_org)["retention_years"] == 20
    assert settings_of(org)["retention_years"] == 5
    assert before["retention_years"] == 5


def test_the_service_checks_what_a_script_passes(org, dana):
    with pytest.raises(ValidationError) as refused:
        organisation_settings_update(organisation=org, changed_by=dana, idle_timeout_minutes=2, retention_years="many")
    assert set(refused.value.message_dict) == {"idle_timeout_minutes", "retention_years"}
    with pytest.raises(TypeError):
        organisation_settings_update(organisation=org, changed_by=dana, name="Renamed")
    assert settings_of(org)["idle_timeout_minutes"] == 30 and trail(org) == []
    assert organisation_settings_update(organisation=org, changed_by=None, retention_years="7") == ["retention_years"]
    assert settings_of(org)["retention_years"] == 7 and trail(org) == [(None, "changed=retention_years")]
