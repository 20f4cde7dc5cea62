"""The one classification of integration failures: retry, or stop and tell people."""

import socket
import urllib.error


class InteropError(Exception):
    """A failure of a national system, with a message for the people who see it.

    ``transient`` failures (the service down, slow or answering 5xx) are retried with
    backoff; the others (rejected input, wrong credentials, a malformed answer) are not,
    because sending the same thing again would fail the same way.
    """

    def __init__(self, message: str, *, transient: bool, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.transient = transient
        self.status = status

    def __str__(self) -> str:
        return self.message


def status_is_transient(status: int) -> bool:
    """HTTP 5xx are the server's trouble and may pass; 4xx will fail again the same way."""
    return status >= 500


def is_transient(exc: BaseException) -> bool:
    """Network errors, timeouts and 5xx → retry; 4xx and programming errors → failed."""
    if isinstance(exc, InteropError):
        return exc.transient
    if isinstance(exc, urllib.error.HTTPError):
        return status_is_transient(exc.code)
    return isinstance(exc, (TimeoutError, socket.timeout, ConnectionError, urllib.error.URLError))
