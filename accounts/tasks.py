from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone

from common.tasks import RETRY_TRANSIENT


@shared_task(acks_late=True, **RETRY_TRANSIENT)
def sessions_clear_expired() -> int:
    """Drop sessions past their expiry (30 minutes idle); idempotent."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
