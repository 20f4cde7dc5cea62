"""Pages that htmx refreshes in part.

A page's template names the part htmx swaps with ``{% partialdef %}``
(django-template-partials); an htmx request gets that part, any other the page.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def render_page(
    request: HttpRequest, template: str, context: dict[str, Any], *, partial: str = "results"
) -> HttpResponse:
    """``template`` whole, or only its ``partial`` when htmx asks (django-htmx's ``request.htmx``)."""
    if getattr(request, "htmx", False):
        template = f"{template}#{partial}"
    return render(request, template, context)
