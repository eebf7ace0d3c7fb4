"""What the hormone-therapy follow-up adds to the patient's booklet (registered in
AppConfig.ready): the treatment followed and the next planned contacts, in the
patient's words, for a pathway that has a plan. The pathway is one the booklets app
already authorised."""

from oncolien.adherence.models import ContactMode
from oncolien.adherence.selectors import summary_of
from oncolien.booklets.extensions import BookletSection
from oncolien.pathways.models import Pathway

# The next contacts shown: enough to plan, not the five years of the schedule.
NEXT_SHOWN = 3


def _d(day) -> str:
    return f"{day:%d/%m/%Y}"


def hormone_therapy_section(pathway: Pathway) -> BookletSection | None:
    summary = summary_of(pathway)
    if summary is None:
        return None
    plan = summary.plan
    mode = "par téléphone" if plan.contact_mode == ContactMode.CALL else "lors d'une visite"
    lines = [
        f"Votre hormonothérapie : {summary.drug}, commencée le {_d(plan.started_on)}, "
        f"prévue jusqu'au {_d(summary.ends_on)}.",
        f"L'infirmier·ère qui vous suit prend de vos nouvelles {mode}, à intervalles "
        "réguliers : dites-lui si vous oubliez des prises, si vous avez des effets "
        "indésirables ou si vous pensez arrêter.",
        "N'arrêtez pas votre traitement sans en parler à votre médecin.",
    ]
    lines += [
        f"Prochain contact prévu le {_d(contact.planned_on)}."
        for contact in (summary.overdue + summary.upcoming)[:NEXT_SHOWN]
        if contact.planned_on is not None
    ]
    return BookletSection("Votre suivi de l'hormonothérapie", lines)
