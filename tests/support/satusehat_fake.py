"""A real HTTP fake of SATUSEHAT on 127.0.0.1 (port 0), written from the protocol notes.

- ``POST /oauth2/v1/accesstoken?grant_type=client_credentials`` with a form body
  ``client_id``/``client_secret`` → ``{"access_token", "expires_in": "<seconds as a string>"}``.
- ``GET /fhir-r4/v1/{Patient|Practitioner}?identifier=https://fhir.kemkes.go.id/id/nik|{nik}``
  → a searchset Bundle (the people registered with ``add_patient``/``add_practitioner``).
- ``POST /fhir-r4/v1/{type}`` → 201 with a new id (``If-None-Exist: identifier=s|v`` returns
  the resource already held with that identifier, 200); ``PUT /fhir-r4/v1/{type}/{id}`` → 200.
- Every FHIR call needs ``Authorization: Bearer <a token it issued and has not revoked>``,
  else 401. A reference ``Type/id`` to a resource it does not hold → 400 OperationOutcome,
  so sending in the wrong order fails here as it would there.
- ``fail_next(method, resource_type, status)`` scripts the next answers; ``revoke_tokens()``
  makes the cached token stale; ``requests`` logs every call.
"""

from __future__ import annotations

import json
import threading
import urllib.parse
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

CLIENT_ID = "prb-client"
CLIENT_SECRET = "rahasia-satusehat"
ORGANIZATION_ID = "10000004"
LOCATION_ID = "b017aa54-f1df-4ec2-9d84-8823815d7228"
NIK = "https://fhir.kemkes.go.id/id/nik"
# Resources registered by other means than this API: their ids are known in advance.
REGISTERED = {"Organization": {ORGANIZATION_ID}, "Location": {LOCATION_ID}}


@dataclass
class LoggedRequest:
    method: str
    path: str
    resource_type: str
    resource_id: str
    status: int
    body: Any


@dataclass
class SatusehatFake:
    url: str = ""
    token_lifetime: str = "14399"
    tokens_issued: int = 0
    requests: list[LoggedRequest] = field(default_factory=list)
    people: dict[str, dict[str, str]] = field(
        default_factory=lambda: {"Patient": {}, "Practitioner": {}}
    )
    store: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    scripted: list[tuple[str, str, int, dict[str, Any]]] = field(default_factory=list)
    valid_tokens: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    # ------------------------------------------------------------ setup and switches

    def add_patient(self, nik: str, ihs: str) -> None:
        self.people["Patient"][nik] = ihs

    def add_practitioner(self, nik: str, ihs: str) -> None:
        self.people["Practitioner"][nik] = ihs

    def fail_next(
        self, method: str, resource_type: str, status: int, outcome: dict[str, Any] | None = None
    ) -> None:
        outcome = outcome or {
            "resourceType": "OperationOutcome",
            "issue": [{"severity": "error", "code": "exception", "diagnostics": "Server error"}],
        }
        self.scripted.append((method, resource_type, status, outcome))

    def revoke_tokens(self) -> None:
        self.valid_tokens.clear()

    # ------------------------------------------------------------ what tests read

    def fhir_calls(self, method: str | None = None) -> list[LoggedRequest]:
        return [
            r
            for r in self.requests
            if r.path.startswith("/fhir-r4/") and (method is None or r.method == method)
        ]

    def resources(self, resource_type: str) -> list[dict[str, Any]]:
        return list(self.store.get(resource_type, {}).values())

    # ------------------------------------------------------------ the protocol

    def _outcome(self, code: str, text: str, expression: str = "") -> dict[str, Any]:
        issue: dict[str, Any] = {"severity": "error", "code": code, "diagnostics": text}
        if expression:
            issue["expression"] = [expression]
        return {"resourceType": "OperationOutcome", "issue": [issue]}

    def _missing_reference(self, value: Any, path: str = "") -> str:
        if isinstance(value, dict):
            ref = value.get("reference")
            if isinstance(ref, str) and "/" in ref and not ref.startswith("urn:"):
                kind, _, rid = ref.partition("/")
                known = set(self.store.get(kind, {})) | REGISTERED.get(kind, set())
                known |= set(self.people.get(kind, {}).values())
                if rid not in known:
                    return f"{path}.reference"
            for key, item in value.items():
                found = self._missing_reference(item, f"{path}.{key}" if path else key)
                if found:
                    return found
        elif isinstance(value, list):
            for index, item in enumerate(value):
                found = self._missing_reference(item, f"{path}[{index}]")
                if found:
                    return found
        return ""

    def handle(
        self, method: str, raw_path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, Any]]:
        url = urllib.parse.urlsplit(raw_path)
        query = urllib.parse.parse_qs(url.query)
        if url.path == "/oauth2/v1/accesstoken" and method == "POST":
            form = urllib.parse.parse_qs(body.decode())
            if query.get("grant_type") != ["client_credentials"]:
                return 400, {"error": "unsupported_grant_type"}
            if form.get("client_id") != [CLIENT_ID] or form.get("client_secret") != [CLIENT_SECRET]:
                return 401, {"error": "invalid_client"}
            token = uuid.uuid4().hex
            self.valid_tokens.add(token)
            self.tokens_issued += 1
            return 200, {
                "access_token": token,
                "expires_in": self.token_lifetime,
                "token_type": "BearerToken",
                "issued_at": "1700000000000",
            }
        if not url.path.startswith("/fhir-r4/v1/"):
            return 404, self._outcome("not-found", "Unknown endpoint")
        auth = headers.get("authorization", "")
        if not auth.startswith("Bearer ") or auth[7:] not in self.valid_tokens:
            return 401, self._outcome("login", "Invalid access token")
        parts = url.path[len("/fhir-r4/v1/") :].split("/")
        resource_type = parts[0]
        for index, (s_method, s_type, status, outcome) in enumerate(self.scripted):
            if s_method == method and s_type == resource_type:
                del self.scripted[index]
                return status, outcome
        if method == "GET" and resource_type in self.people:
            system, _, nik = (query.get("identifier") or [""])[0].partition("|")
            ihs = self.people[resource_type].get(nik) if system == NIK else None
            entries = [{"resource": {"resourceType": resource_type, "id": ihs}}] if ihs else []
            return 200, {
                "resourceType": "Bundle",
                "type": "searchset",
                "total": len(entries),
                "entry": entries,
            }
        try:
            resource = json.loads(body or b"{}")
        except ValueError:
            return 400, self._outcome("invalid", "Body is not JSON")
        if resource.get("resourceType") != resource_type:
            return 400, self._outcome("invalid", "resourceType does not match the URL")
        missing = self._missing_reference(resource)
        if missing:
            return 400, self._outcome("processing", "Referenced resource not found", missing)
        held = self.store.setdefault(resource_type, {})
        if method == "POST" and len(parts) == 1:
            condition = headers.get("if-none-exist", "")
            if condition.startswith("identifier="):
                system, _, value = condition[len("identifier=") :].partition("|")
                for existing in held.values():
                    if any(
                        i.get("system") == system and i.get("value") == value
                        for i in existing.get("identifier", [])
                    ):
                        return 200, existing
            resource["id"] = str(uuid.uuid4())
            held[resource["id"]] = resource
            return 201, resource
        if method == "PUT" and len(parts) == 2:
            if resource.get("id") != parts[1]:
                return 400, self._outcome("invalid", "id does not match the URL")
            held[parts[1]] = resource
            return 200, resource
        return 405, self._outcome("not-supported", "Method not supported")


def _handler(fake: SatusehatFake) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {key.lower(): value for key, value in self.headers.items()}
            with fake.lock:
                status, answer = fake.handle(self.command, self.path, headers, body)
                path = urllib.parse.urlsplit(self.path).path
                parts = path.split("/")
                try:
                    logged_body = json.loads(body) if body else None
                except ValueError:
                    logged_body = body.decode()
                fake.requests.append(
                    LoggedRequest(
                        method=self.command,
                        path=path,
                        resource_type=parts[3] if len(parts) > 3 else "",
                        resource_id=parts[4] if len(parts) > 4 else "",
                        status=status,
                        body=logged_body,
                    )
                )
            payload = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/fhir+json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = _serve

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            return

    return Handler


@contextmanager
def running_satusehat_fake() -> Iterator[SatusehatFake]:
    fake = SatusehatFake()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
