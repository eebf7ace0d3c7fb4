"""An explicit axe-core check of the page as it is now, for a state reached by script
(a question that appeared, a message shown) that no page load would check. Every page
load is already checked by the `_axe_on_every_page` fixture (conftest.py)."""

from tests.axe import AxeChecker


def assert_accessible(page) -> None:
    checker = AxeChecker(page)
    checker.check()
    assert checker.checked, "axe-core n'a pas pu vérifier la page."
    assert not checker.violations, checker.report()
