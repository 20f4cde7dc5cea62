"""The SATUSEHAT protocol and nothing else: OAuth2 token, FHIR search, create and update.

Facts from the shared protocol notes: the token is asked with client credentials at
``{auth root}/oauth2/v1/accesstoken?grant_type=client_credentials`` (form body), its
``expires_in`` is a string of seconds; resources live under ``{FHIR root}/fhir-r4/v1``;
patients and practitioners are found by NIK. The token is cached where every worker finds
it (a ``TokenStore``: the facility's settings row) and refreshed once when the server
answers 401. Nothing here logs the secret, the token or a body.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.parse
from typing import Any, Protocol

from django.utils import timezone
from django.utils.translation import gettext as _

from interop.errors import InteropError, status_is_transient
from interop.transport import HttpResponse, http_request

SERVICE = "SATUSEHAT"
NIK_SYSTEM = "https://fhir.kemkes.go.id/id/nik"
# Ask for a new token a little before the old one runs out.
TOKEN_MARGIN = dt.timedelta(seconds=60)


class TokenStore(Protocol):
    def load_token(self) -> tuple[str, dt.datetime | None]: ...
    def save_token(self, token: str, expires_at: dt.datetime | None) -> None: ...


def operation_outcome_text(body: bytes) -> str:
    """The server's OperationOutcome as one sentence (its issues' diagnostics or details)."""
    try:
        outcome = json.loads(body or b"{}")
    except ValueError:
        return body[:300].decode("utf-8", "replace")
    if not isinstance(outcome, dict):
        return ""
    parts = []
    for issue in outcome.get("issue") or []:
        text = (
            issue.get("diagnostics")
            or (issue.get("details") or {}).get("text")
            or issue.get("code", "")
        )
        where = ", ".join(issue.get("expression") or [])
        parts.append(f"{text} ({where})" if where else str(text))
    return "; ".join(part for part in parts if part) or str(outcome.get("message", ""))


class SatusehatClient:
    def __init__(
        self,
        *,
        auth_root: str,
        fhir_root: str,
        client_id: str,
        client_secret: str,
        tokens: TokenStore,
        timeout: float = 20.0,
    ) -> None:
        self.token_url = auth_root.rstrip("/") + "/oauth2/v1/accesstoken"
        self.fhir_base = fhir_root.rstrip("/") + "/fhir-r4/v1"
        self.client_id = client_id
        self.client_secret = client_secret
        self.tokens = tokens
        self.timeout = timeout

    # ------------------------------------------------------------ token

    def _fetch_token(self) -> str:
        if not self.client_id or not self.client_secret:
            raise InteropError(_("SATUSEHAT client ID or secret is not set."), transient=False)
        answer = http_request(
            "POST",
            self.token_url + "?grant_type=client_credentials",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            body=urllib.parse.urlencode(
                {"client_id": self.client_id, "client_secret": self.client_secret}
            ).encode(),
            timeout=self.timeout,
            service=SERVICE,
        )
        if answer.status != 200:
            if status_is_transient(answer.status):
                raise InteropError(
                    _("SATUSEHAT could not give an access token (HTTP %(status)s).")
                    % {"status": answer.status},
                    transient=True,
                    status=answer.status,
                )
            raise InteropError(
                _("SATUSEHAT refused the client ID or secret (HTTP %(status)s).")
                % {"status": answer.status},
                transient=False,
                status=answer.status,
            )
        try:
            data = json.loads(answer.body)
            token = str(data["access_token"])
            seconds = int(str(data.get("expires_in") or "0"))
        except (ValueError, KeyError, TypeError) as exc:
            raise InteropError(
                _("SATUSEHAT answered the token request in an unknown form."), transient=False
            ) from exc
        expires_at = timezone.now() + dt.timedelta(seconds=seconds) - TOKEN_MARGIN
        self.tokens.save_token(token, expires_at)
        return token

    def token(self) -> str:
        """The cached token while it is valid, else a new one."""
        token, expires_at = self.tokens.load_token()
        if token and expires_at and expires_at > timezone.now():
            return token
        return self._fetch_token()

    # ------------------------------------------------------------ FHIR

    def _request(
        self,
        method: str,
        path: str,
        *,
        body: dict[str, Any] | None = None,
        headers: dict | None = None,
    ) -> HttpResponse:
        def send(token: str) -> HttpResponse:
            return http_request(
                method,
                f"{self.fhir_base}/{path}",
                headers={
                    "Authorization": f"Bearer {token}",
                    "Accept": "application/fhir+json",
                    **({"Content-Type": "application/fhir+json"} if body is not None else {}),
                    **(headers or {}),
                },
                body=json.dumps(body).encode() if body is not None else None,
                timeout=self.timeout,
                service=SERVICE,
            )

        answer = send(self.token())
        if answer.status == 401:  # the token expired early or was revoked: one new token
            answer = send(self._fetch_token())
        return answer

    def _json(self, answer: HttpResponse, what: str) -> dict[str, Any]:
        if 200 <= answer.status < 300:
            try:
                data = json.loads(answer.body or b"{}")
            except ValueError as exc:
                raise InteropError(
                    _("SATUSEHAT answered %(what)s in an unknown form.") % {"what": what},
                    transient=False,
                ) from exc
            return data if isinstance(data, dict) else {}
        detail = operation_outcome_text(answer.body)
        if status_is_transient(answer.status):
            raise InteropError(
                _("SATUSEHAT is unavailable (HTTP %(status)s).") % {"status": answer.status},
                transient=True,
                status=answer.status,
            )
        if answer.status == 401:
            message = _("SATUSEHAT refused the access token twice; check the client ID and secret.")
        else:
            message = _("SATUSEHAT rejected %(what)s (HTTP %(status)s): %(detail)s") % {
                "what": what,
                "status": answer.status,
                "detail": detail or "-",
            }
        raise InteropError(message, transient=False, status=answer.status)

    def find_id_by_nik(self, resource_type: str, nik: str) -> str | None:
        """The id of the Patient or Practitioner with this NIK; ``None`` if SATUSEHAT has none."""
        query = urllib.parse.urlencode({"identifier": f"{NIK_SYSTEM}|{nik}"})
        data = self._json(self._request("GET", f"{resource_type}?{query}"), resource_type)
        for entry in data.get("entry") or []:
            resource = entry.get("resource") or {}
            if resource.get("resourceType") == resource_type and resource.get("id"):
                return str(resource["id"])
        return None

    def create(self, resource: dict[str, Any], *, if_none_exist: str = "") -> dict[str, Any]:
        """POST a resource; with ``if_none_exist`` (an identifier query) the server returns the
        resource it already holds instead of a second one (FHIR conditional create)."""
        resource_type = resource["resourceType"]
        headers = {"If-None-Exist": if_none_exist} if if_none_exist else None
        return self._json(
            self._request("POST", resource_type, body=resource, headers=headers), resource_type
        )

    def update(self, resource: dict[str, Any]) -> dict[str, Any]:
        """PUT a resource to its id: what PRB sent before is replaced, never duplicated."""
        resource_type = resource["resourceType"]
        return self._json(
            self._request("PUT", f"{resource_type}/{resource['id']}", body=resource), resource_type
        )
