"""The Celery retry policy of every PRB task: retry what may pass, fail what will not.

A lost database connection, an unreachable broker or a network timeout may pass on the
next try; a programming error (``TypeError``, ``KeyError``, a failed assertion) or bad
data fails the same way every time, so retrying only delays the traceback. Every task
uses ``autoretry_for=TRANSIENT_ERRORS`` (or ``**RETRY_TRANSIENT``) and nothing wider.
"""

import socket
import urllib.error
from typing import Any

import kombu.exceptions
import redis.exceptions
from django.db import InterfaceError, OperationalError

TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    # Database: connection lost or refused, server restarting, deadlock or serialization
    # failure (psycopg raises those as OperationalError; Django wraps them).
    OperationalError,
    InterfaceError,
    # Broker and result backend.
    kombu.exceptions.OperationalError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    # Network.
    ConnectionError,
    TimeoutError,
    socket.timeout,
    urllib.error.URLError,
)

RETRY_TRANSIENT: dict[str, Any] = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 30,
    "retry_backoff_max": 15 * 60,
    "retry_jitter": True,
    "max_retries": 5,
}
