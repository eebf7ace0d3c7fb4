from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from oncolien.accounts.authorization import AccessDenied
from oncolien.audit.models import AuditEntry
from oncolien.pathways.models import Alert, AlertProtocol, MonitoringRecord, Pathway, Patient
from oncolien.pathways.selectors import pathway_for, pathways_visible_to
from oncolien.pathways.services import (
    alert_acknowledge,
    alerts_escalate,
    consent_record,
    monitoring_record_add,
    status_change,
)
from oncolien.pathways.tests.factories import add_to_team, make_pathway
from oncolien.territories.models import Commune, Cpts

pytestmark = pytest.mark.django_db


def test_the_intake_nurse_joins_the_care_team_and_sees_the_pathway(coordinating_nurse):
    pathway = make_pathway(actor=coordinating_nurse)
    assert pathway.status == "first_contact"
    assert list(pathways_visible_to(user=coordinating_nurse)) == [pathway]
    assert pathway.care_team.get().role == "coordinating_nurse"
    assert AuditEntry.objects.filter(action="pathway.create", target_id=str(pathway.pk)).exists()


def test_a_commune_outside_the_cpts_is_flagged_with_the_covering_cpts(coordinating_nurse):
    with pytest.raises(ValidationError) as error:
        make_pathway(actor=coordinating_nurse, commune="81065")  # Castres
    assert error.value.message_dict["commune"] == [
        "La commune Castres (81) n'est pas dans le territoire de la CPTS Nord Aveyron ; "
        "elle est couverte par la CPTS Sud Tarn (cpts.sud@gmail.com) : orientez le patient "
        "vers elle."
    ]
    assert not Patient.objects.filter(last_name="Martin").exists()


def test_only_a_coordinator_includes_out_of_territory_with_a_reason(
    coordinator, coordinating_nurse
):
    cpts = Cpts.objects.get(slug="cpts-nord-aveyron")
    values = {
        "last_name": "Durand",
        "first_name": "Paul",
        "birth_date": date(1950, 1, 1),
        "sex": "M",
        "commune": Commune.objects.get(insee_code="12202"),  # Rodez, outside the demo perimeter
    }
    common = {"cpts": cpts, "intake_channel": "gp", "first_contact_on": date(2026, 11, 2)}
    with pytest.raises(AccessDenied):
        from oncolien.pathways.services import intake_create

        intake_create(
            actor=coordinating_nurse, patient=values, out_of_territory_reason="Proche", **common
        )
    from oncolien.pathways.services import intake_create

    pathway = intake_create(
        actor=coordinator,
        patient=values,
        out_of_territory_reason="Suivi par le médecin d'Espalion",
        **common,
    )
    assert not pathway.in_territory
    assert pathway.out_of_territory_reason == "Suivi par le médecin d'Espalion"


def test_an_invalid_ins_is_refused(coordinating_nurse):
    with pytest.raises(ValidationError) as error:
        make_pathway(actor=coordinating_nurse, ins="1 80 01 12 345 678 99")
    assert "INS / NIR invalide" in error.value.message_dict["ins"][0]
    assert not Pathway.objects.exists()


def test_a_corsican_ins_is_accepted(coordinating_nurse):
    from stdnum.fr import nir

    base = "2820520004013"  # born in Corse-du-Sud: 2A written 20 in the key computation
    corsican = base[:5] + "2A" + base[7:]
    pathway = make_pathway(actor=coordinating_nurse, ins=corsican + nir.calc_check_digits(corsican))
    assert pathway.patient.ins.startswith("282052A")


def test_fever_raises_one_alert(coordinating_nurse):
    pathway = make_pathway(actor=coordinating_nurse)
    record = monitoring_record_add(
        actor=coordinating_nurse, pathway=pathway, values={"temperature_c": "38,6"}
    )
    alert = Alert.objects.get(record=record)
    assert (alert.rule, alert.severity) == ("fever", "high")
    assert alert.message == "Fièvre : 38,6 °C (seuil 38 °C)."


def test_the_fever_threshold_follows_the_cpts_protocol(coordinating_nurse):
    pathway = make_pathway(actor=coordinating_nurse)
    AlertProtocol.objects.create(cpts=pathway.cpts, fever_threshold_c=Decimal("38.5"))
    monitoring_record_add(
        actor=coordinating_nurse, pathway=pathway, values={"temperature_c": "38.4"}
    )
    assert not Alert.objects.exists()


def test_an_out_of_range_value_is_refused_and_nothing_is_stored(coordinating_nurse):
    pathway = make_pathway(actor=coordinating_nurse)
    with pytest.raises(ValidationError) as error:
        monitoring_record_add(
            actor=coordinating_nurse,
            pathway=pathway,
            values={"temperature_c": "46", "saturation_pct": "101", "pain_score": "5.5"},
        )
    assert error.value.message_dict == {
        "temperature_c": [
            "Valeur impossible pour la température : 46 °C (attendu entre 30 et 45 °C)."
        ],
        "saturation_pct": [
            "Valeur impossible pour la saturation : 101 % (attendu entre 50 et 100 %)."
        ],
        "pain_score": ["Un nombre entier est attendu pour l'EVA (douleur)."],
    }
    assert not MonitoringRecord.objects.exists()


def test_weight_loss_of_five_percent_suggests_a_nutrition_assessment(coordinating_nurse):
    pathway = make_pathway(actor=coordinating_nurse)
    pathway.reference_weight_kg = Decimal("70.0")
    pathway.save()
    monitoring_record_add(actor=coordinating_nurse, pathway=pathway, values={"weight_kg": "66.5"})
    alert = Alert.objects.get()
    assert alert.rule == "weight_loss"
    assert "évaluation nutritionnelle" in alert.message


def test_acknowledging_needs_a_comment_and_is_traced(coordinating_nurse):
    pathway = make_pathway(actor=coordinating_nurse)
    monitoring_record_add(actor=coordinating_nurse, pathway=pathway, values={"pain_score": 8})
    alert = Alert.objects.get()
    with pytest.raises(ValidationError):
        alert_acknowledge(actor=coordinating_nurse, alert=alert, comment="  ")
    alert_acknowledge(actor=coordinating_nurse, alert=alert, comment="Appel du médecin traitant")
    alert.refresh_from_db()
    assert alert.acknowledged_by == coordinating_nurse
    with pytest.raises(ValidationError):
        alert_acknowledge(actor=coordinating_nurse, alert=alert, comment="encore")


def test_an_unacknowledged_alert_is_escalated_once_to_the_coordinators(
    coordinating_nurse, coordinator, django_capture_on_commit_callbacks
):
    pathway = make_pathway(actor=coordinating_nurse)
    monitoring_record_add(actor=coordinating_nurse, pathway=pathway, values={"saturation_pct": 88})
    later = timezone.now() + timedelta(hours=5)
    with django_capture_on_commit_callbacks(execute=True):
        assert alerts_escalate() == []  # too recent
        assert len(alerts_escalate(now=later)) == 1
        assert alerts_escalate(now=later) == []
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [coordinator.email]
    assert "Martin" not in mail.outbox[0].body


def test_a_community_nurse_sees_only_the_pathways_she_is_on(coordinating_nurse, community_nurse):
    mine = make_pathway(actor=coordinating_nurse)
    other = make_pathway(actor=coordinating_nurse, last_name="Bernard")
    add_to_team(
        actor=coordinating_nurse, pathway=mine, user=community_nurse, role="community_nurse"
    )
    community_nurse._oncolien_memberships = None
    assert list(pathways_visible_to(user=community_nurse)) == [mine]
    with pytest.raises(Exception) as error:
        pathway_for(user=community_nurse, pk=other.pk)
    assert error.typename == "Http404"


def test_the_outsider_gets_404_and_the_denial_is_audited(coordinating_nurse, outsider, regional):
    pathway = make_pathway(actor=coordinating_nurse)
    for user in (outsider, regional):
        assert not pathways_visible_to(user=user).exists()
        with pytest.raises(Exception) as error:
            pathway_for(user=user, pk=pathway.pk)
        assert error.typename == "Http404"
        assert AuditEntry.objects.filter(
            action="access.denied", actor_id=user.pk, target_id=str(pathway.pk)
        ).exists()


def test_an_objection_keeps_a_minimal_record(coordinating_nurse):
    from oncolien.pathways.selectors import sharing_allowed

    pathway = make_pathway(actor=coordinating_nurse, phone="0565440000")
    consent_record(
        actor=coordinating_nurse,
        pathway=pathway,
        informed_on=date(2026, 11, 3),
        objects_to_sharing=True,
    )
    pathway.patient.refresh_from_db()
    assert pathway.patient.phone == ""
    assert not sharing_allowed(pathway)


def test_closing_needs_a_reason_and_is_final(coordinating_nurse):
    pathway = make_pathway(actor=coordinating_nurse)
    with pytest.raises(ValidationError):
        status_change(actor=coordinating_nurse, pathway=pathway, to_status="closed")
    status_change(
        actor=coordinating_nurse, pathway=pathway, to_status="closed", closing_reason="moved"
    )
    with pytest.raises(ValidationError):
        status_change(actor=coordinating_nurse, pathway=pathway, to_status="included")


def test_patient_data_needs_a_verified_second_factor(coordinating_nurse, settings):
    pathway = make_pathway(actor=coordinating_nurse)
    coordinating_nurse.is_verified = lambda: False
    coordinating_nurse._oncolien_memberships = None
    assert not pathways_visible_to(user=coordinating_nurse).exists()
    with pytest.raises(Exception) as error:
        pathway_for(user=coordinating_nurse, pk=pathway.pk)
    assert error.typename == "Http404"


def test_a_status_change_on_a_stale_page_is_checked_against_the_saved_status(
    coordinating_nurse,
):
    """Two people have the pathway open at « premier contact »; one closes it. The other's
    « inclure », from her stale page, must not reopen a closed pathway silently."""
    pathway = make_pathway(actor=coordinating_nurse)
    stale = Pathway.objects.get(pk=pathway.pk)
    status_change(
        actor=coordinating_nurse, pathway=pathway, to_status="closed", closing_reason="moved"
    )
    with pytest.raises(ValidationError, match="Passage impossible de « Clôturé »"):
        status_change(actor=coordinating_nurse, pathway=stale, to_status="included")
    saved = Pathway.objects.get(pk=pathway.pk)
    assert (saved.status, saved.closing_reason) == ("closed", "moved")
    assert not saved.status_changes.filter(to_status="included").exists()
