"""Encryption of stored credentials with the key from ``PRB_CREDENTIALS_KEY``."""

import base64
import hashlib
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class CredentialsKeyMissing(ImproperlyConfigured):
    pass


class CredentialsUnreadable(Exception):
    """A stored secret cannot be decrypted with the configured keys (key changed)."""


def _derived_development_key(secret_key: str) -> bytes:
    digest = hashlib.sha256(("prb-credentials:" + secret_key).encode()).digest()
    return base64.urlsafe_b64encode(digest)


@cache
def _fernet_for(keys: str, debug: bool, secret_key: str) -> MultiFernet:
    parts = [part.strip() for part in keys.split(",") if part.strip()]
    if not parts:
        if not debug:
            raise CredentialsKeyMissing(
                "PRB_CREDENTIALS_KEY is not set: it encrypts the facilities' BPJS and SATUSEHAT "
                'credentials. Generate one with: python -c "from cryptography.fernet import '
                'Fernet; print(Fernet.generate_key().decode())"'
            )
        parts = [_derived_development_key(secret_key).decode()]
    try:
        return MultiFernet([Fernet(part.encode()) for part in parts])
    except ValueError as exc:
        raise CredentialsKeyMissing(
            "PRB_CREDENTIALS_KEY must be one or more Fernet keys (32 url-safe base64-encoded "
            "bytes), separated by commas."
        ) from exc


def credentials_fernet() -> MultiFernet:
    """The keys in force; raises ``CredentialsKeyMissing`` outside DEBUG without a key."""
    return _fernet_for(
        getattr(settings, "PRB_CREDENTIALS_KEY", ""), bool(settings.DEBUG), settings.SECRET_KEY
    )


def require_credentials_key() -> None:
    """Called when a production process starts: a missing key stops it with a clear error."""
    credentials_fernet()


def encrypt_secret(plaintext: str) -> str:
    return credentials_fernet().encrypt(plaintext.encode()).decode()


def decrypt_secret(token: str) -> str:
    try:
        return credentials_fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise CredentialsUnreadable(
            "A stored credential cannot be decrypted: PRB_CREDENTIALS_KEY changed?"
        ) from exc
