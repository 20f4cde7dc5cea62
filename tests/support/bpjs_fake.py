"""A real HTTP fake of BPJS VClaim, PCare and Apotek Online on 127.0.0.1 (port 0).

It checks every request the way BPJS does (consumer id, HMAC-SHA256 signature of
``consId&timestamp``, timestamp within ``max_skew`` seconds, the service's user key,
PCare's ``X-authorization``, the content type) and answers
``{"metaData": {...}, "response": <AES-256-CBC(LZString(json))>}``, written here from
the protocol independently of ``bpjs.client``. Switches make it misbehave.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import lzstring
import pytest
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

CONS_ID = "31337"
SECRET = "fake-secret-key"
USER_KEYS = {"vclaim": "uk-vclaim", "pcare": "uk-pcare", "apotek": "uk-apotek"}
PCARE_USERNAME = "pkm-satu"
PCARE_PASSWORD = "Rahasia#1"
ROOTS = {"vclaim": "vclaim-rest", "pcare": "pcare-rest", "apotek": "apotek-rest"}


def encrypt(text: str, timestamp: str, *, cons_id: str = CONS_ID, secret: str = SECRET) -> str:
    compressed = lzstring.LZString().compressToEncodedURIComponent(text)
    key = hashlib.sha256(f"{cons_id}{secret}{timestamp}".encode()).digest()
    padder = padding.PKCS7(128).padder()
    data = padder.update(compressed.encode()) + padder.finalize()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(encryptor.update(data) + encryptor.finalize()).decode()


@dataclass
class Request:
    service: str
    method: str
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class BpjsFake:
    url: str = ""
    # Switches.
    max_skew: int = 300
    delay: float = 0.0  # seconds before answering (a timeout when above the client's)
    fail_with_5xx: int = 0  # answer the next N requests with 503
    malformed: bool = False  # answer a body that is not the protocol's envelope
    encrypt_with_wrong_key: bool = False
    # What BPJS knows.
    srbs: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    participants: dict[str, dict[str, Any]] = field(default_factory=dict)
    prb_medicines: list[dict[str, str]] = field(default_factory=list)
    prb_diagnoses: list[dict[str, str]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    # What BPJS received.
    requests: list[Request] = field(default_factory=list)
    registrations: list[dict[str, Any]] = field(default_factory=list)
    visits: list[dict[str, Any]] = field(default_factory=list)
    visit_medicines: list[dict[str, Any]] = field(default_factory=list)
    prescriptions: list[dict[str, Any]] = field(default_factory=list)
    prescription_lines: list[dict[str, Any]] = field(default_factory=list)
    rejections: list[str] = field(default_factory=list)
    refuse_visit_with: str = ""  # PCare refuses kunjungan with this field message (4xx)
    lose_answer_to: str = ""  # record the next POST to this path, then answer 503 (answer lost)
    _server: ThreadingHTTPServer | None = None
    _port: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # ----- lifecycle -----
    def start(self) -> None:
        server = ThreadingHTTPServer(("127.0.0.1", self._port), _handler_for(self))
        server.daemon_threads = True
        self._port = server.server_address[1]
        self.url = f"http://127.0.0.1:{self._port}"
        self._server = server
        threading.Thread(target=server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def go_down(self) -> None:
        """Stop listening: connections are refused, as when BPJS is unreachable."""
        self.stop()

    def come_back(self) -> None:
        self.start()

    def root(self, service: str) -> str:
        return f"{self.url}/{ROOTS[service]}"

    # ----- checks -----
    def verify(self, service: str, method: str, headers: dict[str, str]) -> str | None:
        """The refusal message, or None when the request is properly signed."""
        cons_id, stamp = headers.get("x-cons-id", ""), headers.get("x-timestamp", "")
        if cons_id != CONS_ID:
            return "Unauthorized! cons id tidak dikenal"
        if not stamp.isdigit() or abs(int(stamp) - int(time.time())) > self.max_skew:
            return "Unauthorized! timestamp tidak valid"
        expected = base64.b64encode(
            hmac.new(SECRET.encode(), f"{cons_id}&{stamp}".encode(), hashlib.sha256).digest()
        ).decode()
        if not hmac.compare_digest(headers.get("x-signature", ""), expected):
            return "Unauthorized! signature tidak valid"
        if headers.get("user_key", "") != USER_KEYS[service]:
            return "Unauthorized! user_key tidak valid"
        if service == "pcare":
            token = base64.b64encode(f"{PCARE_USERNAME}:{PCARE_PASSWORD}:095".encode()).decode()
            if headers.get("x-authorization", "") != f"Basic {token}":
                return "Unauthorized! X-authorization tidak valid"
        content_type = headers.get("content-type", "")
        wanted = (
            "application/json; charset=utf-8"
            if method == "GET"
            else "Application/x-www-form-urlencoded"
        )
        if content_type != wanted:
            return f"Content-Type {content_type!r} tidak sesuai"
        return None

    # ----- routes: (status, metaData code, message, response object) -----
    def route(self, service: str, method: str, path: str, body: Any) -> tuple[int, str, str, Any]:
        with self._lock:
            answer = self._route(service, method, path, body)
            if method == "POST" and path == self.lose_answer_to:
                self.lose_answer_to = ""
                return 503, "503", "Service Unavailable", None
            return answer

    def _route(self, service: str, method: str, path: str, body: Any) -> tuple[int, str, str, Any]:
        ok = "200"
        if service == "vclaim" and method == "GET":
            if m := re.fullmatch(r"prb/([^/]+)/nosep/([^/]+)", path):
                srb = self.srbs.get((m[1], m[2]))
                if srb is None:
                    return 200, "201", "Data Tidak Ditemukan", None
                return 200, ok, "Sukses", {"prb": srb}
            if path == "referensi/diagnosaprb":
                return 200, ok, "Sukses", {"list": self.prb_diagnoses}
            if m := re.fullmatch(r"referensi/obatprb/(.*)", path):
                name = m[1].lower()
                found = [o for o in self.prb_medicines if name in o["nama"].lower()]
                return 200, ok, "Sukses", {"list": found}
        if service == "pcare":
            if method == "GET" and (m := re.fullmatch(r"peserta/(noka|nik)/(\d+)", path)):
                key = "noKartu" if m[1] == "noka" else "noKTP"
                for person in self.participants.values():
                    if person.get(key) == m[2]:
                        return 200, "200", "OK", person
                return 200, "204", "Peserta tidak ditemukan", None
            if method == "POST" and path == "pendaftaran":
                missing = [k for k in ("noKartu", "tglDaftar", "kdPoli") if not body.get(k)]
                if missing:
                    return (
                        412,
                        "412",
                        "PRECONDITION_FAILED",
                        [{"field": k, "message": "wajib diisi"} for k in missing],
                    )
                self.registrations.append(body)
                number = f"A{len(self.registrations)}"
                return 201, "201", "CREATED", {"field": "noUrut", "message": number}
            if method == "GET" and path == "statuspulang/rawatInap/false":
                return (
                    200,
                    "200",
                    "OK",
                    {
                        "count": 2,
                        "list": [
                            {"kdStatusPulang": "3", "nmStatusPulang": "Berobat Jalan"},
                            {"kdStatusPulang": "4", "nmStatusPulang": "Rujuk Vertikal"},
                        ],
                    },
                )
            if method == "POST" and path == "kunjungan/v1":
                registered = any(
                    r["noKartu"] == body.get("noKartu") and r["tglDaftar"] == body.get("tglDaftar")
                    for r in self.registrations
                )
                missing = [k for k in ("kdDokter", "kdDiag1", "kdStatusPulang") if not body.get(k)]
                if not registered or missing:
                    return (
                        412,
                        "412",
                        "PRECONDITION_FAILED",
                        [{"field": k, "message": "wajib diisi"} for k in missing]
                        or [{"field": "noKartu", "message": "belum didaftarkan"}],
                    )
                if self.refuse_visit_with:
                    return (
                        412,
                        "412",
                        "PRECONDITION_FAILED",
                        [{"field": "kdDiag1", "message": self.refuse_visit_with}],
                    )
                self.visits.append(body)
                number = f"0114U001{len(self.visits):07d}"
                return 201, "201", "CREATED", {"field": "noKunjungan", "message": number}
            if method == "GET" and (m := re.fullmatch(r"kunjungan/peserta/(\d+)", path)):
                of_card: list[dict[str, Any]] = [
                    {
                        "noKunjungan": f"0114U001{i + 1:07d}",
                        "tglKunjungan": v["tglDaftar"],
                        "poli": {"kdPoli": v["kdPoli"]},
                        "diagnosa1": {"kdDiag": v["kdDiag1"]},
                        "dokter": {"kdDokter": v["kdDokter"]},
                    }
                    for i, v in enumerate(self.visits)
                    if v["noKartu"] == m[1]
                ]
                if not of_card:
                    return 200, "204", "Data tidak ditemukan", None
                return 200, "200", "OK", {"count": len(of_card), "list": of_card}
            if method == "POST" and path == "obat/kunjungan":
                if not any(
                    f"0114U001{i + 1:07d}" == body.get("noKunjungan")
                    for i in range(len(self.visits))
                ):
                    return (
                        412,
                        "412",
                        "PRECONDITION_FAILED",
                        [{"field": "noKunjungan", "message": "tidak ditemukan"}],
                    )
                self.visit_medicines.append(body)
                return (
                    201,
                    "201",
                    "CREATED",
                    [{"field": "kdObatSK", "message": str(len(self.visit_medicines))}],
                )
        if service == "apotek":
            if method == "POST" and path == "sjpresep/v3/insert":
                if body.get("KDJNSOBAT") != "1":
                    return 200, "201", "Jenis obat bukan PRB", None
                self.prescriptions.append(body)
                n = len(self.prescriptions)
                return (
                    200,
                    "200",
                    "OK",
                    {
                        "noApotik": f"0112A00112{n:05d}",
                        "noResep": body.get("NORESEP"),
                    },
                )
            if method == "POST" and path == "obatnonracikan/v3/insert":
                self.prescription_lines.append(body)
                return 200, "200", "OK", None
            if method == "GET" and (
                m := re.fullmatch(r"monitoring/klaim/(\d+)/(\d+)/(\d+)/(\d+)", path)
            ):
                return 200, "200", "OK", {"listsep": self.claims}
        return 404, "404", "Not Found", None


def _handler_for(fake: BpjsFake) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            parts = self.path.lstrip("/").split("/", 1)
            service = next((s for s, root in ROOTS.items() if root == parts[0]), None)
            headers = {k.lower(): v for k, v in self.headers.items()}
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = None
            if service is None:
                return self._reply(404, {"metaData": {"code": "404", "message": "Not Found"}})
            path = parts[1] if len(parts) > 1 else ""
            fake.requests.append(Request(service, self.command, path, headers, body))
            if fake.delay:
                time.sleep(fake.delay)
            if fake.fail_with_5xx > 0:
                fake.fail_with_5xx -= 1
                return self._reply(503, None, raw_body=b"<html>503 Service Unavailable</html>")
            refusal = fake.verify(service, self.command, headers)
            if refusal is not None:
                fake.rejections.append(refusal)
                return self._reply(
                    200, {"metaData": {"code": "401", "message": refusal}, "response": None}
                )
            if fake.malformed:
                return self._reply(200, None, raw_body=b'{"metaData": {"code": "200", "mess')
            status, code, message, response = fake.route(service, self.command, path, body or {})
            stamp = headers["x-timestamp"]
            if response is not None and not (service == "pcare" and code not in ("200", "201")):
                secret = "not-the-secret" if fake.encrypt_with_wrong_key else SECRET
                response = encrypt(json.dumps(response), stamp, secret=secret)
            # PCare sends code as a number; VClaim and Apotek as a string.
            meta_code: Any = int(code) if service == "pcare" else code
            meta_key = "metadata" if service == "apotek" else "metaData"
            self._reply(
                status, {meta_key: {"code": meta_code, "message": message}, "response": response}
            )

        def _reply(self, status: int, envelope: Any, raw_body: bytes | None = None) -> None:
            data = raw_body if raw_body is not None else json.dumps(envelope).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = _serve

    return Handler


@contextmanager
def running_fake() -> Iterator[BpjsFake]:
    fake = BpjsFake()
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()


def srb_example(**overrides: Any) -> dict[str, Any]:
    """A back-referral letter as VClaim returns it (``response.prb``)."""
    srb: dict[str, Any] = {
        "noSRB": "0301R0011125V000123",
        "tglSRB": "2026-11-20",
        "noSEP": "0301R0011125V000456",
        "programPRB": {"kode": "01 ", "nama": "Diabetes Mellitus"},
        "DPJP": {"kode": "12345", "nama": "dr. Rina Sitepu, Sp.PD"},
        "peserta": {
            "noKartu": "0001234567890",
            "nama": "MARIANI BR GINTING",
            "tglLahir": "1961-04-12",
            "kelamin": "P",
            "alamat": "Jl. Sudirman No. 5, Binjai",
            "noTelepon": "081234567890",
            "email": "",
            "asalFaskes": {"kode": "0301R001", "nama": "RSUD Dr. R.M. Djoelham Binjai"},
        },
        "obat": {
            "obat": [
                {
                    "kdObat": "12100101",
                    "nmObat": "Metformin 500 mg",
                    "signa1": "3",
                    "signa2": "1",
                    "jmlObat": "90",
                },
                {
                    "kdObat": "99999999",
                    "nmObat": "Obat Tidak Dikenal 10 mg",
                    "signa1": "1",
                    "signa2": "1",
                    "jmlObat": "30",
                },
            ]
        },
        "keterangan": "Kontrol rutin, HbA1c terakhir 6,9%",
        "saran": "Lanjutkan terapi",
    }
    srb.update(overrides)
    return srb


@pytest.fixture
def bpjs_fake(settings: Any) -> Iterator[BpjsFake]:
    """The fake, with PRB's settings pointing at it and its credentials in the environment."""
    with running_fake() as fake:
        settings.BPJS_VCLAIM_URL = fake.root("vclaim")
        settings.BPJS_PCARE_URL = fake.root("pcare")
        settings.BPJS_APOTEK_URL = fake.root("apotek")
        settings.BPJS_CONS_ID = CONS_ID
        settings.BPJS_SECRET_KEY = SECRET
        settings.BPJS_VCLAIM_USER_KEY = USER_KEYS["vclaim"]
        settings.BPJS_PCARE_USER_KEY = USER_KEYS["pcare"]
        settings.BPJS_APOTEK_USER_KEY = USER_KEYS["apotek"]
        settings.BPJS_PCARE_USERNAME = PCARE_USERNAME
        settings.BPJS_PCARE_PASSWORD = PCARE_PASSWORD
        settings.BPJS_TIMEOUT = 1.0
        settings.BPJS_RETRIES = 2
        settings.BPJS_RETRY_BACKOFF = 0.0
        yield fake
