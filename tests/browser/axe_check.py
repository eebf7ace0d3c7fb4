"""axe-core run on the page as it is, for the browser tests of the intake and provider
pages (WCAG 2.1 A and AA, as RGAA 4 maps onto it)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def _axe_script() -> str:
    # The npm package once `npm ci` has run, otherwise the copy shipped with the pinned
    # axe-playwright-python (a dev dependency).
    npm = ROOT / "node_modules" / "axe-core" / "axe.min.js"
    if npm.exists():
        return npm.read_text()
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()


def axe_violations(page) -> list[str]:
    """The violations axe-core finds on the page now, as « rule: help » lines."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=_axe_script())
    return page.evaluate(
        "async (o) => (await axe.run(document, o)).violations.map("
        "v => v.id + ': ' + v.help + ' → ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')))",
        AXE_OPTIONS,
    )
