"""An import-linter contract: each app reaches another only through its public modules.

An app is a package of the root package with an `apps` module (a Django app).
When a module of one app imports a module of another, the imported module must
be one of the other app's public modules: by default `models`, `services`,
`selectors` and `extensions` (its declared extension points), plus the modules
an app declares public in the contract (`also_public`, each with its reason in
pyproject.toml). Views, APIs, forms and schemas are never public: what several
apps' web layers share lives in `web/`. Tests are not checked (a test may drive
another app's pages), nor are the project-level modules that assemble the apps
(`urls`, `api`).

Discovered rather than listed, the apps include every new app the day it is
created, so the rule cannot be forgotten.
"""

from __future__ import annotations

from typing import Any

import grimp
from importlinter import Contract, ContractCheck, fields, output

DEFAULT_PUBLIC = ("models", "services", "selectors", "extensions")


class AppBoundariesContract(Contract):
    type_name = "app_boundaries"

    root = fields.StringField()
    public = fields.ListField(subfield=fields.StringField(), required=False)
    also_public = fields.ListField(subfield=fields.StringField(), required=False)

    def _apps(self, graph: grimp.ImportGraph) -> set[str]:
        root = str(self.root)
        return {
            module.split(".")[1]
            for module in graph.modules
            if module.startswith(f"{root}.") and module.count(".") == 2 and module.endswith(".apps")
        }

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        root = str(self.root)
        apps = self._apps(graph)
        public = set(self.public or DEFAULT_PUBLIC)  # type: ignore[arg-type]
        declared = {str(item) for item in (self.also_public or [])}  # type: ignore[union-attr]
        violations: list[dict[str, Any]] = []
        for importer in sorted(graph.modules):
            parts = importer.split(".")
            if len(parts) < 3 or parts[0] != root or parts[1] not in apps or "tests" in parts:
                continue
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                target = imported.split(".")
                if len(target) < 3 or target[0] != root or target[1] not in apps:
                    continue
                if target[1] == parts[1]:
                    continue
                inside = ".".join(target[2:])
                if target[2] in public or any(
                    f"{target[1]}.{inside}" == d or f"{target[1]}.{inside}".startswith(f"{d}.")
                    for d in declared
                ):
                    continue
                lines = [
                    detail["line_number"]
                    for detail in graph.get_import_details(importer=importer, imported=imported)
                ]
                violations.append({"importer": importer, "imported": imported, "lines": lines})
        return ContractCheck(kept=not violations, metadata={"violations": violations})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for violation in check.metadata["violations"]:
            lines = ", ".join(f"l.{n}" for n in violation["lines"])
            output.print_error(
                f"{violation['importer']} -> {violation['imported']} ({lines})", bold=False
            )
        output.new_line()
        output.print_error(
            "An app may import another app's models, services, selectors and extensions "
            "(and the modules declared public in pyproject.toml), never its views, API, "
            "forms or schemas. Move shared web helpers to oncolien/web/.",
            bold=False,
        )
