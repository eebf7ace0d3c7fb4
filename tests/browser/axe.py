"""axe-core (bundled with axe-playwright-python, nothing downloaded) on a page a browser
test shows: any violation fails the test with axe's own report."""

from axe_playwright_python.sync_playwright import Axe

AXE = Axe()


def assert_accessible(page) -> None:
    results = AXE.run(page)
    assert results.violations_count == 0, results.generate_report()
