"""The request type of views behind @login_required, for type checkers.

django-htmx's docs pattern: at run time it is plain HttpRequest; mypy sees the
logged-in PRB user and the htmx details the middleware adds.
"""

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from accounts.models import User

    class AuthedRequest(HttpRequest):
        user: User  # type: ignore[assignment]
        htmx: HtmxDetails

else:
    AuthedRequest = HttpRequest
