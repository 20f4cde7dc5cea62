"""The request types of views behind @login_required and of the API, for type checkers.

django-htmx's docs pattern: at run time they are plain HttpRequest and DRF's Request;
mypy sees the logged-in PRB user (and the htmx details the middleware adds). The API's
default permission is IsAuthenticated, so an API view's user is always a PRB user.
"""

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails
    from rest_framework.request import Request

    from accounts.models import User

    class AuthedRequest(HttpRequest):
        user: User  # type: ignore[assignment]
        htmx: HtmxDetails

    class AuthedApiRequest(Request):
        @property  # type: ignore[override]
        def user(self) -> User: ...

        @user.setter
        def user(self, value: User) -> None: ...

else:
    from rest_framework.request import Request

    AuthedRequest = HttpRequest
    AuthedApiRequest = Request
