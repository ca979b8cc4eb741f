"""Issue 12's journey in a real browser: a platform operator creates an organisation → its first admin accepts
the invitation from the e-mail, sets up two factors and reaches the members page → adds the organisation's
first coordinator, whom (nobody inside being able to) the operator confirms → the coordinator accepts their
invitation with two factors → the admin adds a caseworker, who cannot sign in until the coordinator, told by
e-mail and in the navigation, confirms → the caseworker reaches the clients → the admin's trail shows each
step and who took it; the admin's settings page; the operator suspends and reactivates the organisation.
Every screen in English and in Russian, on a desktop and on a phone (none scrolling sideways where checked),
checked with axe where it is installed.

`Onboarding` holds one method a step, each leaving its browsers where the next one begins, so later steps
are appended there."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from casework.orgs.models import Membership, Organisation
from tests.e2e.conftest import DESKTOP, PHONE, Screens

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LINK = re.compile(r"https?://[^/\s]+(/accounts/invitation/\S+/)")
WORDS = {
    "en": {"organisations": "Organisations", "create": "Create an organisation", "switch": "Switch",
           "required": "This field is required.", "members": "Members", "settings": "Organisation settings",
           "bound": "Ensure this value is less than or equal to 480.", "confirm": "Tick the box to confirm the suspension."},
    "ru": {"organisations": "Организации", "create": "Создать организацию", "switch": "Сменить",
           "required": "Обязательное поле.", "members": "Участники", "settings": "Настройки организации",
           "bound": "Убедитесь, что это значение меньше либо равно 480.",
           "confirm": "Отметьте поле, чтобы подтвердить приостановку."},
}


class Onboarding:
    """The operator's browser is `operator`; each invited person's, once invited, `admin`, `coordinator` and
    `caseworker` (each with its screens)."""

    def __init__(self, *, browser, live_server, page, shot, screens, sign_in, password, operator_name):
        self.browser, self.live_server, self.shot, self.sign_in, self.password = (
            browser, live_server, shot, sign_in, password)
        self.operator_name = operator_name
        self.operator, self.operator_screens = page, screens
        self.admin = self.admin_screens = self.coordinator = self.coordinator_screens = None
        self.caseworker = self.caseworker_screens = None

    def _browser_for(self, who: str):
        """A browser of their own (a new context: no cookies shared) and its screens, named `who`."""
        context = self.browser.new_context(base_url=self.live_server.url, locale="en-GB", viewport=DESKTOP)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page, Screens(page, self.shot, f"{self.operator_screens.name}-{who}")

    def _accept_invitation(self, page, address: str):
        """Open the set-password link e-mailed to `address` and choose a password."""
        [message] = [m for m in mail.outbox if m.to == [address] and LINK.search(m.body)]
        page.goto(LINK.search(message.body).group(1))
        page.fill("#id_new_password1", self.password)
        page.fill("#id_new_password2", self.password)
        page.click("button.primary")
        expect(page).to_have_url(re.compile(r"/accounts/invitation/done/$"))

    @staticmethod
    def _switch(page, lang: str):
        page.select_option("#language", lang)
        page.get_by_role("button", name=WORDS["en" if lang == "ru" else "ru"]["switch"]).click()
        expect(page.locator("html")).to_have_attribute("lang", lang)

    def _in_both_languages(self, page, screens, step: str, *, in_sight=None):
        """The screen as it is now, in English, then reloaded in Russian, then back in English; on a phone
        neither scrolls sideways."""
        for lang in ("en", "ru"):
            if lang == "ru":
                self._switch(page, "ru")
            screens(f"{lang}-{step}", in_sight=in_sight)
            page.set_viewport_size(PHONE)
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], f"{lang}-{step}"
            page.set_viewport_size(DESKTOP)
        self._switch(page, "en")

    def operator_signs_in(self):
        self.sign_in(self.operator, "olga")
        expect(self.operator).to_have_url(re.compile(r"/platform/$"))
        expect(self.operator.locator("h1")).to_have_text("Organisations")

    def operator_creates_the_organisation(self):
        page = self.operator
        page.get_by_role("link", name="Create an organisation").click()
        page.click("button.primary")  # everything empty first
        expect(page.locator(".field.invalid")).to_have_count(5)  # all but the language, which has a default
        page.fill("#id_name", "Ферғана Ҳуқуқ")
        page.fill("#id_slug", "fergana")
        page.select_option("#id_country", "UZ")
        page.fill("#id_admin_username", "nodira")
        page.fill("#id_admin_email", "nodira@example.org")
        page.click("button.primary")
        expect(page.locator("h1")).to_have_text("Ферғана Ҳуқуқ")
        expect(page.locator(".messages")).to_contain_text("Its first admin was sent an invitation by e-mail.")
        assert Organisation.objects.get(slug="fergana").memberships.get().user.username == "nodira"
        expect(page.get_by_role("button", name="Send the invitation again")).to_be_visible()  # until she sets one
        self._in_both_languages(page, self.operator_screens, "operator-6-admin-not-yet-signed-in")

    def admin_accepts_the_invitation(self):
        [message] = mail.outbox
        assert message.to == ["nodira@example.org"]
        self.admin, self.admin_screens = self._browser_for("admin")
        self._accept_invitation(self.admin, "nodira@example.org")

    def admin_sets_up_two_factors_and_reaches_the_members(self):
        self.sign_in(self.admin, "nodira")  # the first sign-in enrols the authenticator app
        expect(self.admin).to_have_url(re.compile(r"/org/members/$"))
        expect(self.admin.locator("table.list")).to_contain_text("nodira")

    def admin_opens_the_settings(self):
        page = self.admin
        page.get_by_role("navigation").get_by_role("link", name="Settings").click()
        expect(page.locator("#id_idle_timeout_minutes")).to_have_value("30")
        expect(page.locator("#id_four_eyes")).to_be_checked()

    def admin_adds_the_first_coordinator(self):
        """Four-eyes is on in a new organisation: the coordinator waits, and nobody inside can confirm them."""
        page = self.admin
        page.goto("/org/members/new/")
        page.fill("#id_username", "timur")
        page.fill("#id_email", "timur@example.org")
        page.select_option("#id_role", "coordinator")
        page.click("button.primary")
        expect(page.locator(".messages")).to_contain_text("They can sign in once a coordinator confirms their role.")
        assert not Membership.objects.get(user__username="timur").is_active

    def operator_confirms_the_coordinator(self):
        page = self.operator
        page.goto("/platform/")
        page.get_by_role("navigation").get_by_role("link", name="To confirm").click()
        request = page.locator("article.proposal").filter(has_text="timur")
        expect(request).to_contain_text("Ферғана Ҳуқуқ")
        self.operator_screens("en-operator-4-role-to-confirm")
        request.locator("button[value=confirm]").click()
        expect(page.locator(".messages")).to_contain_text("Role confirmed.")
        assert Membership.objects.get(user__username="timur").is_active

    def coordinator_accepts_the_invitation_with_two_factors(self):
        self.coordinator, self.coordinator_screens = self._browser_for("coordinator")
        self._accept_invitation(self.coordinator, "timur@example.org")
        self.sign_in(self.coordinator, "timur")  # enrols the authenticator app
        expect(self.coordinator.locator(".session")).to_contain_text("Coordinator")

    def admin_adds_a_caseworker(self):
        """The organisation has a coordinator now: the caseworker waits for them, not for the operator."""
        page = self.admin
        page.goto("/org/members/new/")
        page.fill("#id_username", "farida")
        page.fill("#id_email", "farida@example.org")
        page.select_option("#id_role", "caseworker")
        page.click("button.primary")
        expect(page.locator(".messages")).to_contain_text("They can sign in once a coordinator confirms their role.")
        expect(page.locator("#pending")).to_be_visible()
        self._in_both_languages(page, self.admin_screens, "admin-6-caseworker-waiting")

    def caseworker_sets_a_password_but_cannot_sign_in_yet(self):
        self.caseworker, self.caseworker_screens = self._browser_for("caseworker")
        page = self.caseworker
        self._accept_invitation(page, "farida@example.org")
        for lang in ("en", "ru"):
            page.goto("/accounts/login/")
            if lang == "ru":
                self._switch(page, "ru")
            page.fill("#id_username", "farida")
            page.fill("#id_password", self.password)
            page.click("button.primary")
            expect(page).to_have_url(re.compile(r"/accounts/login/$"))
            refusal = page.locator(".errors, .messages").first
            expect(refusal).to_be_visible()
            self.caseworker_screens(f"{lang}-caseworker-1-sign-in-refused", in_sight=refusal)
        self._switch(page, "en")
        assert not Membership.objects.get(user__username="farida").is_active

    def coordinator_is_told_and_confirms(self):
        """A count and a link, in the app and by e-mail: never who or which role."""
        [notice] = [m for m in mail.outbox if m.to == ["timur@example.org"] and not LINK.search(m.body)]
        assert "1 request for access to client data is waiting for your confirmation." in notice.body
        assert "farida" not in notice.subject + notice.body
        page = self.coordinator
        page.goto("/")
        navigation = page.get_by_role("navigation")
        expect(navigation.get_by_role("link", name="Notifications 1")).to_be_visible()
        navigation.get_by_role("link", name="To confirm 1").click()
        request = page.locator("article.proposal").filter(has_text="farida@example.org")
        expect(request).to_contain_text("nodira")  # who asked
        self._in_both_languages(page, self.coordinator_screens, "coordinator-1-to-confirm")
        request.locator("button[value=confirm]").click()
        expect(page.locator(".messages")).to_contain_text("Role confirmed.")
        expect(page.locator("article.proposal")).to_have_count(0)
        expect(page.locator("table.list")).to_contain_text("farida")
        self._in_both_languages(page, self.coordinator_screens, "coordinator-2-confirmed")

    def caseworker_signs_in_and_reaches_the_clients(self):
        page = self.caseworker
        self.sign_in(page, "farida")  # enrols the authenticator app
        page.get_by_role("navigation").get_by_role("link", name="Clients").click()
        expect(page).to_have_url(re.compile(r"/clients/$"))
        expect(page.locator(".session")).to_contain_text("Caseworker")
        self._in_both_languages(page, self.caseworker_screens, "caseworker-2-clients")

    # Each step of the journey, oldest first, as the admin's trail names it: (who, action); "olga" stands for
    # the operator's full name, which the trail shows.
    STEPS = [
        ("olga", "Created an organisation"), ("olga", "Added a member"), ("olga", "Sent an invitation"),
        ("nodira", "Signed in"), ("nodira", "Set up an authenticator app"),
        ("nodira", "Added a member"), ("nodira", "Asked for a client-data role"), ("nodira", "Sent an invitation"),
        ("olga", "Confirmed a client-data role"),
        ("timur", "Signed in"), ("timur", "Set up an authenticator app"),
        ("nodira", "Added a member"), ("nodira", "Asked for a client-data role"), ("nodira", "Sent an invitation"),
        ("farida", "Failed sign-in"), ("farida", "Failed sign-in"),
        ("timur", "Confirmed a client-data role"),
        ("farida", "Signed in"), ("farida", "Set up an authenticator app"),
    ]

    def admin_sees_each_step_in_the_trail(self):
        page = self.admin
        page.goto("/org/audit/")
        expect(page.locator("table.list tbody tr").first).to_be_visible()
        rows = page.locator("table.list tbody tr").evaluate_all(
            "rows => rows.map(row => [row.querySelector('[data-label=Who]').innerText.trim(),"
            " row.querySelector('[data-label=Action]').innerText.trim()])")
        shown = [tuple(row) for row in reversed(rows)]  # the trail is newest first
        expected = [(self.operator_name if who == "olga" else who, action) for who, action in self.STEPS]
        assert shown == expected
        self._in_both_languages(page, self.admin_screens, "admin-7-trail")

    def screens_in(self, lang: str):
        """The operator's and the admin's screens in `lang`: lists, forms with their errors, settings."""
        words = WORDS[lang]
        for page in (self.operator, self.admin):
            if page.locator("html").get_attribute("lang") != lang:
                self._switch(page, lang)
        operator, screens = self.operator, self.operator_screens
        operator.goto("/platform/")
        expect(operator.locator("h1")).to_have_text(words["organisations"])
        screens(f"{lang}-operator-1-organisations")
        operator.locator("a.button.primary").click()
        expect(operator.locator("h1")).to_have_text(words["create"])
        operator.fill("#id_slug", "")
        operator.click("button.primary")
        expect(operator.locator(".field.invalid .errors").first).to_have_text(words["required"])
        screens(f"{lang}-operator-2-create-errors", in_sight=operator.locator(".field.invalid .errors").first)
        operator.goto("/platform/organisations/fergana/")
        operator.locator("button.danger").click()  # without ticking the box
        expect(operator.locator(".field.invalid .errors")).to_have_text(words["confirm"])
        screens(f"{lang}-operator-3-organisation")
        operator.goto("/platform/roles/")
        screens(f"{lang}-operator-5-roles-none-waiting")

        admin = self.admin_screens
        self.admin.goto("/org/members/")
        expect(self.admin.locator("h1")).to_have_text(words["members"])
        admin(f"{lang}-admin-1-members")
        self.admin.goto("/org/settings/")
        expect(self.admin.locator("h1")).to_have_text(words["settings"])
        admin(f"{lang}-admin-2-settings")
        self.admin.fill("#id_idle_timeout_minutes", "10000")
        self.admin.click("button.primary")
        expect(self.admin.locator(".field.invalid .errors")).to_have_text(words["bound"])
        admin(f"{lang}-admin-3-settings-error", in_sight=self.admin.locator(".field.invalid .errors"))

    def operator_suspends_and_reactivates(self):
        operator = self.operator
        operator.goto("/platform/organisations/fergana/")
        operator.check("#id_confirm")
        operator.locator("button.danger").click()
        self.admin.goto("/org/members/")
        expect(self.admin).to_have_url(re.compile(r"/accounts/login/"))
        expect(self.admin.locator(".messages li")).to_have_count(1)  # why: the organisation is suspended
        self.admin_screens("ru-admin-4-signed-out-suspended")
        self.admin.fill("#id_username", "nodira")
        self.admin.fill("#id_password", self.password)
        self.admin.click("button.primary")
        expect(self.admin.locator(".errors")).to_have_count(1)
        self.admin_screens("ru-admin-5-sign-in-refused", in_sight=self.admin.locator(".errors"))
        operator.locator("form[action$='/reactivate/'] button").click()
        assert Organisation.objects.get(slug="fergana").suspended_at is None

    def close(self):
        for page in (self.admin, self.coordinator, self.caseworker):
            if page is not None:
                page.context.close()


@pytest.fixture
def onboarding(browser, live_server, page, shot, screens, sign_in, password, olga):
    journey = Onboarding(browser=browser, live_server=live_server, page=page, shot=shot, screens=screens,
                         sign_in=sign_in, password=password, operator_name=olga.get_full_name() or olga.username)
    yield journey
    journey.close()


def test_onboarding(onboarding):
    """Operator creates an organisation → its admin accepts the invitation with two-factor enrolment → reaches
    the members page → adds the first coordinator → with no coordinator inside yet, the operator confirms →
    the coordinator accepts their invitation with two-factor enrolment → the admin adds a caseworker, who
    sets a password but cannot sign in → the coordinator is told and confirms → the caseworker signs in and
    reaches the clients → the admin's trail shows each step and who took it."""
    onboarding.operator_signs_in()
    onboarding.operator_creates_the_organisation()
    onboarding.admin_accepts_the_invitation()
    onboarding.admin_sets_up_two_factors_and_reaches_the_members()
    onboarding.admin_opens_the_settings()
    assert Membership.objects.get(user__username="nodira").role == "org_admin"
    onboarding.admin_adds_the_first_coordinator()
    onboarding.operator_confirms_the_coordinator()
    onboarding.coordinator_accepts_the_invitation_with_two_factors()
    onboarding.admin_adds_a_caseworker()
    onboarding.caseworker_sets_a_password_but_cannot_sign_in_yet()
    onboarding.coordinator_is_told_and_confirms()
    onboarding.caseworker_signs_in_and_reaches_the_clients()
    onboarding.admin_sees_each_step_in_the_trail()
    for lang in ("en", "ru"):
        onboarding.screens_in(lang)
    onboarding.operator_suspends_and_reactivates()
    for screens in (onboarding.operator_screens, onboarding.admin_screens, onboarding.coordinator_screens,
                    onboarding.caseworker_screens):
        screens.assert_accessible()
