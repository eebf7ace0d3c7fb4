"""`mypy oncolien`, while a few files are still being typed.

Every error is printed. Errors in the files of PENDING are reported but do not fail
the run (they are being refactored by other hands); an error anywhere else does.
Remove a file from PENDING as soon as it is clean; once PENDING is empty, `make
typecheck` can call mypy directly.
"""

import re
import subprocess
import sys

PENDING = {
    "oncolien/aftercare/forms.py",
    "oncolien/aftercare/hooks.py",
    "oncolien/assessments/forms.py",
    "oncolien/assessments/panels.py",
    "oncolien/assessments/views_link.py",
    "oncolien/directory/api.py",
    "oncolien/directory/apps.py",
    "oncolien/directory/forms.py",
    "oncolien/directory/hsds/views.py",
    "oncolien/directory/search/forms.py",
    "oncolien/directory/views_curation.py",
    "oncolien/directory/views_printing.py",
    "oncolien/pathways/forms.py",
    "oncolien/pathways/views.py",
    "oncolien/pathways/views_pathway.py",
    "oncolien/pathways/views_reports.py",
    "oncolien/territories/selectors.py",
}
ERROR = re.compile(r"^(?P<path>[^:\s]+\.py):\d+: error:")


def main() -> int:
    result = subprocess.run(  # noqa: S603 - a fixed command line, no user input
        [sys.executable, "-m", "mypy", "oncolien"], capture_output=True, text=True, check=False
    )
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    if result.returncode not in (0, 1):
        return result.returncode  # mypy itself failed (configuration, crash)
    paths = [m["path"] for line in result.stdout.splitlines() if (m := ERROR.match(line))]
    blocking = sorted({path for path in paths if path not in PENDING})
    pending = len(paths) - sum(path in blocking for path in paths)
    if pending:
        print(f"typecheck: {pending} erreur(s) tolérée(s) dans les fichiers en cours de typage.")
    if blocking:
        print("typecheck: erreurs hors des fichiers en cours de typage : " + ", ".join(blocking))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
