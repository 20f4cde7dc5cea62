import base64
import hashlib

import pytest

from bpjs.client import BpjsClient, Credentials, Service, decrypt_response, response_key, signature
from interop.errors import InteropError
from tests.support import bpjs_fake as fake_mod
from tests.support.bpjs_fake import BpjsFake, encrypt, srb_example


def test_the_worked_example_of_the_protocol() -> None:
    assert (
        signature("1234", "pwd123", "1700000000") == "BQJkfRZNBk/Mt2WNDrYlPWbK0O81mlMPwXb0HHMsXoM="
    )
    key, iv = response_key("1234", "pwd123", "1700000000")
    assert iv.hex() == "0fd7a9b300556f4f07e5b2938f51d0b6"
    assert key == hashlib.sha256(b"1234pwd1231700000000").digest()


def test_it_decrypts_what_bpjs_encrypts() -> None:
    text = '{"nama": "MARIANI BR GINTING", "alamat": "Jl. Sei Bingai — Binjai"}'
    token = encrypt(text, "1700000000", cons_id="1234", secret="pwd123")
    assert decrypt_response(token, "1234", "pwd123", "1700000000") == text


def _client(service: Service = Service.VCLAIM, **creds: str) -> BpjsClient:
    values = {
        "cons_id": fake_mod.CONS_ID,
        "secret_key": fake_mod.SECRET,
        "user_key": fake_mod.USER_KEYS[service.value],
        "username": fake_mod.PCARE_USERNAME,
        "password": fake_mod.PCARE_PASSWORD,
        **creds,
    }
    return BpjsClient(service, Credentials(**values))


def test_it_reads_a_back_referral_letter(bpjs_fake: BpjsFake) -> None:
    bpjs_fake.srbs[("S1", "P1")] = srb_example()
    answer = _client().get("prb/S1/nosep/P1")
    assert answer["prb"]["peserta"]["nama"] == "MARIANI BR GINTING"
    request = bpjs_fake.requests[-1]
    assert request.headers["content-type"] == "application/json; charset=utf-8"
    assert "x-authorization" not in request.headers


def test_pcare_sends_the_authorization_and_a_form_content_type(bpjs_fake: BpjsFake) -> None:
    answer = _client(Service.PCARE).post(
        "pendaftaran", {"noKartu": "0001", "tglDaftar": "01-12-2026", "kdPoli": "001"}
    )
    assert answer == {"field": "noUrut", "message": "A1"}
    request = bpjs_fake.requests[-1]
    assert request.headers["content-type"] == "Application/x-www-form-urlencoded"
    expected = base64.b64encode(b"pkm-satu:Rahasia#1:095").decode()
    assert request.headers["x-authorization"] == f"Basic {expected}"


def test_a_wrong_secret_is_a_credentials_message(bpjs_fake: BpjsFake) -> None:
    with pytest.raises(
        InteropError, match="Kredensial BPJS salah atau jam server tidak sinkron"
    ) as exc:
        _client(secret_key="salah").get("prb/S1/nosep/P1")
    assert exc.value.transient is False
    assert bpjs_fake.rejections == ["Unauthorized! signature tidak valid"]


def test_a_skewed_clock_is_a_credentials_message(bpjs_fake: BpjsFake) -> None:
    import time

    client = _client()
    client.clock = lambda: time.time() - 3600
    with pytest.raises(InteropError, match="jam server tidak sinkron"):
        client.get("prb/S1/nosep/P1")
    assert bpjs_fake.rejections == ["Unauthorized! timestamp tidak valid"]


def test_an_answer_that_does_not_decrypt_is_a_credentials_message(bpjs_fake: BpjsFake) -> None:
    bpjs_fake.srbs[("S1", "P1")] = srb_example()
    bpjs_fake.encrypt_with_wrong_key = True
    with pytest.raises(InteropError, match="Kredensial BPJS salah"):
        _client().get("prb/S1/nosep/P1")


def test_a_timeout_says_bpjs_is_not_answering(bpjs_fake: BpjsFake) -> None:
    bpjs_fake.delay = 1.5
    with pytest.raises(InteropError, match="tidak menjawab") as exc:
        _client().get("prb/S1/nosep/P1")
    assert exc.value.transient is True
    # The first try and the two retries.
    assert len(bpjs_fake.requests) == 3


def test_down_says_bpjs_is_not_answering(bpjs_fake: BpjsFake) -> None:
    bpjs_fake.go_down()
    with pytest.raises(InteropError, match="Layanan BPJS VClaim tidak menjawab") as exc:
        _client().get("prb/S1/nosep/P1")
    assert exc.value.transient is True


def test_5xx_is_retried_then_succeeds(bpjs_fake: BpjsFake) -> None:
    bpjs_fake.srbs[("S1", "P1")] = srb_example()
    bpjs_fake.fail_with_5xx = 2
    assert _client().get("prb/S1/nosep/P1")["prb"]["noSRB"] == "0301R0011125V000123"
    assert len(bpjs_fake.requests) == 3


def test_5xx_beyond_the_retries_is_transient(bpjs_fake: BpjsFake) -> None:
    bpjs_fake.fail_with_5xx = 5
    with pytest.raises(InteropError, match="HTTP 503") as exc:
        _client().get("prb/S1/nosep/P1")
    assert exc.value.transient is True


def test_a_malformed_answer_is_not_retried(bpjs_fake: BpjsFake) -> None:
    bpjs_fake.malformed = True
    with pytest.raises(InteropError, match="tidak dapat dibaca") as exc:
        _client().get("prb/S1/nosep/P1")
    assert exc.value.transient is False
    assert len(bpjs_fake.requests) == 1


def test_a_refusal_carries_bpjs_message(bpjs_fake: BpjsFake) -> None:
    with pytest.raises(InteropError, match="Data Tidak Ditemukan"):
        _client().get("prb/NOPE/nosep/NOPE")


def test_pcare_field_messages_are_shown(bpjs_fake: BpjsFake) -> None:
    with pytest.raises(InteropError, match="kdPoli: wajib diisi") as exc:
        _client(Service.PCARE).post("pendaftaran", {"noKartu": "0001", "tglDaftar": "01-12-2026"})
    assert exc.value.transient is False


def test_an_unconfigured_service_says_which_setting(settings) -> None:  # type: ignore[no-untyped-def]
    settings.BPJS_APOTEK_URL = ""
    with pytest.raises(InteropError, match="BPJS_APOTEK_URL"):
        _client(Service.APOTEK).get("monitoring/klaim/11/2026/1/1")


def test_credentials_never_print() -> None:
    creds = Credentials("1", "the-secret", "the-user-key", "u", "the-password")
    assert "the-secret" not in repr(creds)
    assert "the-password" not in repr(creds)
