"""Plain helpers shared by the apps: form submit, date bounds, paging, idempotency, references, document
storage, token hashing. Nothing here knows about organisations' rules (that is casework.access)."""
