"""Targets and verdicts, printed the same way by every benchmark.

Each bench records its targets with `Verdicts.check`, which prints one line
(the figure, the target, the verdict), then calls `Verdicts.finish`, which
prints the targets missed and exits 1 when there is one. `bench/run_all.py`
(`make bench`) runs every bench and reads these lines to list, at the end,
every target missed by any of them.
"""

import sys
from dataclasses import dataclass, field

MET = "objectif atteint"
MISSED = "OBJECTIF MANQUÉ"
# The prefix of the lines run_all.py collects.
MISSED_LINE = "✗ objectif manqué :"


@dataclass
class Verdicts:
    bench: str
    missed: list[str] = field(default_factory=list)
    checked: int = 0

    def check(self, label: str, figure: str, target: str, ok: bool) -> bool:
        self.checked += 1
        print(f"  {label} : {figure} (objectif {target}) — {MET if ok else MISSED}")
        if not ok:
            self.missed.append(f"{label} : {figure} (objectif {target})")
        return ok

    def finish(self) -> None:
        if not self.missed:
            print(f"\n{self.bench} : {self.checked} objectif(s), tous atteints.")
            sys.exit(0)
        print(f"\n{self.bench} : {len(self.missed)} objectif(s) manqué(s) sur {self.checked}.")
        for line in self.missed:
            print(f"{MISSED_LINE} {self.bench} — {line}")
        sys.exit(1)
