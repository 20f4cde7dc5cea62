"""The API plumbing every endpoint shares (common/api.py): errors, parser, strict input."""

import json

import pytest
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation
from rest_framework import exceptions, fields, relations, serializers
from rest_framework.test import APIClient

from common.api import StrictSerializerMixin, exception_handler
from common.parsers import MAX_JSON_DEPTH
from pharmacy.models import Lot
from tests.pharmacy.factories import LotFactory

pytestmark = pytest.mark.django_db

EVALUATE = "/api/v1/eligibility/evaluate"


@pytest.fixture
def api(world):  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(world.dokter1)
    return client


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_a_5000_deep_json_body_gets_400_not_500(api) -> None:
    response = api.post(EVALUATE, _nested(5000), content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "Isi JSON bersarang terlalu dalam."}


def test_json_deeper_than_the_limit_is_refused_and_the_limit_itself_is_read(api) -> None:
    too_deep = api.post(EVALUATE, _nested(MAX_JSON_DEPTH + 1), content_type="application/json")
    assert too_deep.status_code == 400
    at_limit = api.post(EVALUATE, _nested(MAX_JSON_DEPTH), content_type="application/json")
    # Parsed: the engine answers that a list is not a request object.
    assert at_limit.status_code == 400
    assert at_limit.json() == {"errors": {"": ["Permintaan harus berupa objek JSON."]}}


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_body_over_the_size_limit_gets_413(api) -> None:
    body = json.dumps({"mode": "back_referral", "padding": "x" * 2000})
    response = api.post(EVALUATE, body, content_type="application/json")
    assert response.status_code == 413
    assert response.json() == {"detail": "Isi permintaan terlalu besar."}


def test_broken_json_gets_an_indonesian_400(api) -> None:
    response = api.post(EVALUATE, '{"mode": ', content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "Isi permintaan bukan JSON yang sah."}


def test_only_json_is_accepted(api) -> None:
    response = api.post(EVALUATE, "mode=back_referral", content_type="text/plain")
    assert response.status_code == 415
    assert "tidak didukung" in response.json()["detail"]


def test_drf_default_answers_are_indonesian(world) -> None:
    anonymous = APIClient().get("/api/v1/patients/")
    assert anonymous.status_code in (401, 403)
    assert anonymous.json()["detail"].startswith("Data autentikasi tidak diberikan")
    bad_token = APIClient(HTTP_AUTHORIZATION="Token nope").get("/api/v1/patients/")
    assert bad_token.json()["detail"] == "Token tidak sah."
    client = APIClient()
    client.force_authenticate(world.dokter1)
    assert client.delete(EVALUATE).json()["detail"] == 'Metode "DELETE" tidak diizinkan.'
    assert client.get("/api/v1/patients/999999/").json()["detail"] == "Data tidak ditemukan."
    assert client.get("/api/v1/patients/?page=99").json()["detail"] == "Halaman tidak ditemukan."


def _drf_messages() -> list[str]:
    messages: list[str] = []
    seen: set[type] = set()
    stack = [fields.Field]
    while stack:
        cls = stack.pop()
        if cls in seen or cls.__module__.split(".")[0] != "rest_framework":
            continue
        seen.add(cls)
        stack.extend(cls.__subclasses__())
        if issubclass(
            cls, fields.FileField | fields.ImageField | relations.HyperlinkedRelatedField
        ):
            continue  # PRB's API takes no files and no hyperlinks
        messages.extend(str(m) for m in getattr(cls, "default_error_messages", {}).values())
    stack2: list[type] = [exceptions.APIException]
    while stack2:
        cls = stack2.pop()
        stack2.extend(cls.__subclasses__())
        if cls.__module__.startswith("rest_framework"):
            messages.append(str(cls.default_detail))
    return sorted(set(messages))


def test_every_drf_error_message_has_an_indonesian_text() -> None:
    with translation.override("en"):
        english = _drf_messages()
    assert len(english) > 40
    untranslated = []
    with translation.override("id"):
        for message in english:
            if translation.gettext(message) == message:
                untranslated.append(message)
    assert untranslated == []


def test_a_violated_constraint_is_a_field_error_without_its_name(world) -> None:
    lot = LotFactory()
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        Lot.objects.create(medicine=lot.medicine, batch=lot.batch, expiry_date=lot.expiry_date)
    response = exception_handler(error.value, {})
    assert response is not None and response.status_code == 400
    assert response.data == {"expiry_date": ["Data dengan nilai ini sudah ada."]}
    assert "lot_unique_batch" not in json.dumps(response.data)


def test_a_violated_check_constraint_names_its_field(world) -> None:
    from pharmacy.models import StockBalance, Store

    lot = LotFactory()
    store = Store.objects.create(facility=world.pkm1, name="Gudang")
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        StockBalance.objects.create(store=store, lot=lot, medicine=lot.medicine, quantity=-1)
    response = exception_handler(error.value, {})
    assert response is not None
    assert response.data == {"quantity": ["Nilai ini tidak diizinkan."]}
    assert "stock_balance_not_negative" not in json.dumps(response.data)


# ----------------------------------------------------- every write API takes strict input


# Write APIs without an input serializer, and why.
RAW_INPUT = {
    # The criteria engine validates the request against its contract and reports unknown
    # keys itself (eligibility/rules/request.py).
    "EligibilityEvaluateApi",
}


def _api_views() -> list[type]:
    found: list[type] = []

    def walk(patterns) -> None:  # type: ignore[no-untyped-def]
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern):
                cls = getattr(pattern.callback, "cls", None)
                if cls is not None and cls not in found:
                    found.append(cls)

    walk(get_resolver().url_patterns)
    return found


def _loose_fields(serializer: serializers.BaseSerializer, path: str) -> list[str]:
    problems = []
    if isinstance(serializer, serializers.ListSerializer):
        return _loose_fields(serializer.child, path)
    if not isinstance(serializer, StrictSerializerMixin):
        problems.append(f"{path}: not a StrictSerializer")
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        if isinstance(field, serializers.BaseSerializer):
            problems.extend(_loose_fields(field, f"{path}.{name}"))
        elif isinstance(field, serializers.CharField) and field.max_length is None:
            problems.append(f"{path}.{name}: no max_length")
    return problems


def test_every_write_api_refuses_unknown_keys_and_long_text() -> None:
    problems = []
    writers = [
        cls
        for cls in _api_views()
        if any(hasattr(cls, method) for method in ("post", "put", "patch"))
    ]
    assert len(writers) >= 3
    for cls in writers:
        if cls.__name__ in RAW_INPUT:
            continue
        serializer_class = getattr(cls, "InputSerializer", None)
        if serializer_class is None:
            problems.append(f"{cls.__name__}: no InputSerializer")
            continue
        problems.extend(_loose_fields(serializer_class(), cls.__name__))
    assert problems == []


def test_the_walker_finds_a_loose_serializer() -> None:
    class Loose(serializers.Serializer):
        note = serializers.CharField()

    assert _loose_fields(Loose(), "Loose") == [
        "Loose: not a StrictSerializer",
        "Loose.note: no max_length",
    ]
