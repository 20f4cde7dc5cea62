"""Every route declares its policy, and every role meets it (issue 10 item 2).

A view added without an entry in ``accounts.policy.ROUTES`` fails here, so it cannot reach
``main`` unchecked; the pages without URL arguments are then opened by every role and an
out-of-facility user: a role holding the capability gets its page (200/302), one without it
gets 403, and opening a page writes nothing.
"""

import types

import pytest
from django.apps import apps
from django.http import HttpResponse
from django.urls import NoReverseMatch, path, reverse

from accounts import policy
from accounts.policy import PUBLIC, ROUTES

pytestmark = pytest.mark.django_db


def test_every_route_declares_its_policy() -> None:
    assert policy.undeclared_routes() == []


def test_a_route_without_a_declaration_is_found() -> None:
    def new_page(request):  # type: ignore[no-untyped-def]
        return HttpResponse("new")

    urlconf = types.ModuleType("urlconf_with_a_new_page")
    urlconf.urlpatterns = [  # type: ignore[attr-defined]
        path("", new_page, name="home"),
        path("baru/", new_page, name="a_new_page_nobody_declared"),
        path("tanpa-nama/", new_page),
    ]
    assert policy.undeclared_routes(urlconf) == [
        "a_new_page_nobody_declared",
        "<unnamed tanpa-nama/>",
    ]


def test_the_declarations_name_real_routes() -> None:
    from django.urls import get_resolver

    names = set()
    resolver = get_resolver()
    for name in ROUTES:
        if ":" in name or name in resolver.reverse_dict:
            names.add(name)
    assert set(ROUTES) == names


def _without_arguments() -> list[str]:
    found = []
    for name, rule in ROUTES.items():
        if rule == PUBLIC:
            continue
        try:
            reverse(name)
        except NoReverseMatch:
            continue  # takes arguments: checked by each app's out-of-scope tests
        found.append(name)
    return found


ROLE_USERS = ["dokter1", "perawat1", "pustu_staff1", "farmasi1", "admin1", "dinkes_a"]
# Reading a page may log the read; nothing else may change.
LOG_TABLES = {
    "patients.PatientAccessLog",
    "patients.PatientListAccess",
    "sessions.Session",
    "axes.AccessLog",
}


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.managed
        and model._meta.label not in LOG_TABLES
        and not model._meta.label.endswith("Event")
        and model._meta.app_label not in ("pghistory", "axes", "sessions", "authtoken")
    }


@pytest.mark.parametrize("name", _without_arguments())
def test_every_role_gets_what_the_policy_declares(world, client, name) -> None:
    url = reverse(name)
    before = _row_counts()
    for attribute in ROLE_USERS:
        user = getattr(world, attribute)
        client.force_login(user)
        response = client.get(url)
        reached = (200, 302)
        if response.status_code == 405:  # a POST-only route: post nothing
            response = client.post(url, "{}", content_type="application/json")
            reached = (200, 302, 400)  # the empty form is refused, by the view
        allowed = policy.allows(user, ROUTES[name])
        if allowed:
            assert response.status_code in reached, (name, user.role, response.status_code)
        else:
            assert response.status_code == 403, (name, user.role, response.status_code)
    assert _row_counts() == before, name
