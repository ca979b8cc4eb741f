"""Field history of clients, cases, type details and records: who changed which field, when, from what to what.

django-simple-history keeps it: a historical table per model, one full row per save, naming the user the
service set as `instance._history_user`. Chosen over django-pghistory, which records through PostgreSQL
triggers, because the quick local run is SQLite. The historical tables are built by copying the model's
fields, so an encrypted field is the project's encrypted field there too: old and new values stay encrypted
at rest, key rotation finds them by that class (casework.security.rotation.encrypted_tables) and erasure
blanks them (casework.privacy). Blind indexes and columns copied from other rows (a case's next deadline, its
copy of the removal date, updated_at) are not kept.

Reading: a record's history is one UNION ALL over its tables (a case's own, its details', its records'),
each row beside the previous row of the same record (LAG), newest first and cut to a page, so a page costs
one query however long the history. The differences are computed here, in Python.
"""

from __future__ import annotations

import datetime
import decimal
import functools
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import F, Field, Model, Value, Window
from django.db.models.functions import Cast, Lag
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.models import HistoricalRecords

# Never worth a history row: when and through which form a row was made, and when it was last saved.
NOT_KEPT = ("created_at", "created_by", "updated_at", "submission_token")
# A historical table is read by the record it is about: its own id, or the case its details and records belong to.
KEY_FIELDS = ("id", "case")
CREATED, CHANGED, DELETED, FIRST_RECORDED = "created", "changed", "deleted", "first_recorded"
_ACTIONS = {"+": CREATED, "~": CHANGED, "-": DELETED}
ACTION_LABELS = {
    CREATED: gettext_lazy("created"), CHANGED: gettext_lazy("changed"), DELETED: gettext_lazy("deleted"),
    # A record saved before it had a history: its values from then on, with nothing to compare them to.
    FIRST_RECORDED: gettext_lazy("first recorded"),
}
# A record's page lists this many of its latest changes; its full history page shows PAGE_SIZE at a time.
SECTION_SIZE, PAGE_SIZE = 10, 50
VALUE_FORMAT = "j E Y, H:i"  # a moment as the case page writes it: day, month name, 24-hour time


class FieldHistory(HistoricalRecords):
    """django-simple-history as the project keeps it: `exclude` names columns not kept (besides NOT_KEPT),
    only the record's key is indexed, a save that changes no kept column leaves no row (an edit form saved as
    it was is not a change), and `list_choices` labels the items of a list field (the grounds of a refusal)."""

    def __init__(self, *, exclude: tuple[str, ...] = (), list_choices: dict[str, list] | None = None):
        super().__init__(excluded_fields=[*NOT_KEPT, *exclude])
        self.list_choices = list_choices or {}

    def fields_included(self, model):
        return [f for f in model._meta.fields if f.name not in self.excluded_fields]

    def copy_fields(self, model):
        fields = super().copy_fields(model)
        for name, field in fields.items():
            if name not in KEY_FIELDS:
                field.db_index = False
        return fields

    def create_history_model(self, model, inherited):
        history = super().create_history_model(model, inherited)
        # simple-history names the app's package as its module but puts the class in the models module: say so,
        # so that `manage.py shell` (and pickle) find it where it is.
        history.__module__ = model.__module__
        return history

    def get_extra_fields(self, model, fields):
        return {**super().get_extra_fields(model, fields), "history_list_choices": self.list_choices}

    def post_save(self, instance, created, using=None, **kwargs):
        if created or kwargs.get("raw") or self._changes_kept_columns(instance, kwargs.get("update_fields")):
            super().post_save(instance, created, using=using, **kwargs)

    def _changes_kept_columns(self, instance, update_fields) -> bool:
        kept = self.fields_included(instance)
        if update_fields is not None and not {f.name for f in kept} & set(update_fields):
            return False
        names = [f.attname for f in kept]
        last = getattr(instance, self.manager_name).order_by("-history_id").values(*names).first()
        return last is None or any(last[name] != getattr(instance, name) for name in names)


# --- Reading -------------------------------------------------------------------------------------------------


@functools.cache
def history_model(model: type[Model]) -> type[Model]:
    """The historical model of a tracked one (simple-history's `model.history` builds a manager on every access)."""
    return model.history.model


@dataclass(frozen=True)
class Source:
    """One historical table's part of a record's history: the rows of `model`'s history matching `where`
    (e.g. {"case_id": 7}), headed `title`; `hidden` names fields whose values are not shown (their names are);
    `dated` adds the record's first date to the heading (a decision of 3 May 2026)."""

    model: type[Model]
    where: dict
    title: str
    hidden: frozenset[str] = frozenset()
    dated: bool = False


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str
    shown: bool  # False: only the field's name may be shown
    hidden_on_sensitive: bool = False  # why not: a whereabouts field of a sensitive case


@dataclass(frozen=True)
class Entry:
    at: datetime.datetime
    who: str  # "" when no user was recorded (a script, the demo data)
    action: str  # CREATED, CHANGED, DELETED, FIRST_RECORDED
    subject: str
    changes: tuple[Change, ...]

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS[self.action])

    @property
    def compares(self) -> bool:
        """Whether its changes have an old value to show beside the new one."""
        return self.action == CHANGED


@dataclass(frozen=True)
class _Column:
    name: str
    source: int
    expression: F
    output_field: Field


@dataclass(frozen=True)
class _Tracked:
    field: Field  # the model's own field
    value: str  # column of its value (a foreign key's id)
    parts: tuple[str, ...] = ()  # columns of a foreign key's display


def _display_parts(model) -> tuple[tuple[str, ...], object]:
    """Columns of a related row shown for a foreign key, and how they read as one string."""
    if model is get_user_model():
        return ("first_name", "last_name", "username"), lambda first, last, username: f"{first} {last}".strip() or username
    if any(f.name == "name" for f in model._meta.fields):
        return ("name",), lambda name: name
    return (), None


class _Plan:
    """One UNION ALL over some historical tables, each filtered by the fields `shape` names: per table its
    tracked fields, each beside its value in the row saved before (LAG); a column belongs to one table and is a
    typed NULL in the others. The ORM builds it once per database vendor (building ~300 expressions took longer
    than running the query); each read then fills in the filter values, the page's LIMIT and OFFSET."""

    HEAD = ("src", "hid", "at", "kind", "u_first", "u_last", "u_name", "prev")

    def __init__(self, shape: tuple[tuple[type[Model], tuple[str, ...]], ...]):
        self.shape = shape
        self.columns: list[_Column] = []
        self.tracked: list[list[_Tracked]] = []
        for index, (model, _where) in enumerate(shape):
            history = history_model(model)
            fields = []
            for field in history.tracked_fields:
                if field.name in KEY_FIELDS or field.name == model._meta.pk.name:
                    continue
                column = self._add(index, F(field.attname), history._meta.get_field(field.name))
                parts = ()
                if field.is_relation:
                    names, _join = _display_parts(field.related_model)
                    parts = tuple(self._add(index, F(f"{field.name}__{name}"), field.related_model._meta.get_field(name))
                                  for name in names)
                fields.append(_Tracked(field, column, parts))
            self.tracked.append(fields)
        self.names = [*self.HEAD, *(name for column in self.columns for name in (column.name, f"p_{column.name}"))]
        self._compiled: dict[str, tuple[str, list, list[int], list]] = {}

    def _add(self, source: int, expression: F, output_field: Field) -> str:
        name = f"c{len(self.columns)}"
        self.columns.append(_Column(name, source, expression, output_field))
        return name

    def _branch(self, index: int, where: dict):
        model = self.shape[index][0]
        key = model._meta.pk.attname

        def before(expression):
            # The row saved before, in the order of saving (a clock set back cannot reorder them).
            return Window(Lag(expression), partition_by=[F(key)], order_by=[F("history_id").asc()])

        annotations = {
            "src": Value(index), "hid": F("history_id"), "at": F("history_date"), "kind": F("history_type"),
            "u_first": F("history_user__first_name"), "u_last": F("history_user__last_name"),
            "u_name": F("history_user__username"), "prev": before(F("history_id")),
        }
        for column in self.columns:
            if column.source == index:
                annotations[column.name] = column.expression
                annotations[f"p_{column.name}"] = before(column.expression)
            else:
                annotations[column.name] = annotations[f"p_{column.name}"] = Cast(Value(None), column.output_field)
        history = history_model(model).objects.filter(**where).order_by()
        return history.annotate(**annotations).values_list(*annotations)

    def _compile(self, connection) -> tuple[str, list, list[int], list]:
        """SQL and parameters with stand-ins for the filter values (their places noted), and the columns'
        expressions (for their converters: decryption, dates)."""
        if connection.vendor not in self._compiled:
            stand_ins = [-(10**12) - i for i in range(sum(len(where) for _model, where in self.shape))]
            values = iter(stand_ins)
            branches = [self._branch(i, {name: next(values) for name in where}) for i, (_m, where) in enumerate(self.shape)]
            query = branches[0].union(*branches[1:], all=True) if len(branches) > 1 else branches[0]
            compiler = query.order_by("-at", "-hid").query.get_compiler(connection=connection)
            sql, params = compiler.as_sql()
            places = [list(params).index(stand_in) for stand_in in stand_ins]
            self._compiled[connection.vendor] = (sql, list(params), places, [column[0] for column in compiler.select])
        return self._compiled[connection.vendor]

    def rows(self, where_values: list, offset: int, limit: int) -> list[dict]:
        sql, params, places, expressions = self._compile(connection)
        params = list(params)
        for place, value in zip(places, where_values):
            params[place] = value
        converters = [
            (position, converters, expression) for position, expression in enumerate(expressions)
            if (converters := connection.ops.get_db_converters(expression) + expression.get_db_converters(connection))
        ]
        with connection.cursor() as cursor:
            cursor.execute(f"{sql} LIMIT %s OFFSET %s", [*params, limit, offset])
            fetched = [list(row) for row in cursor.fetchall()]
        for row in fetched:
            for position, functions, expression in converters:
                for convert in functions:
                    row[position] = convert(row[position], expression, connection)
        return [dict(zip(self.names, row)) for row in fetched]


@functools.cache
def _plan(shape: tuple[tuple[type[Model], tuple[str, ...]], ...]) -> _Plan:
    return _Plan(shape)


def _blank(value) -> bool:
    return value is None or value == "" or value == []


def _text(field: Field, value, list_labels: dict) -> str:
    """A stored value as a person reads it: choice labels, dates written out, yes or no, amounts grouped."""
    if _blank(value):
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, list):
        return ", ".join(str(list_labels.get(item, item)) for item in value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), VALUE_FORMAT)
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, decimal.Decimal):
        return formats.number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)
    return str(value)


class HistoryLog:
    """A record's history, newest first, as a Paginator reads it (count() and slices of entries). With
    `values_shown` False only the names of the fields changed are given (a sensitive case seen by someone not
    named on it)."""

    def __init__(self, sources: list[Source], *, values_shown: bool):
        self.sources = sources
        self._plan = _plan(tuple((source.model, tuple(source.where)) for source in sources))
        self.values_shown = values_shown

    def count(self) -> int:
        parts = [history_model(s.model).objects.filter(**s.where).order_by().values_list("history_id")
                 for s in self.sources]
        return parts[0].union(*parts[1:], all=True).count() if len(parts) > 1 else parts[0].count()

    def __getitem__(self, page: slice) -> list[Entry]:
        start = page.start or 0
        where_values = [value for source in self.sources for value in source.where.values()]
        entries = (self._entry(row) for row in self._plan.rows(where_values, start, page.stop - start))
        return [entry for entry in entries if entry.changes or entry.action == DELETED]

    def _entry(self, row: dict) -> Entry:
        index = row["src"]
        source = self.sources[index]
        first = row["prev"] is None
        action = FIRST_RECORDED if first and row["kind"] == "~" else _ACTIONS[row["kind"]]
        changes, date = [], None
        for tracked in self._plan.tracked[index]:
            field = tracked.field
            new, old = row[tracked.value], None if first else row[f"p_{tracked.value}"]
            if date is None and source.dated and isinstance(new, datetime.date):
                date = new
            if action == DELETED or new == old or (first and _blank(new)):
                continue
            changes.append(self._change(source, tracked, row, first))
        subject = source.title
        if date is not None and self.values_shown:
            subject = _("%(record)s of %(date)s") % {"record": subject, "date": formats.date_format(date, "DATE_FORMAT")}
        who = _display_parts(get_user_model())[1](row["u_first"] or "", row["u_last"] or "", row["u_name"] or "")
        return Entry(row["at"], who, action, subject, tuple(changes))

    def _change(self, source: Source, tracked: _Tracked, row: dict, first: bool) -> Change:
        field = tracked.field
        hidden = field.name in source.hidden
        shown = self.values_shown and not hidden

        def text(prefix: str) -> str:
            if not shown or (prefix and first):
                return ""
            if tracked.parts:
                _names, join = _display_parts(field.related_model)
                values = [row[f"{prefix}{part}"] for part in tracked.parts]
                if row[f"{prefix}{tracked.value}"] is None:
                    return ""
                return join(*(value or "" for value in values)) or f"#{row[f'{prefix}{tracked.value}']}"
            list_labels = dict(history_model(source.model).history_list_choices.get(field.name, ()))
            return _text(field, row[f"{prefix}{tracked.value}"], list_labels)

        return Change(capfirst(field.verbose_name), text("p_"), text(""), shown, hidden and self.values_shown)
