"""Write-only secrets: encrypted in the database, never rendered back into a form."""

import logging
from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from interop.crypto import CredentialsUnreadable, decrypt_secret, encrypt_secret

logger = logging.getLogger("prb.interop")

CLEAR_SUFFIX = "__clear"


class EncryptedTextField(models.TextField):
    """A text value stored as a Fernet token; Python code sees the plaintext.

    Tokens are not deterministic, so the column cannot be filtered on. A token the
    configured keys cannot read comes back as "" (the integration then reports missing
    credentials) and is logged without its value.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str:
        if not value:
            return ""
        try:
            return decrypt_secret(value)
        except CredentialsUnreadable:
            logger.warning("unreadable credential in %s", self.model._meta.label)
            return ""

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if not value:
            return ""
        return encrypt_secret(str(value))

    def formfield(
        self,
        form_class: type[forms.Field] | None = None,
        choices_form_class: type[forms.ChoiceField] | None = None,
        **kwargs: Any,
    ) -> forms.Field | None:
        # Whatever a caller asks for (the admin asks for a textarea), the secret stays
        # write-only.
        kwargs["widget"] = SecretInput
        return super().formfield(form_class=SecretField, **kwargs)


class SecretInput(forms.PasswordInput):
    """A password input that never renders the value; says "tersimpan" when one is stored."""

    template_name = "interop/widgets/secret_input.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            attrs={"autocomplete": "new-password", **(attrs or {})}, render_value=False
        )

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["is_stored"] = bool(value)
        context["widget"]["clear_name"] = name + CLEAR_SUFFIX
        context["widget"]["clear_id"] = (attrs or {}).get("id", name) + CLEAR_SUFFIX
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if data.get(name + CLEAR_SUFFIX):
            return SecretField.CLEAR
        return data.get(name, "")

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        # Left blank means "keep what is stored", never "set to the default".
        return False


class SecretField(forms.CharField):
    """Blank keeps the stored secret; the "hapus" box removes it; anything else replaces it."""

    CLEAR = "\x00clear"
    widget = SecretInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.pop("max_length", None)
        kwargs["required"] = False
        kwargs.setdefault("help_text", _("Leave blank to keep the stored value."))
        super().__init__(**kwargs)

    def _clean_bound_field(self, bf: Any) -> Any:
        data = bf.data
        if data == self.CLEAR:
            return ""
        if not data:
            return bf.initial or ""
        return self.clean(data)

    def bound_data(self, data: Any, initial: Any) -> Any:
        # Only tells the widget whether a value is stored; the widget never renders it.
        if data == self.CLEAR:
            return ""
        return data or initial

    def has_changed(self, initial: Any, data: Any) -> bool:
        return data == self.CLEAR or bool(data)
