"""Load the fictional demo organisations, members, clients and cases from fixtures/demo.yaml, or, when
they are loaded already, bring their dates up to today.

The file's dates describe the day named `as_of`. Loading shifts them to today, and running the command again
on a later day shifts the demo organisations' cases, timelines, records and deadlines by the days gone by
(rule deadlines recomputed by the engine, so none falls on a day off), and puts the scheduled removal back to
its hours ahead: the demo always shows an urgent removal and proposals waiting, however long after it was
loaded. The refresh is demo upkeep, not casework: it writes no audit events.
"""


import datetime
from decimal import Decimal

import yaml
from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.utils import timezone

from casework.cases import services as case_services
from casework.cases.models import RECORD_KINDS, Case
from casework.clients.services import client_create
from casework.deadlines import rules
from casework.deadlines.models import Deadline
from casework.deadlines.services import deadline_create_manual, next_due_refresh, reminders_schedule
from casework.orgs.models import Organisation
from casework.orgs.services import member_create, organisation_create

# Models whose dates follow the demo's day, and the path from each to its organisation.
_SHIFTED_APPS = ("cases", "deadlines")
_ORGANISATION_PATHS = ("organisation", "case__organisation", "deadline__organisation")

DEMO_FILE = settings.BASE_DIR / "fixtures" / "demo.yaml"


class Command(BaseCommand):
    help = "Load fictional demo data (local use only; refuses to run with DEBUG off unless --force)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Demo data is for local use: DEBUG is off (use --force to insist).")
        demo = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))
        if Organisation.objects.filter(slug=demo["organisations"][0]["slug"]).exists():
            days = self._refresh(demo)
            self.stdout.write(f"Demo data already loaded; its dates moved on by {days} days." if days
                              else "Demo data already loaded and up to date.")
        else:
            self._load(demo)
        self.stdout.write(f"Demo logins (password '{demo['password']}'):")
        for member in demo["members"]:
            self.stdout.write(f"  {member['username']:8} {member['role']:12} {member['organisation']}")
        self.stdout.write("Each login sets up an authenticator app on its first sign-in (any TOTP app reads the QR code);"
                          " instead of a phone, `.venv/bin/python -m casework.democode alice` prints a login's code.")

    @transaction.atomic
    def _load(self, demo):
        shift = timezone.localdate() - demo["as_of"]
        orgs = {o["slug"]: organisation_create(**o, created_by=None) for o in demo["organisations"]}
        users = {}
        for m in demo["members"]:
            membership = member_create(
                organisation=orgs[m["organisation"]], password=demo["password"], created_by=None,
                **{k: v for k, v in m.items() if k != "organisation"},
            )
            users[m["username"]] = membership.user
        clients = {}
        for c in demo["clients"]:
            fields = {k: v for k, v in c.items() if k not in ("key", "organisation", "created_by")}
            clients[c["key"]] = client_create(
                organisation=orgs[c["organisation"]], created_by=users[c["created_by"]], **fields
            )
        for spec in demo["cases"]:
            self._case(_shifted(spec, shift), clients[spec["client"]], users[spec["assigned_to"]])
        _proposals_made_when_recorded(list(orgs.values()))

    @transaction.atomic
    def _refresh(self, demo) -> int:
        """Shift the demo organisations' dates by the days since they were last brought up to date."""
        slugs = [o["slug"] for o in demo["organisations"]]
        first = demo["cases"][0]
        first_org = next(c["organisation"] for c in demo["clients"] if c["key"] == first["client"])
        loaded = Case.objects.filter(organisation__slug=first_org).order_by("pk").first()
        if loaded is None:
            return 0
        days = (timezone.localdate() - demo["as_of"]) - (loaded.opened_on - first["opened_on"])
        if days:
            for model in (m for name in _SHIFTED_APPS for m in apps.get_app_config(name).get_models()):
                _shift_rows(model, slugs, days)
            _recompute_rule_deadlines(slugs)
        # The demo's one scheduled removal goes back to its hours ahead (the file has one).
        if hours := next((s["details"]["removal_in_hours"] for s in demo["cases"]
                          if "removal_in_hours" in s.get("details", {})), None):
            for case in Case.objects.filter(organisation__slug__in=slugs, removal_at__isnull=False):
                case_services.details_update(case=case, changed_by=case.assigned_to, scheduled_removal_at=_hours_ahead(hours))
        return days.days

    def _case(self, spec, client, user):
        case = case_services.case_create(
            organisation=client.organisation, client=client, case_type=spec["case_type"],
            jurisdiction=spec["jurisdiction"], assigned_to=user, created_by=user,
            is_sensitive=spec.get("is_sensitive", False), opened_on=spec["opened_on"],
            removal_kind=spec.get("removal_kind", ""),
        )
        details = dict(spec.get("details", {}))
        if hours := details.pop("removal_in_hours", None):
            # Relative to now, so the demo always shows an urgent removal.
            details["scheduled_removal_at"] = _hours_ahead(hours)
        if "amount_owed" in details:
            details["amount_owed"] = Decimal(details["amount_owed"])
            details["amount_recovered"] = Decimal(details.get("amount_recovered", "0"))
        case_services.details_update(case=case, changed_by=case.assigned_to, **details)
        for event in spec.get("events", []):
            case_services.event_record(case=case, recorded_by=user, **event)
        for kind, records in spec.get("records", {}).items():
            for record in records:
                case_services.record_add(case=case, changed_by=case.assigned_to, model=RECORD_KINDS[kind][0], **record)
        for text in spec.get("notes", []):
            case_services.note_add(case=case, text=text, author=user)
        for deadline in spec.get("deadlines", []):
            deadline_create_manual(case=case, created_by=user, **deadline)
        if outcome := spec.get("close"):
            case_services.case_set_status(case=case, status=Case.Status.CLOSED, outcome=outcome, changed_by=user)


def _hours_ahead(hours: int) -> datetime.datetime:
    return (timezone.now() + datetime.timedelta(hours=hours)).replace(minute=0, second=0, microsecond=0)


def _shifted(value, shift: datetime.timedelta):
    """The spec with every date in it moved by `shift` (yaml reads dates as datetime.date)."""
    if isinstance(value, dict):
        return {key: _shifted(item, shift) for key, item in value.items()}
    if isinstance(value, list):
        return [_shifted(item, shift) for item in value]
    return value + shift if isinstance(value, datetime.date) else value


def _proposals_made_when_recorded(organisations) -> None:
    """A demo proposal has waited since the day after its event, as if the event had been entered then
    (capped at now), and its reminders follow from that."""
    now = timezone.now()
    for deadline in Deadline.objects.filter(organisation__in=organisations, status=Deadline.Status.PROPOSED) \
            .select_related("trigger_event"):
        made = timezone.make_aware(datetime.datetime.combine(
            deadline.trigger_event.occurred_on + datetime.timedelta(days=1), datetime.time(10)))
        Deadline.objects.filter(pk=deadline.pk).update(created_at=min(made, now))
        reminders_schedule(deadline=deadline)


def _shift_rows(model, slugs: list[str], days: datetime.timedelta) -> None:
    fields = [f.name for f in model._meta.concrete_fields if isinstance(f, models.DateField)]
    path = next((p for p in _ORGANISATION_PATHS if _has_path(model, p)), None)
    if not fields or path is None:
        return
    # Row by row (a demo's few dozen): encrypted dates cannot go through bulk_update's CASE expression.
    for row in model.objects.filter(**{f"{path}__slug__in": slugs}).only("pk", *fields):
        for name in fields:
            if (value := getattr(row, name)) is not None:
                setattr(row, name, value + days)
        row.save(update_fields=fields)


def _has_path(model, path: str) -> bool:
    for name in path.split("__"):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return False
        model = field.related_model
        if model is None:
            return False
    return True


def _recompute_rule_deadlines(slugs: list[str]) -> None:
    """Shifted by whole days, a rule deadline may land on a day off: recompute it from its shifted event (a
    date changed by hand keeps its shift)."""
    for deadline in Deadline.objects.filter(organisation__slug__in=slugs).exclude(rule_id="") \
            .select_related("trigger_event"):
        hand_set = deadline.due_date != deadline.computed_due_date
        try:
            computation = rules.compute(deadline.rule_id, deadline.trigger_event.occurred_on,
                                        variant=deadline.variant or None)
        except (rules.NotComputable, ValueError):
            continue
        deadline.nominal_date, deadline.computed_due_date = computation.nominal_date, computation.due_date
        if not hand_set:
            deadline.due_date = computation.due_date
        deadline.save(update_fields=["nominal_date", "computed_due_date", "due_date"])
        reminders_schedule(deadline=deadline)
    for case_id in Case.objects.filter(organisation__slug__in=slugs).values_list("pk", flat=True):
        next_due_refresh(case_id)
