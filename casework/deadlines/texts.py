"""User-facing words for what the engine says in codes or in English data.

The engine stays free of Django, so translation happens here. Rule titles, variant labels and the
Rule 39 checklist live in ruleset.yaml; each is repeated below with gettext_noop so that `make messages`
extracts it, and tests/deadlines/test_texts.py checks that this list covers the ruleset.
"""

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from casework.deadlines import rules
from casework.orgs.models import JURISDICTIONS

VERIFY = _("Verify before relying on this date.")

WARNING_TEXTS = {
    "unconfirmed_rule": _("This rule is not confirmed against a primary legal text: verify before relying on it."),
    "roll_forward_unconfirmed": _(
        "The last day, %(nominal)s, is a non-working day. It is not confirmed that the deadline moves to the next "
        "working day, so the earlier date is shown."
    ),
    "month_end_convention": _(
        "The corresponding date does not exist in that month; the last day of the month (%(nominal)s) is used, "
        "the cautious reading."
    ),
    "start_day_unconfirmed": _("The source does not confirm that day 1 is the day after the event; this is assumed."),
    "day_type_unconfirmed": _(
        "It is not confirmed whether the period counts calendar or working days; calendar days (the earlier date) "
        "are used."
    ),
    "no_holiday_data": _(
        "Days off moved by decree in %(country)s are not yet known for the dates this deadline depends on; the "
        "working days used may be wrong."
    ),
    "not_a_hard_deadline": _(
        "This date is not an absolute filing deadline (a guideline or the end of a ban); read the rule's notes."
    ),
}
UNKNOWN_WARNING = _("The deadline engine has a doubt about this date: verify before relying on it.")


def warning_messages(codes: list[str], *, rule_id: str, nominal: datetime.date | None) -> list[str]:
    """The warnings stored with a deadline, as sentences in the user's language."""
    country = ""
    if "no_holiday_data" in codes:
        country = dict(JURISDICTIONS).get(rules.get_rule(rule_id).jurisdiction[0], "")
    params = {"nominal": date_format(nominal) if nominal else "", "country": country}
    return [str(WARNING_TEXTS.get(code, UNKNOWN_WARNING)) % params for code in codes]


def rule_text(text: str) -> str:
    """A title or checklist line from the ruleset, translated when the catalogue has it."""
    return gettext(text)


def rule_title(rule_id: str) -> str:
    try:
        return rule_text(rules.get_rule(rule_id).title)
    except rules.UnknownRule:  # a rule retired from the ruleset still names its old deadlines
        return rule_id


RULE_TEXTS = (
    gettext_noop('Application to the European Court of Human Rights (final domestic decision on/after 1 Feb 2022)'),
    gettext_noop('Old six-month limit - final domestic decision taken BEFORE 1 Feb 2022'),
    gettext_noop('Human Rights Committee (ICCPR OP1) - delay threshold (abuse of right of submission)'),
    gettext_noop('5 years from exhaustion of domestic remedies'),
    gettext_noop('3 years from the conclusion of another procedure of international investigation or settlement'),
    gettext_noop('Belarus - no new HRC communications after 8 Feb 2023'),
    gettext_noop('CERD individual petition - six months'),
    gettext_noop('Appeal against refusal to examine on merits / refusal of refugee status / refusal of temporary asylum / loss or deprivation'),
    gettext_noop('Alternative limit - 3 months from the day the person learned of the refusal'),
    gettext_noop('Obligation to leave after complaint rejected'),
    gettext_noop('Complaint against a ruling in an administrative-offence case (incl. administrative expulsion / vydvorenie)'),
    gettext_noop("Administrative claim against MVD decisions (deportation decision, entry ban, 'undesirability', refugee refusal in court)"),
    gettext_noop('Appeal (апелляционная жалоба) in administrative cases'),
    gettext_noop('Cassation complaint in administrative cases'),
    gettext_noop("Complaint to regional court against Prosecutor General's extradition decision"),
    gettext_noop('Appeal against the first-instance court ruling (incl. ruling on extradition complaint)'),
    gettext_noop('Appeal in civil cases (incl. labour disputes)'),
    gettext_noop('Private complaint (частная жалоба) against a court ruling (определение)'),
    gettext_noop('Cassation in civil cases (cassation court of general jurisdiction)'),
    gettext_noop('Individual labour dispute - general limit'),
    gettext_noop('Dismissal dispute (reinstatement)'),
    gettext_noop('Non-payment / underpayment of wages and other sums (incl. final settlement on dismissal)'),
    gettext_noop('Notification of arrival (migration registration at place of stay)'),
    gettext_noop('Entry ban after administrative expulsion / deportation / readmission transfer'),
    gettext_noop('First expulsion/deportation (5 years)'),
    gettext_noop('Repeated expulsion/deportation (10 years)'),
    gettext_noop('Reinstatement - to conciliation commission'),
    gettext_noop('Reinstatement - direct to court (employers without conciliation commission: micro-enterprises, NGOs <=15 staff, domestic workers, etc.)'),
    gettext_noop('Other labour disputes incl. unpaid wages'),
    gettext_noop('Lodging the asylum application'),
    gettext_noop('Refugee status renewal (FIDH 2009: renewed yearly)'),
    gettext_noop('Limitation period for wage-recovery disputes (new Labour Code 2025)'),
    gettext_noop('Right to stay until 15 days after rejection becomes irrevocable'),
    gettext_noop('Appeal against asylum decisions (Law on International Protection, new law 26 Jun 2025)'),
    gettext_noop('Inadmissibility decision (7 days; no suspensive effect)'),
    gettext_noop('Rejection in the accelerated procedure (10 days; no suspensive effect)'),
    gettext_noop('Rejection in the regular procedure (10 days; suspensive; free state lawyer)'),
    gettext_noop('Appeal against refusal to accept an application / refusal to process documents'),
    gettext_noop('Appeal against refusal of refugee / complementary protection status'),
    gettext_noop('Rule 39 request (stop removal/extradition)'),
    gettext_noop("In bold on first page: 'Rule 39 - Urgent' + person to contact (name, contact details, phone)"),
    gettext_noop("Expulsion/extradition: 'Scheduled date and time of removal and destination'"),
    gettext_noop("Applicant's address or place of detention, official (domestic) case reference number"),
    gettext_noop('Detailed reasons: specific grounds of fear, nature of risk, Convention articles (usually Arts. 2, 3)'),
    gettext_noop('Copies of all relevant domestic decisions and supporting material; a mere reference to domestic submissions is insufficient'),
    gettext_noop('If final domestic decision is imminent: file before it, state the date it will be taken and that the request is conditional on it being negative'),
    gettext_noop('Notify the Court immediately of any change (removal date, address) and of withdrawal if removal is cancelled'),
    gettext_noop('ECHR Rule 39 Site: https://r39.echr.coe.int (exclusively for interim-measure requests)'),
    gettext_noop('Fax: +33 3 90 21 43 50 or +33 3 88 41 39 00 (split faxes > 10 pages)'),
    gettext_noop('Post: European Court of Human Rights, Council of Europe, 67075 Strasbourg Cedex, France'),
    gettext_noop('NOT e-mail (requests by e-mail are not dealt with)'),
    gettext_noop('UN treaty-body interim measures (stop removal)'),
)
