"""A caseworker looks after how her account signs in, in a real browser, in English and in Russian, on a
desktop and on a phone: new recovery codes (a mistyped code first), the notice that tells her, and the
re-authentication that guards a password change and a new authenticator app.

Where axe-core is installed (AXE_CORE_JS, or node_modules/axe-core of this repository, or npm's global
folder: `npm install -g axe-core`), every screen is also checked for serious or critical accessibility
problems; CI does not install it, and then that check is skipped with a warning."""

from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from casework.security.models import Authenticator
from tests.security.flows import authenticator_code, pause_after_failures, wrong_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WORDS = {
    "en": {"account": "Your account", "recovery": "Make new recovery codes", "password": "Change password",
           "authenticator": "Set up a new authenticator app", "notifications": "Notifications",
           "mismatch": "The two password fields didn’t match.", "switch": "Switch"},
    "ru": {"account": "Ваша учётная запись", "recovery": "Создать новые резервные коды", "password": "Сменить пароль",
           "authenticator": "Подключить новое приложение-аутентификатор", "notifications": "Уведомления",
           "mismatch": "Введенные пароли не совпадают."},
}


def _error_next_to(page, field_id: str):
    """The error shown for a field: in the field's own block, below the input (after its help text)."""
    field = page.locator(f".field:has(#{field_id})")
    expect(field).to_have_class("field invalid")
    error = field.locator(".errors")
    expect(error).to_be_visible()
    # announced with the field: its describedby names the error list
    error_id = error.locator("ul.errorlist").get_attribute("id")
    assert error_id in page.locator(f"#{field_id}").get_attribute("aria-describedby").split()
    box, error_box = page.locator(f"#{field_id}").bounding_box(), error.bounding_box()
    assert 0 <= error_box["y"] - (box["y"] + box["height"]) < 80, (box, error_box)
    return error


def test_caseworker_makes_new_recovery_codes_and_is_told(page, alice, password, sign_in, screens):
    sign_in(page, "alice")
    device = Authenticator.objects.get(user=alice, confirmed=True)

    def round_trip(lang: str, *, code_wrong: str, error: str, second_factor: Callable[[], str], notice: str,
                   notices: int) -> list[str]:
        words = WORDS[lang]
        page.click("a.who")  # her name in the header opens her account page
        expect(page.locator("h1")).to_have_text(words["account"])
        screens(f"{lang}-1-account")

        page.get_by_role("link", name=words["recovery"]).click()
        expect(page.locator("h1")).to_have_text(words["recovery"])
        page.fill("#id_password", password)
        page.fill("#id_code", code_wrong)
        page.click("button.primary")
        expect(_error_next_to(page, "id_code")).to_have_text(error)
        screens(f"{lang}-2-recovery-wrong-code", in_sight=page.locator(".field.invalid .errors"))

        pause_after_failures(alice)  # a person takes a few seconds to retype it
        page.fill("#id_password", password)
        page.fill("#id_code", second_factor())
        page.click("button.primary")
        codes = page.locator("ul.codes code")
        expect(codes).to_have_count(10)
        screens(f"{lang}-3-recovery-codes")
        shown = [c.strip() for c in codes.all_inner_texts()]

        page.get_by_role("navigation").get_by_role("link", name=words["notifications"]).click()
        expect(page.locator("ul.notifications li").filter(has_text=notice)).to_have_count(notices)
        screens(f"{lang}-4-notifications")

        page.click("a.who")
        page.get_by_role("link", name=words["password"]).click()
        page.fill("#id_password", password)
        page.fill("#id_code", code_wrong)
        page.fill("#id_new_password1", "a new passphrase of mine")
        page.fill("#id_new_password2", "a new passphrase of mne")
        page.click("button.primary")
        expect(_error_next_to(page, "id_code")).to_have_text(error)
        expect(_error_next_to(page, "id_new_password2")).to_have_text(words["mismatch"])
        screens(f"{lang}-5-password-change-error", in_sight=page.locator(".field.invalid .errors").first)

        page.click("a.who")
        page.get_by_role("link", name=words["authenticator"]).click()
        expect(page.locator("h1")).to_have_text(words["authenticator"])
        expect(page.locator("#id_password")).to_be_visible()
        expect(page.locator("#id_code")).to_be_visible()
        screens(f"{lang}-6-new-authenticator-reauthenticate")
        return shown

    codes = round_trip(
        "en", code_wrong=wrong_code(device),
        error="This code is not correct. Check the time on your phone and try again.",
        # sign-in used this 30-second step's code: the app's next one
        second_factor=lambda: authenticator_code(device, steps_ahead=1),
        notice="New recovery codes were made for your account", notices=1,
    )

    page.select_option("#language", "ru")  # the header's switcher, on the page she is on
    page.get_by_role("button", name=WORDS["en"]["switch"]).click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "ru"
    pause_after_failures(alice)

    round_trip(
        "ru", code_wrong=wrong_code(device),
        error="Неверный код. Проверьте время на телефоне и попробуйте ещё раз.",
        # the authenticator's codes for now are used up: one of the recovery codes just made
        second_factor=lambda: codes[0],
        notice="Для вашей учётной записи созданы новые резервные коды", notices=2,
    )
    screens.assert_accessible()
