"""The BPJS Kesehatan web-service protocol (VClaim, PCare, Apotek Online), nothing else.

Every request is signed (``X-cons-id``, ``X-timestamp``, ``X-signature``, ``user_key``;
PCare adds ``X-authorization``); every answer is ``{"metaData": …, "response": …}``
with ``response`` encrypted: AES-256-CBC with ``k = SHA256(consId + secret + timestamp)``,
``iv = k[:16]``, PKCS7 padding, then LZString ``decompressFromEncodedURIComponent``.
See the protocol notes in docs/bpjs.md. Failures become ``interop.errors.InteropError``
with a sentence for people; network errors and HTTP 5xx are retried here a few times
with backoff (interactive calls), and are transient for the outbox.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import lzstring
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.utils.translation import gettext as _

from interop.errors import InteropError, status_is_transient
from interop.transport import HttpResponse, http_request
from lib.choices import LabelledStrEnum

logger = logging.getLogger("prb.bpjs")


class Service(LabelledStrEnum):
    VCLAIM = "vclaim", "VClaim"
    PCARE = "pcare", "PCare"
    APOTEK = "apotek", "Apotek Online"

    @property
    def base_url(self) -> str:
        return str(getattr(settings, f"BPJS_{self.name}_URL", ""))


# metaData codes that mean success. PCare answers a created record with 201; VClaim uses
# 201 for "not found" on some calls, so success is per service.
SUCCESS_CODES = {Service.VCLAIM: {"200"}, Service.PCARE: {"200", "201"}, Service.APOTEK: {"200"}}
# metaData codes that mean the signature, keys or timestamp were refused.
AUTH_CODES = {"401", "403"}


@dataclass(frozen=True)
class Credentials:
    cons_id: str
    secret_key: str
    user_key: str
    username: str = ""
    password: str = ""
    app_code: str = "095"

    def __repr__(self) -> str:  # never print the secrets
        return f"Credentials(cons_id={self.cons_id!r})"


def signature(cons_id: str, secret_key: str, timestamp: str) -> str:
    """base64(HMAC-SHA256(secret, consId + "&" + timestamp))."""
    digest = hmac.new(
        secret_key.encode(), f"{cons_id}&{timestamp}".encode(), hashlib.sha256
    ).digest()
    return base64.b64encode(digest).decode()


def response_key(cons_id: str, secret_key: str, timestamp: str) -> tuple[bytes, bytes]:
    """(key, iv) for decrypting an answer to a request sent at ``timestamp``."""
    key = hashlib.sha256(f"{cons_id}{secret_key}{timestamp}".encode()).digest()
    return key, key[:16]


class DecryptionFailed(Exception):
    pass


def decrypt_response(ciphertext: str, cons_id: str, secret_key: str, timestamp: str) -> str:
    """Decrypt and decompress ``response``; ``DecryptionFailed`` on a wrong key or timestamp."""
    key, iv = response_key(cons_id, secret_key, timestamp)
    try:
        raw = base64.b64decode(ciphertext, validate=False)
        decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
        padded = decryptor.update(raw) + decryptor.finalize()
        unpadder = padding.PKCS7(128).unpadder()
        compressed = (unpadder.update(padded) + unpadder.finalize()).decode("utf-8")
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise DecryptionFailed from exc
    text = lzstring.LZString().decompressFromEncodedURIComponent(compressed)
    if not text:
        raise DecryptionFailed
    return str(text)


def authorization(username: str, password: str, app_code: str) -> str:
    """PCare's ``X-authorization``: Basic base64(username:password:kdAplikasi)."""
    token = base64.b64encode(f"{username}:{password}:{app_code}".encode()).decode()
    return f"Basic {token}"


class BpjsClient:
    """One BPJS service with one set of credentials."""

    def __init__(
        self,
        service: Service,
        credentials: Credentials,
        *,
        base_url: str | None = None,
        timeout: float | None = None,
        retries: int | None = None,
        retry_backoff: float | None = None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.service = service
        self.credentials = credentials
        self.base_url = (base_url if base_url is not None else service.base_url).rstrip("/")
        self.timeout = timeout if timeout is not None else settings.BPJS_TIMEOUT
        self.retries = retries if retries is not None else settings.BPJS_RETRIES
        self.retry_backoff = (
            retry_backoff if retry_backoff is not None else settings.BPJS_RETRY_BACKOFF
        )
        self.clock = clock
        self.sleep = sleep

    # The four verbs; ``path`` is relative to the service root.
    def get(self, path: str) -> Any:
        return self.request("GET", path)

    def post(self, path: str, payload: Any) -> Any:
        return self.request("POST", path, payload)

    def put(self, path: str, payload: Any) -> Any:
        return self.request("PUT", path, payload)

    def delete(self, path: str, payload: Any = None) -> Any:
        return self.request("DELETE", path, payload)

    def request(self, method: str, path: str, payload: Any = None) -> Any:
        """Send, retrying a read's network errors and 5xx; return the decoded ``response``.

        A write is sent once: when its answer is lost BPJS may have recorded it, and only
        the caller (the outbox, which looks before it sends again) can tell.
        """
        if not self.base_url:
            raise InteropError(
                _("The address of BPJS %(service)s is not configured (BPJS_%(name)s_URL).")
                % {"service": self.service.label, "name": self.service.name},
                transient=False,
            )
        attempt = 0
        while True:
            try:
                return self._request_once(method, path, payload)
            except InteropError as exc:
                if not exc.transient or attempt >= (self.retries if method == "GET" else 0):
                    raise
                attempt += 1
                logger.info("BPJS %s %s retry %s", self.service.label, method, attempt)
                self.sleep(self.retry_backoff * (2 ** (attempt - 1)))

    def _headers(self, method: str, timestamp: str) -> dict[str, str]:
        creds = self.credentials
        headers = {
            "X-cons-id": creds.cons_id,
            "X-timestamp": timestamp,
            "X-signature": signature(creds.cons_id, creds.secret_key, timestamp),
            "user_key": creds.user_key,
            "Accept": "application/json",
            # The services expect JSON bodies labelled as a form (their documentation).
            "Content-Type": (
                "application/json; charset=utf-8"
                if method == "GET"
                else "Application/x-www-form-urlencoded"
            ),
        }
        if self.service == Service.PCARE:
            headers["X-authorization"] = authorization(
                creds.username, creds.password, creds.app_code
            )
        return headers

    def _request_once(self, method: str, path: str, payload: Any) -> Any:
        timestamp = str(int(self.clock()))
        body = None if payload is None else json.dumps(payload).encode()
        answer = http_request(
            method,
            f"{self.base_url}/{path.lstrip('/')}",
            headers=self._headers(method, timestamp),
            body=body,
            timeout=self.timeout,
            service=_("BPJS service %(service)s") % {"service": self.service.label},
        )
        return self._decode(answer, timestamp)

    def _decode(self, answer: HttpResponse, timestamp: str) -> Any:
        if status_is_transient(answer.status):
            raise InteropError(
                _("BPJS %(service)s is having trouble (HTTP %(status)s); try again later.")
                % {"service": self.service.label, "status": answer.status},
                transient=True,
                status=answer.status,
            )
        try:
            envelope = json.loads(answer.body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            envelope = None
        if answer.status in (401, 403):
            raise self._auth_error(answer.status)
        if not isinstance(envelope, dict):
            raise self._malformed(answer.status)
        meta = envelope.get("metaData") or envelope.get("metadata")
        if not isinstance(meta, dict):
            raise self._malformed(answer.status)
        code = str(meta.get("code", "")).strip()
        message = str(meta.get("message") or "").strip()
        response = envelope.get("response")
        if code in AUTH_CODES:
            raise self._auth_error(answer.status)
        if isinstance(response, str) and response:
            try:
                response = json.loads(
                    decrypt_response(
                        response, self.credentials.cons_id, self.credentials.secret_key, timestamp
                    )
                )
            except DecryptionFailed:
                raise self._auth_error(answer.status) from None
            except ValueError:
                raise self._malformed(answer.status) from None
        if code not in SUCCESS_CODES[self.service] or answer.status >= 400:
            details = _field_messages(response)
            text = "; ".join([message, *details]) if message else "; ".join(details)
            refusal = _("BPJS %(service)s refused: %(message)s")
            raise self._refused(refusal, answer.status, message=text or code)
        return response

    def _refused(self, template: str, status: int, **values: str) -> InteropError:
        """A final refusal (retrying will not help), naming the service."""
        return InteropError(
            template % {"service": self.service.label, **values}, transient=False, status=status
        )

    def _auth_error(self, status: int) -> InteropError:
        message = _("BPJS credentials are wrong or the server clock is out of sync (%(service)s).")
        return self._refused(message, status)

    def _malformed(self, status: int) -> InteropError:
        message = _("BPJS %(service)s sent an answer PRB cannot read; nothing was saved.")
        return self._refused(message, status)


def _field_messages(response: Any) -> list[str]:
    """PCare explains refusals as a list of {field, message}."""
    if isinstance(response, list):
        return [
            f"{item.get('field', '')}: {item.get('message', '')}".strip(": ")
            for item in response
            if isinstance(item, dict)
        ]
    return []
