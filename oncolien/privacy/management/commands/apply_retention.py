"""Apply the retention rule now (the daily task does it on its own): anonymise the
patients whose last contact is older than ONCOLIEN_RETENTION_YEARS years."""

from oncolien.audit.commands import AuditedCommand
from oncolien.privacy.services import retention_apply


class Command(AuditedCommand):
    help = (
        "Anonymise les patients dont le dernier contact date de plus de "
        "ONCOLIEN_RETENTION_YEARS ans (règle de conservation) et en rend compte."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--simulation",
            action="store_true",
            help="Compter ce qui serait anonymisé, sans rien effacer.",
        )

    def handle(self, *args, **options):
        run = retention_apply(trigger="commande", dry_run=options["simulation"])
        verb = "seraient anonymisés" if run.dry_run else "anonymisés"
        self.stdout.write(
            f"Règle de conservation ({run.retention_years} ans, dernier contact avant le "
            f"{run.cutoff:%d/%m/%Y}) : {run.patients} patient(s), {run.pathways} parcours "
            f"{verb} ; {run.audit_entries} entrée(s) du journal d'audit effacée(s) "
            f"(chaînage conservé) ; {run.exports_purged} export(s) supprimé(s)."
        )
        if run.error:
            self.stderr.write(run.error)
