"""Paging through rows that access.py grants in disjoint parts (own organisation, shared from others).

Sorting the union of an organisation's thousands of rows and the few shared with it makes PostgreSQL
read and sort them all: an OR defeats the newest-first index. Counted and sliced part by part, each part
on its own index, a page of 50 costs the same for 500 visible rows as for 25,000 (bench/RESULTS.md).
"""

from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import EmptyQuerySet


class PagedParts:
    """A Paginator's object list over disjoint `parts`, in `ordering` (ending with a unique field): each
    part's first rows of a page on its own index, merged; then the page's rows read by id from `rows`
    (still through access, with what the page shows)."""

    ordered = True

    def __init__(self, parts: list[QuerySet], rows: QuerySet, ordering: tuple[str, ...]):
        # An empty part (none()) would make union() return another part as it is, so it is left out.
        self.parts = [part for part in parts if not isinstance(part, EmptyQuerySet)]
        self.rows, self.ordering = rows, ordering
        self._keys = [field.lstrip("-") for field in ordering]

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
        keyed = [part.order_by(*self.ordering).values_list(*self._keys)[: page.stop] for part in self.parts]
        if len(keyed) == 1:
            merged = keyed[0]
        elif connections[keyed[0].db].features.supports_slicing_ordering_in_compound:
            merged = keyed[0].union(*keyed[1:], all=True).order_by(*self.ordering)
        else:
            # SQLite allows no LIMIT inside a UNION: each part's first rows (at most page.stop) are read
            # on their own and merged here, in the same order.
            merged = self._sorted([key for part in keyed for key in part])
        ids = [key[-1] for key in merged[start : page.stop]]
        rows = {row.pk: row for row in self.rows.filter(pk__in=ids)}
        return [rows[pk] for pk in ids if pk in rows]

    def _sorted(self, keys: list[tuple]) -> list[tuple]:
        """Keys in `ordering` (whose fields are never null): one stable sort per field, the last first."""
        for position in reversed(range(len(self.ordering))):
            keys.sort(key=lambda key: key[position], reverse=self.ordering[position].startswith("-"))
        return keys
