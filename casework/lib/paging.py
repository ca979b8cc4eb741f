"""Paging through rows that access.py grants in disjoint parts (own organisation, shared from others).

Sorting the union of an organisation's thousands of rows and the few shared with it makes PostgreSQL
read and sort them all: an OR defeats the newest-first index. Counted and sliced part by part, each part
on its own index, a page of 50 costs the same for 500 visible rows as for 25,000 (bench/RESULTS.md).
"""

from django.db import connections
from django.db.models import F, QuerySet
from django.db.models.query import EmptyQuerySet


class PagedParts:
    """A Paginator's object list over disjoint `parts`, in `ordering` (ending with a unique field): each
    part's first rows of a page on its own index, merged; then the page's rows read by id from `rows`
    (still through access, with what the page shows)."""

    ordered = True

    def __init__(self, parts: list[QuerySet], rows: QuerySet, ordering: tuple[str, ...],
                 nulls_last: frozenset[str] = frozenset()):
        # An empty part (none()) would make union() return another part as it is, so it is left out.
        self.parts = [part for part in parts if not isinstance(part, EmptyQuerySet)]
        self.rows, self.ordering = rows, ordering
        self._keys = [field.lstrip("-") for field in ordering]
        # Fields that may be null (a case with no deadline) sort after every value, ascending only: that is
        # PostgreSQL's own order for an ascending index, so the part's index still serves it.
        if any(field.startswith("-") and field.lstrip("-") in nulls_last for field in ordering):
            raise ValueError("Nullable fields are sorted ascending only.")
        self._order = [F(field).asc(nulls_last=True) if field in nulls_last else field for field in ordering]
        self._nullable = [key in nulls_last for key in self._keys]

    def count(self) -> int:
        ids = [part.values("pk") for part in self.parts]
        if not ids:
            return 0
        return ids[0].union(*ids[1:], all=True).count() if len(ids) > 1 else ids[0].count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, page: slice) -> list:
        if not isinstance(page, slice) or page.stop is None:
            raise TypeError("PagedParts is read a page (a bounded slice) at a time.")
        start = page.start or 0
        if page.stop <= start or not self.parts:
            return []
        keyed = [part.order_by(*self._order).values_list(*self._keys)[: page.stop] for part in self.parts]
        if len(keyed) == 1:
            merged = keyed[0]
        elif connections[keyed[0].db].features.supports_slicing_ordering_in_compound:
            merged = keyed[0].union(*keyed[1:], all=True).order_by(*self._order)
        else:
            # SQLite allows no LIMIT inside a UNION: each part's first rows (at most page.stop) are read
            # on their own and merged here, in the same order.
            merged = self._sorted([key for part in keyed for key in part])
        ids = [key[-1] for key in merged[start : page.stop]]
        rows = {row.pk: row for row in self.rows.filter(pk__in=ids)}
        return [rows[pk] for pk in ids if pk in rows]

    def _sorted(self, keys: list[tuple]) -> list[tuple]:
        """Keys in `ordering`, nulls last: one stable sort per field, the last first."""
        for position in reversed(range(len(self.ordering))):
            if self._nullable[position]:
                keys.sort(key=lambda key: (key[position] is None, key[position]))
            else:
                keys.sort(key=lambda key: key[position], reverse=self.ordering[position].startswith("-"))
        return keys


class ListedIds:
    """A Paginator's object list over ids already put in order (sorted in Python, e.g. by a decrypted
    name): a page's rows are read by id from `rows`, still through access."""

    ordered = True

    def __init__(self, ids: list[int], rows: QuerySet):
        self.ids, self.rows = ids, rows

    def count(self) -> int:
        return len(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, page: slice) -> list:
        if not isinstance(page, slice):
            raise TypeError("ListedIds is read a page at a time.")
        ids = self.ids[page]
        rows = {row.pk: row for row in self.rows.filter(pk__in=ids)}
        return [rows[pk] for pk in ids if pk in rows]
