"""The one paginator of PRB's API lists: page numbers as the schema says (integers from 1).

DRF reads an empty ``?page=`` as the first page; the schema documents ``page`` as an
integer, so an empty or non-numeric page is refused (404 "Invalid page.", as DRF answers
for a page past the end), never silently served. Kept apart from ``common.api`` because DRF
imports its pagination class while ``rest_framework.generics`` is being imported.
"""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination


class StrictPageNumberPagination(PageNumberPagination):
    def get_page_number(self, request: Any, paginator: Any) -> Any:
        if self.page_query_param in request.query_params:
            raw = request.query_params[self.page_query_param]
            if not raw.isascii() or not raw.isdigit():
                raise NotFound(self.invalid_page_message.format(page_number=raw, message=""))
        return super().get_page_number(request, paginator)
