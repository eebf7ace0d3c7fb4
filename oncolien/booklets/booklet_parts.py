"""The booklet's own sections (registered in AppConfig.ready like any other app's):
the pathway's milestones, the care team, the treatments and the alert signs."""

from decimal import Decimal

from oncolien.booklets.extensions import BookletSection
from oncolien.booklets.wording import patient_wording, signs_for
from oncolien.pathways.alerts import DEFAULT_FEVER_THRESHOLD_C
from oncolien.pathways.models import AlertProtocol, CareTeamMember, Pathway, Treatment


def _day(value) -> str:
    return f"{value:%d/%m/%Y}"


def pathway_section(pathway: Pathway) -> BookletSection:
    """The pathway's milestones, from the discovery of the cancer on (the field's
    « retrace le parcours du patient depuis la découverte du cancer »)."""
    milestones = [
        ("Diagnostic", pathway.diagnosis_on),
        ("Premier contact avec la CPTS", pathway.first_contact_on),
        ("Inclusion dans le parcours de la CPTS", pathway.included_on),
        ("Fin des traitements actifs", pathway.end_of_active_treatment_on),
    ]
    return BookletSection(
        "Votre parcours",
        [f"{label} : {_day(day)}" for label, day in milestones if day is not None],
        "Les dates de votre parcours ne sont pas encore renseignées.",
    )


def care_team_section(pathway: Pathway) -> BookletSection:
    lines = []
    members = CareTeamMember.objects.filter(pathway=pathway, active=True).order_by("role", "name")
    for member in members:
        reach = [part for part in (member.phone, member.email) if part]
        how = f" : {' ; '.join(reach)}" if reach else ""
        lines.append(f"{member.name} — {member.get_role_display()}{how}")
    return BookletSection(
        "Votre équipe de soins",
        lines,
        "L'équipe de soins n'est pas encore renseignée.",
        intro="Les professionnel·les qui vous suivent, et comment les joindre.",
    )


def treatments_section(pathway: Pathway) -> BookletSection:
    lines = []
    for treatment in Treatment.objects.filter(pathway=pathway).order_by("started_on", "pk"):
        kind = treatment.get_kind_display()
        if treatment.started_on and treatment.ended_on:
            when = f"du {_day(treatment.started_on)} au {_day(treatment.ended_on)}"
        elif treatment.started_on:
            when = f"depuis le {_day(treatment.started_on)}"
        elif treatment.ended_on:
            when = f"jusqu'au {_day(treatment.ended_on)}"
        else:
            when = "dates à préciser"
        notes = f" ({treatment.notes})" if treatment.notes else ""
        lines.append(f"{kind} : {when}{notes}")
    return BookletSection(
        "Vos traitements", lines, "Aucun traitement n'est encore renseigné dans votre parcours."
    )


def alert_signs_section(pathway: Pathway) -> BookletSection:
    protocol = AlertProtocol.objects.filter(cpts_id=pathway.cpts_id).first()
    threshold = protocol.fever_threshold_c if protocol else DEFAULT_FEVER_THRESHOLD_C
    return BookletSection(
        "Les signes qui doivent vous faire appeler",
        [f"{sign} : {todo}" for sign, todo in signs_for(Decimal(threshold))],
        "",
        intro=patient_wording().intro,
    )
