from typing import Any

from django.apps import AppConfig
from django.core import checks

from interop.crypto import CredentialsKeyMissing, credentials_fernet


class InteropConfig(AppConfig):
    name = "interop"

    def ready(self) -> None:
        checks.register(check_credentials_key, checks.Tags.security, deploy=True)


def check_credentials_key(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    try:
        credentials_fernet()
    except CredentialsKeyMissing as exc:
        return [checks.Error(str(exc), id="interop.E001")]
    return []
