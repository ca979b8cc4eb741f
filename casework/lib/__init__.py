"""Plain helpers shared by the apps: form submit, paging, idempotency, references, document storage,
token hashing. Nothing here knows about organisations' rules (that is casework.access)."""
