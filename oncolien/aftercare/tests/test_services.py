"""Prescribing the programme and recording its acts, through the real services."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from oncolien.accounts.authorization import AccessDenied
from oncolien.aftercare.eligibility import Prescriber
from oncolien.aftercare.models import PostCancerProgramme, ProgrammeAct
from oncolien.aftercare.selectors import summary_of
from oncolien.aftercare.services import PrescribedActs, act_record_done, programme_prescribe
from oncolien.aftercare.tests.factories import (
    ONCOLOGIST,
    make_eligible_pathway,
    make_labelled_service,
    prescribe,
)
from oncolien.audit.models import AuditEntry
from oncolien.audit.pending import flush_pending_refusals
from oncolien.directory.tests.factories import make_service

pytestmark = pytest.mark.django_db

END = date(2026, 1, 10)
PRESCRIBED = date(2026, 2, 1)


@pytest.fixture
def service(base_data):
    return make_labelled_service()


@pytest.fixture
def pathway(coordinating_nurse):
    return make_eligible_pathway(actor=coordinating_nurse, end_of_treatment=END)


@pytest.fixture
def programme(coordinating_nurse, pathway, service):
    return prescribe(
        actor=coordinating_nurse, pathway=pathway, service=service, prescribed_on=PRESCRIBED
    )


def act(programme, kind):
    return programme.acts.filter(kind=kind, done_on__isnull=True).first()


def done(actor, programme, kind, on, amount=None):
    return act_record_done(
        actor=actor, act=act(programme, kind), done_on=on, amount=amount, today=date(2027, 6, 1)
    )


def test_a_prescription_stores_the_programme_its_acts_and_the_rules_version(programme):
    assert programme.rules_version == "2020-12"
    assert sorted(programme.acts.values_list("kind", flat=True)) == [
        "dietary_assessment",
        "dietary_follow_up",
        "dietary_follow_up",
        "psychological_assessment",
        "psychological_follow_up",
        "psychological_follow_up",
    ]
    entry = AuditEntry.objects.get(action="aftercare.prescribe")
    assert entry.target_id == str(programme.pk) and entry.details["pathway_id"]


def test_a_structure_without_the_label_is_refused_and_nothing_stored(
    coordinating_nurse, pathway, base_data
):
    unlabelled = make_service(
        cpts="cpts-nord-aveyron", name="Diététique", care_types=["nutrition"], commune="12096"
    )
    with pytest.raises(ValidationError) as refused:
        prescribe(
            actor=coordinating_nurse,
            pathway=pathway,
            service=unlabelled,
            prescribed_on=PRESCRIBED,
        )
    assert "n'est pas une structure labellisée" in refused.value.messages[0]
    assert not PostCancerProgramme.objects.exists() and not ProgrammeAct.objects.exists()


def test_an_ineligible_prescription_is_refused_with_its_reasons_and_nothing_stored(
    coordinating_nurse, service
):
    pathway = make_eligible_pathway(actor=coordinating_nurse, end_of_treatment=END)
    with pytest.raises(ValidationError) as refused:
        programme_prescribe(
            actor=coordinating_nurse,
            pathway=pathway,
            prescriber=Prescriber(role="other_physician", name="Dr X"),
            prescribed_on=date(2027, 1, 11),
            service=service,
            acts=PrescribedActs(dietary_assessment=True),
            today=date(2027, 2, 1),
        )
    assert len(refused.value.messages) == 2
    assert "jusqu'au 10/01/2027 inclus" in refused.value.messages[0]
    assert not PostCancerProgramme.objects.exists()
    assert not AuditEntry.objects.filter(action="aftercare.prescribe").exists()


def test_a_second_prescription_for_the_same_pathway_is_refused(
    coordinating_nurse, programme, pathway, service
):
    with pytest.raises(ValidationError, match="déjà été prescrit"):
        prescribe(
            actor=coordinating_nurse, pathway=pathway, service=service, prescribed_on=PRESCRIBED
        )


def test_a_prescription_beyond_the_allowance_is_refused(coordinating_nurse, pathway, service):
    with pytest.raises(ValidationError, match="au-delà du forfait de 180,00 €"):
        prescribe(
            actor=coordinating_nurse,
            pathway=pathway,
            service=service,
            prescribed_on=PRESCRIBED,
            physical_activity_assessment=True,
            dietary_assessment=True,
            psychological_assessment=True,
            dietary_follow_ups=3,
        )


def test_negative_follow_ups_are_refused(coordinating_nurse, pathway, service):
    with pytest.raises(ValidationError, match="ne peut pas être négatif"):
        prescribe(
            actor=coordinating_nurse,
            pathway=pathway,
            service=service,
            prescribed_on=PRESCRIBED,
            dietary_assessment=True,
            dietary_follow_ups=-1,
        )


def test_all_acts_done_use_the_allowance_to_exactly_180_euros(coordinating_nurse, programme):
    done(coordinating_nurse, programme, "dietary_assessment", date(2026, 2, 10))
    done(coordinating_nurse, programme, "psychological_assessment", date(2026, 2, 12))
    for day in (3, 4):
        done(coordinating_nurse, programme, "dietary_follow_up", date(2026, 3, day))
        done(coordinating_nurse, programme, "psychological_follow_up", date(2026, 3, day))
    status = summary_of(programme).allowance
    assert (status.used, status.remaining) == (Decimal("180.00"), Decimal("0.00"))
    assert status.window_ends_on == date(2027, 2, 10)
    assert AuditEntry.objects.filter(action="aftercare.act_done").count() == 6


def test_a_lower_amount_is_kept_and_a_higher_one_refused(coordinating_nurse, programme):
    recorded = done(coordinating_nurse, programme, "dietary_assessment", date(2026, 2, 10), "40")
    assert recorded.amount == Decimal("40.00")
    with pytest.raises(ValidationError, match="au plus de 45,00 €"):
        done(coordinating_nurse, programme, "psychological_assessment", date(2026, 2, 10), "50")


def test_a_follow_up_before_any_assessment_is_refused_and_nothing_changes(
    coordinating_nurse, programme
):
    with pytest.raises(ValidationError) as refused:
        done(coordinating_nurse, programme, "dietary_follow_up", date(2026, 2, 10))
    assert "vient après un bilan" in refused.value.messages[0]
    assert not programme.acts.filter(done_on__isnull=False).exists()


def test_an_act_before_the_prescription_or_in_the_future_is_refused(coordinating_nurse, programme):
    with pytest.raises(ValidationError, match="précéder la prescription du parcours"):
        done(coordinating_nurse, programme, "dietary_assessment", date(2026, 1, 31))
    with pytest.raises(ValidationError, match="dans le futur"):
        act_record_done(
            actor=coordinating_nurse,
            act=act(programme, "dietary_assessment"),
            done_on=date(2026, 3, 2),
            today=date(2026, 3, 1),
        )


def test_an_act_already_done_cannot_be_recorded_again(coordinating_nurse, programme):
    recorded = done(coordinating_nurse, programme, "dietary_assessment", date(2026, 2, 10))
    with pytest.raises(ValidationError, match="déjà enregistré comme réalisé le 10/02/2026"):
        act_record_done(
            actor=coordinating_nurse,
            act=recorded,
            done_on=date(2026, 2, 11),
            today=date(2027, 1, 1),
        )


def test_the_outsider_may_neither_prescribe_nor_record_and_is_audited(
    outsider, coordinating_nurse, pathway, service, programme
):
    with pytest.raises(AccessDenied):
        act_record_done(
            actor=outsider,
            act=act(programme, "dietary_assessment"),
            done_on=date(2026, 2, 10),
            today=date(2027, 1, 1),
        )
    # The refusal happened inside the service's transaction: the HTTP layer writes
    # its audit entry once that transaction is over, as done here.
    flush_pending_refusals()
    assert AuditEntry.objects.filter(action="access.denied", actor_id=outsider.pk).exists()
    assert not programme.acts.filter(done_on__isnull=False).exists()
    other = make_eligible_pathway(actor=coordinating_nurse, end_of_treatment=END)
    with pytest.raises(AccessDenied):
        programme_prescribe(
            actor=outsider,
            pathway=other,
            prescriber=ONCOLOGIST,
            prescribed_on=PRESCRIBED,
            service=service,
            acts=PrescribedActs(dietary_assessment=True),
            today=PRESCRIBED,
        )
    assert not PostCancerProgramme.objects.filter(pathway=other).exists()
