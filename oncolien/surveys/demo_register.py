"""The fictitious register of Occitanie's CPTS, for the demo (data/demo_register.csv,
written by data/build_demo_register.py). It is read through the same checks as an
imported register, so the shipped file is also a working example of the format."""

from pathlib import Path

from django.db import transaction

from oncolien.surveys.models import CptsRegister
from oncolien.surveys.register_import import check_register_file, register_create

DEMO_FILE = Path(__file__).resolve().parent / "data" / "demo_register.csv"
DEMO_TITLE = "Registre fictif des CPTS d'Occitanie (démonstration)"
DEMO_REGION = "Occitanie"


@transaction.atomic
def load_demo_register() -> CptsRegister:
    """The demo register, created once: loading it again returns the same register."""
    existing = CptsRegister.objects.filter(title=DEMO_TITLE, is_fictitious=True).first()
    if existing is not None:
        return existing
    check = check_register_file(DEMO_FILE.read_bytes(), DEMO_FILE.name)
    if not check.can_import:
        problems = check.file_errors + [
            f"ligne {row.line} : {' '.join(row.errors)}" for row in check.rows if not row.ok
        ]
        raise ValueError("demo_register.csv does not pass the import: " + "; ".join(problems))
    return register_create(
        check=check,
        title=DEMO_TITLE,
        region=DEMO_REGION,
        imported_by=None,
        is_fictitious=True,
    )
