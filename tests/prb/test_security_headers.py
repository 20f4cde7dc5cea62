"""Safe by default (issue 10 item 9): a CSP without inline code, and closed API docs."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import User
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def _pages_without_arguments() -> list[str]:
    """Every route of the project that needs no argument in its path."""
    found: list[str] = []

    def walk(patterns: list, prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and "<" not in route and "(?P" not in route:
                found.append("/" + route.lstrip("^").rstrip("$").replace("\\Z", ""))

    walk(get_resolver().url_patterns, "")
    return sorted(set(found))


PAGES = _pages_without_arguments()


def test_the_walk_finds_the_pages_people_use() -> None:
    assert {"/", "/pasien/", "/farmasi/", "/api/docs/", "/akun/masuk/"} <= set(PAGES)


@pytest.mark.parametrize("logged_in", [False, True])
def test_every_page_answers_with_a_policy_that_allows_no_inline_code(
    client, logged_in: bool
) -> None:
    if logged_in:
        client.force_login(UserFactory(role=User.Role.ADMIN, is_superuser=True, is_staff=True))
    for path in [*PAGES, "/tidak-ada/", "/healthz"]:
        response = client.get(path)
        policy = response.headers.get("Content-Security-Policy", "")
        assert "script-src 'self'" in policy, (path, response.status_code)
        assert "style-src 'self'" in policy, path
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, path
        assert "frame-ancestors 'none'" in policy, path


INLINE_CODE = re.compile(
    r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=|javascript:", re.IGNORECASE
)


def test_no_template_carries_inline_script_style_or_handler() -> None:
    templates = [
        path
        for path in ROOT.rglob("*.html")
        if not {".venv", ".data", "node_modules"} & set(path.relative_to(ROOT).parts)
    ]
    assert len(templates) > 50
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in templates
        for match in INLINE_CODE.finditer(path.read_text())
    ]
    assert offenders == []


def test_print_buttons_work_through_the_static_script(client) -> None:
    script = (ROOT / "static" / "js" / "prb.js").read_text()
    assert "[data-print]" in script and "window.print()" in script
    client.force_login(UserFactory(role=User.Role.ADMIN, is_superuser=True, is_staff=True))
    page = client.get(reverse("home")).content.decode()
    assert 'src="/static/js/prb.js"' in page


def test_api_docs_and_schema_are_closed_to_anonymous_visitors(client) -> None:
    docs = client.get("/api/docs/")
    assert docs.status_code == 302
    assert docs["Location"].startswith(f"{reverse('login')}?next=")
    assert client.get("/api/docs/?script").status_code == 302
    assert client.get("/api/schema/").status_code == 401


def test_api_docs_and_schema_open_for_a_logged_in_user(client) -> None:
    client.force_login(UserFactory(role=User.Role.DOKTER))
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"<script src=" in docs.content and b"?script" in docs.content
    assert client.get("/api/docs/?script").status_code == 200
    assert client.get("/api/schema/").status_code == 200


def test_api_schema_opens_with_a_token(client) -> None:
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=UserFactory(role=User.Role.DOKTER))
    response = client.get("/api/schema/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200


def test_one_login_page(client) -> None:
    assert reverse("login") == "/akun/masuk/"
    assert settings.LOGIN_URL == "login"
    response = client.get("/akun/login/?next=/pasien/")
    assert response.status_code == 302
    assert response["Location"] == "/akun/masuk/?next=/pasien/"
    assert client.get("/pasien/")["Location"].startswith("/akun/masuk/")


def test_health_probe_answers_over_plain_http_for_any_host(client, settings) -> None:
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["prb.example.id"]
    response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    # Everything else still goes to HTTPS on an allowed host.
    assert client.get("/akun/masuk/", HTTP_HOST="prb.example.id").status_code == 301
