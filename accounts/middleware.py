"""Who did it, from where: every tracked write in a request carries user and facility.

pghistory stores this context with each trigger-written event, so bulk
`queryset.update()` calls are attributed as well as single saves.
"""

from typing import Any

import pghistory
from django.core.handlers.wsgi import WSGIRequest
from pghistory.middleware import HistoryMiddleware


def audit_context_for(user: Any) -> dict[str, Any]:
    if user is None or not getattr(user, "is_authenticated", False):
        return {"user": None, "facility": None}
    return {"user": user.pk, "facility": getattr(user, "facility_id", None)}


class _AuditedRequest(WSGIRequest):
    # DRF authenticates in the view (token auth): refresh the context when it sets the user.
    def __setattr__(self, attr: str, value: Any) -> None:
        if attr == "user":
            pghistory.context(**audit_context_for(value))
        super().__setattr__(attr, value)


class AuditContextMiddleware(HistoryMiddleware):
    def get_context(self, request: Any) -> dict[str, Any]:
        return {**audit_context_for(getattr(request, "user", None)), "url": request.path}

    def __call__(self, request: Any) -> Any:
        if request.method in ("POST", "PUT", "PATCH", "DELETE"):
            with pghistory.context(**self.get_context(request)):
                if isinstance(request, WSGIRequest):
                    request.__class__ = _AuditedRequest
                return self.get_response(request)
        return self.get_response(request)
