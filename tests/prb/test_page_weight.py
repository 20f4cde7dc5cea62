"""Slow links (issue 14 item 7): every page is at most 50 KB transferred on a cold cache and
at most 15 KB warm, counted compressed as the server sends it.

Cold: the HTML (gzip from GZipMiddleware), every stylesheet and script it loads (WhiteNoise's
pre-compressed ``.gz``, level 9) and what the page fetches on load (``hx-trigger="load"``).
Warm: static files have hashed names cached for a year, so only the HTML and the on-load
fetches travel again. Pages: every one reachable from each role's navigation, two links deep,
in the (small) demo district.
"""

import gzip
import io
import re
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import Client, override_settings

from accounts.models import User
from demo import world as demo_world

pytestmark = pytest.mark.django_db

COLD_BUDGET = 50 * 1024
WARM_BUDGET = 15 * 1024
ROLES = ("dokter.pkm1", "perawat.pkm1", "pustu.pkm1", "farmasi.pkm1", "dinkes.kab1", "admin")
NOT_PAGES = re.compile(r"^/(api|admin|static)/|/(ekspor|export|unduh)/|\.(csv|xlsx|pdf)$|/keluar/")


def _compressed(client: Client, url: str) -> tuple[int, str]:
    """Bytes on the wire and the page's HTML; (0, "") for a page this user may not open
    (the all-pages browser sweep reports those)."""
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    if response.status_code == 403:
        return 0, ""
    assert response.status_code == 200, (url, response.status_code)
    body = response.content
    if len(body) > 200:  # GZipMiddleware leaves tiny answers alone
        assert response["Content-Encoding"] == "gzip", url
    html = gzip.decompress(body).decode() if response.get("Content-Encoding") else body.decode()
    return len(body), html


def _static_bytes(html: str) -> int:
    size = 0
    for asset in set(re.findall(r'(?:src|href)="/static/([^"?]+)"', html)):
        path = finders.find(asset)
        assert path, asset
        with open(path, "rb") as handle:
            size += len(gzip.compress(handle.read(), compresslevel=9))
    return size


def _links(html: str) -> list[str]:
    main = html.split("<main", 1)[-1]
    paths = []
    for href in re.findall(r'<a [^>]*href="([^"]+)"', main):
        parts = urlsplit(href.replace("&amp;", "&"))
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        if NOT_PAGES.search(parts.path) or "format=" in parts.query:
            continue
        paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return paths


def _shape(path: str) -> str:
    return re.sub(r"/(\d+|[A-Z][A-Z_]+)(?=/)", "/<id>", path)


def test_every_page_fits_the_cold_and_warm_budget(monkeypatch) -> None:
    monkeypatch.setattr(demo_world, "PATIENTS_PER_PUSKESMAS", 4)
    call_command("seed_demo", stdout=io.StringIO())
    seen: set[str] = set()
    over: list[str] = []
    for username in ROLES:
        client = Client()
        client.force_login(User.objects.get(username=username))
        _, home = _compressed(client, "/")
        nav = re.findall(r'<a href="(/[^"]*)"', home.split("<nav", 1)[1].split("</nav>", 1)[0])
        level = ["/", *nav]
        for _depth in range(3):
            below: list[str] = []
            for url in level:
                if _shape(urlsplit(url).path) in seen:
                    continue
                seen.add(_shape(urlsplit(url).path))
                html_bytes, html = _compressed(client, url)
                if not html:
                    seen.discard(_shape(urlsplit(url).path))  # another role may open it
                    continue
                on_load = sum(
                    _compressed(client, fetch)[0]
                    for fetch in re.findall(r'hx-get="([^"]+)" hx-trigger="load', html)
                )
                warm = html_bytes + on_load
                cold = warm + _static_bytes(html)
                if cold > COLD_BUDGET or warm > WARM_BUDGET:
                    over.append(f"[{username}] {url}: cold {cold} B, warm {warm} B")
                below += _links(html)
            level = below
    assert len(seen) > 30, sorted(seen)
    assert not over, "\n".join(over)


def test_a_big_list_is_compressed_on_the_wire(world, login) -> None:
    from tests.patients.factories import PatientFactory

    PatientFactory.create_batch(25, fktp=world.pkm1)
    client = login(world.dokter1)
    plain = client.get("/pasien/")
    squeezed = client.get("/pasien/", HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in plain
    assert squeezed["Content-Encoding"] == "gzip"
    assert len(squeezed.content) * 3 < len(plain.content)
    assert gzip.decompress(squeezed.content).decode().count("<tr") >= 25


def test_production_static_files_are_precompressed_and_cached_for_a_year(tmp_path) -> None:
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(STORAGES=storages, STATIC_ROOT=tmp_path, WHITENOISE_USE_FINDERS=False):
        call_command("collectstatic", "--noinput", stdout=io.StringIO())
        from django.templatetags.static import static

        url = static("css/prb.css")
        assert re.search(r"/static/css/prb\.[0-9a-f]{12}\.css$", url), url
        assert (tmp_path / url.removeprefix("/static/")).with_suffix(".css.gz").exists()
        response = Client().get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200
        assert response["Content-Encoding"] == "gzip"
        assert "immutable" in response["Cache-Control"]
        max_age = int(re.search(r"max-age=(\d+)", response["Cache-Control"]).group(1))  # type: ignore[union-attr]
        assert max_age >= 365 * 24 * 3600
