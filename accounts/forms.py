"""The login form, with a message written for PRB's Indonesian users."""

from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    # Django's own message puts the field's label into a sentence that, in
    # Indonesian, already names it ("nama pengguna nama pengguna").
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The username or password is wrong. Capital letters count."),
    }
