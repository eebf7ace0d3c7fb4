"""The accessibility check every browser test runs can fail: it reports a real violation."""

import pytest

from tests.axe import AxeChecker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_axe_reports_an_image_without_text_and_a_field_without_label(live_server, browser):
    page = browser.new_page()
    checker = AxeChecker(page)
    page.goto(f"{live_server.url}/")
    checker.check()
    assert checker.checked and not checker.violations, checker.report()

    page.set_content('<html lang="fr"><body><main><img src="x.png"><input></main></body></html>')
    checker.check()
    found = {v["id"] for v in checker.violations[page.url]}
    assert {"image-alt", "label"} <= found
    page.close()
