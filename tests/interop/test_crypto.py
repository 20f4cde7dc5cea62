import logging
import os

import pytest
from cryptography.fernet import Fernet
from django import forms
from django.db import connection
from django.test import override_settings

from interop.crypto import CredentialsKeyMissing, decrypt_secret, encrypt_secret
from interop.fields import SecretField
from tests.support.outbox_app.models import ExampleSecretHolder
from tests.support.processes import run_python

SECRET = "s3cr3t-BPJS-key-9876"


def test_it_round_trips_and_never_stores_the_plaintext(db: None) -> None:
    holder = ExampleSecretHolder.objects.create(name="a", secret=SECRET)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT secret FROM outbox_app_examplesecretholder WHERE id = %s", [holder.pk]
        )
        (stored,) = cursor.fetchone()
    assert SECRET not in stored
    assert decrypt_secret(stored) == SECRET
    assert ExampleSecretHolder.objects.get(pk=holder.pk).secret == SECRET


def test_the_sql_log_carries_only_ciphertext(db: None, caplog: pytest.LogCaptureFixture) -> None:
    connection.force_debug_cursor = True
    try:
        with caplog.at_level(logging.DEBUG, logger="django.db.backends"):
            ExampleSecretHolder.objects.create(name="b", secret=SECRET)
    finally:
        connection.force_debug_cursor = False
    assert "outbox_app_examplesecretholder" in caplog.text
    assert SECRET not in caplog.text


def test_a_value_from_another_key_reads_as_empty(db: None) -> None:
    holder = ExampleSecretHolder.objects.create(name="c", secret=SECRET)
    other = Fernet.generate_key().decode()
    with override_settings(PRB_CREDENTIALS_KEY=other):
        assert ExampleSecretHolder.objects.get(pk=holder.pk).secret == ""


def test_keys_rotate_first_encrypts_all_decrypt() -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    with override_settings(PRB_CREDENTIALS_KEY=old):
        token = encrypt_secret(SECRET)
    with override_settings(PRB_CREDENTIALS_KEY=f"{new},{old}"):
        assert decrypt_secret(token) == SECRET
        fresh = encrypt_secret(SECRET)
    with override_settings(PRB_CREDENTIALS_KEY=new):
        assert decrypt_secret(fresh) == SECRET


@override_settings(PRB_CREDENTIALS_KEY="", DEBUG=False)
def test_without_a_key_outside_debug_it_refuses() -> None:
    with pytest.raises(CredentialsKeyMissing, match="PRB_CREDENTIALS_KEY"):
        encrypt_secret(SECRET)


@override_settings(PRB_CREDENTIALS_KEY="", DEBUG=True)
def test_debug_uses_a_key_derived_from_the_secret_key() -> None:
    assert decrypt_secret(encrypt_secret(SECRET)) == SECRET


@override_settings(PRB_CREDENTIALS_KEY="not-a-fernet-key")
def test_a_malformed_key_is_a_clear_error() -> None:
    with pytest.raises(CredentialsKeyMissing, match="Fernet"):
        encrypt_secret(SECRET)


def _production_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "PRB_CREDENTIALS_KEY"}
    }
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "prb.settings",
        "DEBUG": "false",
        "SECRET_KEY": "k3y-" + "x9Qz!r7Lp#2w" * 5,
        **extra,
    }


def test_the_web_process_does_not_start_without_a_key() -> None:
    result = run_python("-c", "import prb.wsgi", env=_production_env())
    assert result.returncode != 0
    assert "PRB_CREDENTIALS_KEY is not set" in result.stderr


def test_the_web_process_starts_with_a_key() -> None:
    result = run_python(
        "-c",
        "import prb.wsgi; print('ok')",
        env=_production_env(PRB_CREDENTIALS_KEY=Fernet.generate_key().decode()),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_check_deploy_names_the_missing_key() -> None:
    result = run_python(
        "manage.py", "check", "--deploy", env=_production_env(ALLOWED_HOSTS="prb.example.id")
    )
    assert result.returncode != 0
    assert "interop.E001" in result.stdout + result.stderr


class SecretForm(forms.ModelForm):
    class Meta:
        model = ExampleSecretHolder
        fields = ["name", "secret"]


def test_the_form_never_renders_the_stored_secret(db: None) -> None:
    holder = ExampleSecretHolder.objects.create(name="d", secret=SECRET)
    html = str(SecretForm(instance=holder))
    assert isinstance(SecretForm.base_fields["secret"], SecretField)
    assert SECRET not in html
    assert 'type="password"' in html
    assert "tersimpan" in html


def test_blank_keeps_the_stored_secret(db: None) -> None:
    holder = ExampleSecretHolder.objects.create(name="e", secret=SECRET)
    form = SecretForm({"name": "e2", "secret": ""}, instance=holder)
    assert form.is_valid(), form.errors
    form.save()
    holder.refresh_from_db()
    assert (holder.name, holder.secret) == ("e2", SECRET)
    # Re-rendered after a submit, the value is still not in the page.
    assert SECRET not in str(form)


def test_a_new_value_replaces_and_hapus_removes(db: None) -> None:
    holder = ExampleSecretHolder.objects.create(name="f", secret=SECRET)
    form = SecretForm({"name": "f", "secret": "new-value"}, instance=holder)
    assert form.is_valid()
    form.save()
    holder.refresh_from_db()
    assert holder.secret == "new-value"
    form = SecretForm({"name": "f", "secret": "", "secret__clear": "on"}, instance=holder)
    assert form.is_valid()
    form.save()
    holder.refresh_from_db()
    assert holder.secret == ""
    assert "belum diisi" in str(SecretForm(instance=holder))
