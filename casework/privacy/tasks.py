"""Retention in the background: thin wrappers that take ids and call services (JSON, acks late)."""

from celery import shared_task

from casework.privacy import services


@shared_task(name="casework.privacy.retention_sweep", ignore_result=True)
def retention_sweep() -> None:
    """Run by beat once a day: finds what is past retention and enqueues its erasure by id."""
    services.retention_sweep()


@shared_task(name=services.RETENTION_ERASE_TASK, ignore_result=True)
def retention_erase(case_ids: list[int], client_ids: list[int]) -> None:
    """Erase each case and client that is still due; a redelivered message finds them erased and does nothing."""
    for case_id in case_ids:
        services.retention_erase_case(case_id=case_id)
    for client_id in client_ids:
        services.retention_erase_client(client_id=client_id)
