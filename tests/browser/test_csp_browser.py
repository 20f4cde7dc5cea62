"""Pages run under the Content-Security-Policy: no blocked script or style, print still works."""

import pytest

from pharmacy.services import prb_store_for
from tests.accounts.factories import PASSWORD
from tests.support.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    messages: list[str] = []
    page.on(
        "console",
        lambda message: (
            messages.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return messages


def test_htmx_pages_and_the_print_button_run_without_inline_code(world, page) -> None:
    violations = _violations(page)
    store = prb_store_for(world.pkm1.pk)
    log_in(page, "farmasi1", PASSWORD)
    page.wait_for_url("**/")
    page.goto(f"/farmasi/gudang/{store.pk}/lplpo/")
    page.evaluate("window.print = () => { window.printed = true; }")
    page.get_by_role("button", name="Cetak").click()
    assert page.evaluate("window.printed") is True
    page.goto("/pasien/")
    page.get_by_label("Nama, NIK atau nomor BPJS").fill("siti")
    page.wait_for_url("**q=siti**")
    assert violations == []


def test_the_api_docs_render_under_the_policy(world, page) -> None:
    violations = _violations(page)
    log_in(page, "dokter1", PASSWORD)
    page.wait_for_url("**/")
    page.goto("/api/docs/")
    page.get_by_text("PRB API").first.wait_for()
    assert page.locator(".opblock").count() > 5
    assert violations == []
