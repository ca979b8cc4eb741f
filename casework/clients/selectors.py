from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext

from casework import access
from casework.audit.history import SECTION_SIZE, Entry, HistoryLog, Source
from casework.clients.models import Client
from casework.clients.names import family_name_key, full_name_key
from casework.lib.paging import PagedParts

MAX_QUERY_LENGTH = 200
NEWEST_FIRST = ("-created_at", "-id")
# A registry row shows the name, date of birth and nationality: the other encrypted fields stay undecrypted.
_FIELDS_NOT_LISTED = ("other_spellings", "phones", "addresses", "document_numbers")


def _registry(user, name: Q | None = None) -> PagedParts:
    parts = access.clients_visible_parts(user)
    if name is not None:
        parts = [part.filter(name) for part in parts]
    rows = access.clients_visible_to(user).defer(*_FIELDS_NOT_LISTED)
    return PagedParts(parts=parts, rows=rows, ordering=NEWEST_FIRST)


def client_list(user) -> PagedParts:
    """The clients the user sees, newest first, a page at a time."""
    return _registry(user)


def client_search(user, query: str, limit: int | None = None) -> list[Client]:
    """The first `limit` clients (a page's worth by default) of that exact name, newest first, found
    through the blind indexes: no row is decrypted to find a match."""
    query = query.strip()[:MAX_QUERY_LENGTH]
    if not query:
        return []
    name = Q(full_name_bidx=full_name_key(query)) | Q(family_name_bidx=family_name_key(query))
    return _registry(user, name)[: limit or settings.CASES_PAGE_SIZE]



def client_history_log(client: Client, *, addresses_hidden: bool) -> HistoryLog:
    """Who changed which of the client's fields, newest first, with old and new values (a client the user sees
    is one whose personal data they see); addresses only by name where a sensitive case keeps them back
    (access.client_sensitive_case)."""
    hidden = frozenset({"addresses"}) if addresses_hidden else frozenset()
    return HistoryLog([Source(Client, {"id": client.pk}, gettext("Client"), hidden)], values_shown=True)


def client_history(client: Client, *, addresses_hidden: bool, limit: int = SECTION_SIZE) -> list[Entry]:
    return client_history_log(client, addresses_hidden=addresses_hidden)[:limit]
