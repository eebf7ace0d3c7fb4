"""axe-core on every page a browser test visits.

The npm package (package.json, installed by `make test`) is injected into each page
once it has loaded; its violations are collected per page and the test fails at its
end listing them. A page left before axe could run (a redirect racing the check) is
checked again when the next page loads, since the check runs on every `load`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

AXE_SCRIPT = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.1 A and AA, the level French public services are held to (RGAA 4 maps onto it).
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
# One axe run at a time in a page: a check started by a load event may still be running
# when a test asks for its own; the second waits for the first.
RUN = """async (options) => {
  while (window.__oncolienAxe) { try { await window.__oncolienAxe; } catch (e) {} }
  const run = axe.run(document, options);
  window.__oncolienAxe = run;
  try {
    const r = await run;
    return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
      targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
  } finally { window.__oncolienAxe = null; }
}"""


@dataclass
class AxeChecker:
    page: Any
    checked: list[str] = field(default_factory=list)
    violations: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    running: bool = False

    def __post_init__(self) -> None:
        if not AXE_SCRIPT.exists():
            raise RuntimeError(
                f"axe-core est introuvable ({AXE_SCRIPT}) : lancez `npm ci` (make test le fait)."
            )
        self.script = AXE_SCRIPT.read_text()

    def check(self) -> None:
        """Run axe on the page as it is now (call it after a change made by script too)."""
        page = self.page
        url = page.url
        # A load event may fire while a check awaits axe: one run at a time.
        if self.running or page.is_closed() or not url.startswith("http"):
            return
        self.running = True
        try:
            if not page.evaluate("() => typeof window.axe !== 'undefined'"):
                # Evaluated by the browser's devtools protocol, which the page's
                # Content-Security-Policy does not govern (an inline <script> tag would
                # be refused by script-src 'self', and reported as a violation).
                page.evaluate(self.script)
            found = page.evaluate(RUN, AXE_OPTIONS)
        except Exception as error:  # the page navigated away while axe ran
            if page.is_closed() or any(
                sign in str(error) for sign in ("context was destroyed", "navigat", "closed")
            ):
                return
            raise
        finally:
            self.running = False
        self.checked.append(url)
        if found:
            self.violations.setdefault(url, []).extend(found)

    def finish(self) -> None:
        """At the test's end: let a check started by a load event complete, then check the
        page as the test left it."""
        for _ in range(100):
            if not self.running or self.page.is_closed():
                break
            # Gives Playwright's loop a turn, so that the pending check can finish.
            self.page.wait_for_timeout(100)
        self.check()

    def report(self) -> str:
        lines = [f"axe-core : violations d'accessibilité sur {len(self.violations)} page(s) :"]
        for url, found in self.violations.items():
            lines.append(f"- {url}")
            lines += [
                f"    {v['id']} ({v['impact']}) : {v['help']} → {v['targets']}" for v in found
            ]
        return "\n".join(lines)
