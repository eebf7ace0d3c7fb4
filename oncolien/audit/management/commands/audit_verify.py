from django.core.management.base import BaseCommand, CommandError

from oncolien.audit.chain import verify_chain


class Command(BaseCommand):
    help = "Vérifie l'intégrité du journal d'audit (chaînage des empreintes SHA-256)."

    def handle(self, *args, **options):
        report = verify_chain()
        if report.is_intact:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Journal d'audit intègre : {report.checked} entrée(s) vérifiée(s)."
                )
            )
            return
        for chain_break in report.breaks:
            self.stderr.write(f"Entrée n° {chain_break.sequence} : {chain_break.reason}")
        raise CommandError(
            f"Journal d'audit altéré : {len(report.breaks)} anomalie(s) sur "
            f"{report.checked} entrée(s) vérifiée(s)."
        )
