"""Writes of the post-cancer programme: prescribe it, record its acts as done.

Each service is atomic, authorised ("pathway.write" on the programme's pathway),
checked against eligibility and the allowance rules, and audited. A refusal is a
ValidationError carrying the French reasons, and nothing is stored.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from oncolien.accounts.authorization import authorize
from oncolien.accounts.models import User
from oncolien.aftercare import rules
from oncolien.aftercare.eligibility import Prescriber, eligibility_for
from oncolien.aftercare.models import PostCancerProgramme, ProgrammeAct
from oncolien.audit.services import audit_record
from oncolien.directory.models import POST_CANCER_PROGRAMME_LABEL, Service, ServiceStatus
from oncolien.pathways.access import PATHWAY_WRITE
from oncolien.pathways.models import Pathway


@dataclass(frozen=True)
class PrescribedActs:
    """What the prescriber ticks: the assessments and the number of follow-ups."""

    physical_activity_assessment: bool = False
    dietary_assessment: bool = False
    psychological_assessment: bool = False
    dietary_follow_ups: int = 0
    psychological_follow_ups: int = 0

    def kinds(self) -> list[str]:
        kinds = [
            kind
            for kind in rules.ASSESSMENT_KINDS
            if getattr(self, kind)  # the field names are the kinds
        ]
        kinds += [rules.DIETARY_FOLLOW_UP] * self.dietary_follow_ups
        kinds += [rules.PSYCHOLOGICAL_FOLLOW_UP] * self.psychological_follow_ups
        return kinds


FOLLOW_UP_COUNTS = ("dietary_follow_ups", "psychological_follow_ups")


def check_follow_up_counts(in_force: rules.AllowanceRules, acts: PrescribedActs) -> None:
    """Each count of follow-ups between 0 and what the allowance pays, or a ValidationError
    on that count; their sum is checked with the other acts (`rules.check_prescribed`)."""
    errors = {}
    for name in FOLLOW_UP_COUNTS:
        count = getattr(acts, name)
        if count < 0:
            errors[name] = "Le nombre de consultations de suivi ne peut pas être négatif."
        elif count > in_force.max_follow_ups:
            errors[name] = (
                f"Au plus {in_force.max_follow_ups} consultations de suivi sont prises en "
                f"charge : {count} sont prescrites."
            )
    if errors:
        raise ValidationError(errors)


def check_structure(service: Service) -> None:
    if service.status != ServiceStatus.ACTIVE:
        raise ValidationError(
            {"service": f"L'offre « {service.name} » n'est plus active dans l'annuaire."}
        )
    if not service.labels.filter(code=POST_CANCER_PROGRAMME_LABEL).exists():
        raise ValidationError(
            {
                "service": (
                    f"« {service} » n'est pas une structure labellisée pour le parcours de soins "
                    "global après le traitement d'un cancer : choisissez une structure labellisée."
                )
            }
        )


def labelled_services():
    return (
        Service.objects.filter(
            labels__code=POST_CANCER_PROGRAMME_LABEL, status=ServiceStatus.ACTIVE
        )
        .select_related("organization")
        .order_by("organization__name", "name")
    )


def programme_prescribe(
    *,
    actor: User,
    pathway: Pathway,
    prescriber: Prescriber,
    prescribed_on: date,
    service: Service,
    acts: PrescribedActs,
    today: date | None = None,
) -> PostCancerProgramme:
    authorize(actor, PATHWAY_WRITE, pathway)
    in_force = rules.rules_on(prescribed_on)
    # The counts are checked before any act is built and before the pathway is locked:
    # a count in the millions must cost nothing, and hold no lock.
    check_follow_up_counts(in_force, acts)
    with transaction.atomic():
        # Lock the pathway so that two prescriptions at once cannot both pass the check.
        pathway = Pathway.objects.select_for_update().get(pk=pathway.pk)
        if PostCancerProgramme.objects.filter(pathway=pathway).exists():
            raise ValidationError("Le parcours après cancer a déjà été prescrit pour ce patient.")
        eligibility = eligibility_for(
            pathway=pathway,
            prescriber=prescriber,
            prescribed_on=prescribed_on,
            rules=in_force,
            today=today or timezone.localdate(),
        )
        errors = list(eligibility.reasons)
        try:
            check_structure(service)
        except ValidationError as error:
            errors.extend(error.messages)
        kinds = acts.kinds()
        errors.extend(rules.check_prescribed(in_force, kinds))
        if errors:
            raise ValidationError(errors)
        programme = PostCancerProgramme.objects.create(
            pathway=pathway,
            prescriber_role=eligibility.prescriber.role,
            prescriber_name=eligibility.prescriber.name,
            prescriber_rpps=eligibility.prescriber.rpps,
            prescribed_on=prescribed_on,
            service=service,
            rules_version=in_force.version,
            created_by=actor,
        )
        ProgrammeAct.objects.bulk_create(ProgrammeAct(programme=programme, kind=k) for k in kinds)
        audit_record(
            actor=actor,
            action="aftercare.prescribe",
            target=programme,
            details={
                "pathway_id": pathway.pk,
                "service_id": service.pk,
                "acts": kinds,
                "rules_version": in_force.version,
            },
        )
        return programme


def act_record_done(
    *,
    actor: User,
    act: ProgrammeAct,
    done_on: date,
    amount: Decimal | None = None,
    today: date | None = None,
) -> ProgrammeAct:
    """Record a prescribed act as done; `amount` defaults to the act's tariff."""
    programme = act.programme
    authorize(actor, PATHWAY_WRITE, programme.pathway)
    with transaction.atomic():
        # One act recorded at a time per programme: the allowance check reads the others.
        programme = PostCancerProgramme.objects.select_for_update().get(pk=programme.pk)
        act = ProgrammeAct.objects.get(pk=act.pk, programme=programme)
        if act.done_on is not None:
            raise ValidationError(
                f"Cet acte est déjà enregistré comme réalisé le {rules.french_date(act.done_on)}."
            )
        in_force = programme.rules
        amount = in_force.tariff(act.kind) if amount is None else Decimal(amount)
        errors = []
        if done_on > (today or timezone.localdate()):
            errors.append("La date de réalisation ne peut pas être dans le futur.")
        if done_on < programme.prescribed_on:
            errors.append(
                f"L'acte ne peut pas précéder la prescription du parcours "
                f"(le {rules.french_date(programme.prescribed_on)})."
            )
        done = [a.as_rule_act() for a in programme.acts.filter(done_on__isnull=False)]
        errors.extend(
            rules.check_done(in_force, done, rules.Act(kind=act.kind, on=done_on, amount=amount))
        )
        if errors:
            raise ValidationError(errors)
        act.done_on, act.amount = done_on, amount
        act.recorded_by, act.recorded_at = actor, timezone.now()
        act.save(update_fields=["done_on", "amount", "recorded_by", "recorded_at"])
        audit_record(
            actor=actor,
            action="aftercare.act_done",
            target=act,
            details={"programme_id": programme.pk, "kind": act.kind, "amount": str(amount)},
        )
        return act
