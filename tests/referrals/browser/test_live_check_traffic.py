"""Slow links (issue 14 item 7): the live criteria check waits for a pause in typing and
sends only when a value changed."""

import pytest

from tests.accounts.factories import PASSWORD
from tests.support.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_live_check_is_debounced_and_skips_unchanged_values(world, page) -> None:
    log_in(page, "dokter1", PASSWORD)
    page.wait_for_url("**/")
    page.goto("/rujukan/baru/")
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if "/baru/periksa/" in r.url else None)
    field = page.locator("#id_f_fpg_mg_dl")
    with page.expect_response(lambda r: "/baru/periksa/" in r.url):
        field.press_sequentially("150")  # three keystrokes, one request
    field.fill("150")  # the same value again: input and change events, nothing to send
    field.dispatch_event("change")
    with page.expect_response(lambda r: "/baru/periksa/" in r.url):
        field.fill("151")
    assert len(sent) == 2, sent
