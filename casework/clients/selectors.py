from django.db.models import Q, QuerySet

from casework import access
from casework.clients.models import Client
from casework.clients.names import family_name_key, full_name_key

MAX_QUERY_LENGTH = 200


def client_list(user) -> QuerySet[Client]:
    return access.clients_visible_to(user).order_by("-created_at", "-pk")


def client_search(user, query: str) -> QuerySet[Client]:
    """Exact name search through the blind indexes: no row is decrypted to find a match."""
    query = query.strip()[:MAX_QUERY_LENGTH]
    if not query:
        return Client.objects.none()
    return client_list(user).filter(
        Q(full_name_bidx=full_name_key(query)) | Q(family_name_bidx=family_name_key(query))
    )
