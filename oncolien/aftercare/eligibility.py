"""Who may enter the post-cancer programme, and who may prescribe it.

Article R. 1415-1-11 of the public health code (décret n° 2020-1665): the
oncologist, paediatrician or GP of a person under the long-term condition
scheme (ALD) for a cancer may prescribe the programme "jusqu'à douze mois après
la fin de son traitement" — field document 003 says the same, "jusqu'à 1 an
après la fin de son traitement actif". The anniversary day is therefore still
eligible (treatment ended 10/01/2026: prescription possible until 10/01/2027
inclusive), and a prescription before the end of active treatment is not one
of this programme. The figures come from the rules file (`rules.py`).
"""

from dataclasses import dataclass
from datetime import date

from django.db import models

from oncolien.aftercare.rules import AllowanceRules, add_months, french_date
from oncolien.directory.identifiers import check_rpps


class PrescriberRole(models.TextChoices):
    ONCOLOGIST = "oncologist", "Oncologue (cancérologue)"
    PAEDIATRICIAN = "paediatrician", "Pédiatre"
    GP = "gp", "Médecin traitant"
    OTHER_PHYSICIAN = "other_physician", "Autre médecin"


@dataclass(frozen=True)
class Prescriber:
    role: str
    name: str
    rpps: str = ""


@dataclass(frozen=True)
class Eligibility:
    reasons: list[str]  # why not, in French; empty when eligible
    prescriber: Prescriber  # with the RPPS normalised
    last_day: date | None  # the last day a prescription is possible
    rpps_warning: str | None = None

    @property
    def eligible(self) -> bool:
        return not self.reasons


def eligibility_for(
    *, pathway, prescriber: Prescriber, prescribed_on: date, rules: AllowanceRules, today: date
) -> Eligibility:
    """Every reason the prescription is refused, not only the first, so that the
    prescriber can fix them all at once."""
    criteria = rules.eligibility
    reasons = []
    if criteria.requires_cancer_ald and not pathway.cancer_ald:
        reasons.append(
            "Le cancer du patient n'est pas déclaré en affection de longue durée (ALD) : "
            "le parcours est réservé aux patients en ALD. Corrigez le parcours si c'est le cas."
        )
    end = pathway.end_of_active_treatment_on
    last_day = add_months(end, criteria.months_after_end_of_treatment) if end else None
    if prescribed_on > today:
        reasons.append("La date de prescription ne peut pas être dans le futur.")
    if end is None:
        reasons.append(
            "La date de fin des traitements actifs n'est pas connue : renseignez-la sur le "
            "parcours avant de prescrire."
        )
    elif prescribed_on < end:
        reasons.append(
            f"La prescription (le {french_date(prescribed_on)}) précède la fin des traitements "
            f"actifs (le {french_date(end)}) : le parcours est prescrit après le traitement."
        )
    elif last_day is not None and prescribed_on > last_day:
        reasons.append(
            f"Les traitements actifs ont pris fin le {french_date(end)}, plus de "
            f"{criteria.months_after_end_of_treatment} mois avant la prescription : le parcours "
            f"pouvait être prescrit jusqu'au {french_date(last_day)} inclus."
        )
    if prescriber.role not in criteria.prescriber_roles:
        allowed = ", ".join(
            label for value, label in PrescriberRole.choices if value in criteria.prescriber_roles
        )
        reasons.append(f"Seuls ces médecins peuvent prescrire le parcours : {allowed}.")
    name = " ".join(prescriber.name.split())
    if not name:
        reasons.append("Indiquez le nom du médecin prescripteur.")
    rpps = check_rpps(prescriber.rpps)
    if rpps.error:
        reasons.append(rpps.error)
    return Eligibility(
        reasons=reasons,
        prescriber=Prescriber(role=prescriber.role, name=name, rpps=rpps.value),
        last_day=last_day,
        rpps_warning=rpps.warning,
    )
