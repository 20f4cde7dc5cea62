"""One HTTP request with a timeout; the integration clients build on it.

Nothing here logs URLs, headers or bodies: they carry card numbers, NIKs, signatures,
tokens and patient data.
"""

import logging
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from interop.errors import InteropError

logger = logging.getLogger("prb.interop")


@dataclass(frozen=True)
class HttpResponse:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def http_request(
    method: str,
    url: str,
    *,
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    timeout: float = 20.0,
    service: str = "",
) -> HttpResponse:
    """Send one request; any HTTP status comes back as a response, never as an exception.

    A connection failure or a timeout raises a transient ``InteropError`` naming
    ``service`` ("Layanan BPJS tidak menjawab").
    """
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return HttpResponse(answer.status, answer.read(), dict(answer.headers.items()))
    except urllib.error.HTTPError as error:
        with error:
            return HttpResponse(error.code, error.read(), dict(error.headers.items()))
    except TimeoutError as exc:
        logger.warning("%s %s timed out after %ss", service, method, timeout)
        raise InteropError(
            _("%(service)s did not answer in time.") % {"service": service or url},
            transient=True,
        ) from exc
    except (urllib.error.URLError, ConnectionError, OSError) as exc:
        logger.warning("%s %s failed: %s", service, method, type(exc).__name__)
        raise InteropError(
            _("%(service)s is not answering.") % {"service": service or url}, transient=True
        ) from exc
