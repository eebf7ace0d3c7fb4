"""The plan, a contact and its alerts, the reminders: what the nurse and the team see."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from oncolien.accounts.authorization import AccessDenied
from oncolien.adherence.models import AdherenceContact, AdherencePlan
from oncolien.adherence.services import contact_record, reminders_send
from oncolien.adherence.tests.helpers import contact_values, make_plan
from oncolien.audit.models import AuditEntry
from oncolien.notifications.models import Delivery
from oncolien.pathways import protocol
from oncolien.pathways.models import Alert, Treatment
from oncolien.pathways.selectors import worklist_for
from oncolien.pathways.services import alerts_escalate
from oncolien.pathways.tests.factories import add_to_team, make_pathway

pytestmark = pytest.mark.django_db


@pytest.fixture
def pathway(coordinating_nurse):
    return make_pathway(actor=coordinating_nurse, last_name="Durand", first_name="Agnès")


@pytest.fixture
def plan(pathway, coordinating_nurse):
    return make_plan(actor=coordinating_nurse, pathway=pathway)


def _pending(plan):
    return list(
        AdherenceContact.objects.filter(plan=plan, done_at__isnull=True).values_list(
            "planned_on", flat=True
        )
    )


def test_a_plan_plans_its_contacts_from_today_in_paris_and_adds_the_treatment(
    pathway, coordinating_nurse, monkeypatch
):
    # 31 December, 23:30 UTC: already 1 January in Paris.
    late_evening = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    monkeypatch.setattr(timezone, "now", lambda: late_evening)
    plan = make_plan(
        actor=coordinating_nurse,
        pathway=pathway,
        started_on=date(2026, 3, 31),
        interval_months=3,
        first_year_interval_months=None,
    )
    pending = sorted(_pending(plan))
    # 31 December is already yesterday in Paris: not planned (nor overdue).
    assert pending[0] == date(2027, 3, 31)
    assert pending[-1] == date(2031, 3, 31)
    assert len(pending) == 17  # 20 contacts in 5 years, the 3 of 2026 past
    treatment = Treatment.objects.get(pathway=pathway)
    assert (treatment.kind, treatment.notes) == ("hormone_therapy", "Tamoxifène")
    entry = AuditEntry.objects.filter(action="adherence.plan.create").get()
    assert entry.target_id == str(pathway.pk)


def test_changing_the_plan_keeps_the_contacts_done_and_plans_the_others_again(
    plan, pathway, coordinating_nurse
):
    first = AdherenceContact.objects.filter(plan=plan).order_by("planned_on").first()
    contact_record(
        actor=coordinating_nurse,
        plan=plan,
        values=contact_values(planned_contact_id=first.pk),
    )
    make_plan(
        actor=coordinating_nurse,
        pathway=pathway,
        started_on=plan.started_on,
        interval_months=12,
        first_year_interval_months=None,
    )
    plan.refresh_from_db()
    assert plan.interval_months == 12
    first.refresh_from_db()
    assert first.done_at is not None
    # Once a year, minus the years already past: 5 planned, none on the old dates.
    assert len(_pending(plan)) == 5
    assert AdherenceContact.objects.filter(plan=plan, done_at__isnull=False).count() == 1
    assert Treatment.objects.filter(pathway=pathway).count() == 1


def test_a_plan_needs_a_nurse_of_the_care_team_with_an_account(
    pathway, coordinating_nurse, physician
):
    with pytest.raises(ValidationError) as error:
        make_plan(actor=coordinating_nurse, pathway=pathway, nurse=physician, drug="aspirine")
    messages = error.value.message_dict
    assert messages["nurse"][0].startswith("Choisissez un·e infirmier·ère de l'équipe de soins")
    assert messages["drug"] == ["Choisissez l'hormonothérapie dans la liste."]
    assert not AdherencePlan.objects.exists() and not Treatment.objects.exists()


def test_bad_contacts_are_refused_in_french_and_change_nothing(plan, coordinating_nurse):
    cases = [
        (
            {"stopped": True, "missed_doses": ""},
            "stopped_since",
            "Indiquez depuis quand le traitement est arrêté.",
        ),
        (
            {"stopped": True, "stopped_since": date.today(), "missed_doses": ""},
            "stop_decided_by",
            "Précisez qui a décidé l'arrêt.",
        ),
        ({"missed_doses": ""}, "missed_doses", "Précisez les oublis de prise"),
        (
            {"done_at": timezone.now() + timedelta(days=1)},
            "done_at",
            "Le contact ne peut pas être dans le futur.",
        ),
        ({"side_effects": {"nausea_x": "mild"}}, "side_effects", "Effet indésirable inconnu"),
        (
            {"side_effects": {"hot_flushes": "terrible"}},
            "effet_hot_flushes",
            "Gravité inconnue pour « Bouffées de chaleur »",
        ),
        (
            {"stopped_since": date.today()},
            "stopped_since",
            "ne se renseignent que si le traitement est arrêté",
        ),
        ({"planned_contact_id": 999999}, "planned", "Ce contact prévu n'existe pas"),
    ]
    before = AdherenceContact.objects.filter(plan=plan, done_at__isnull=True).count()
    for values, field, message in cases:
        with pytest.raises(ValidationError) as error:
            contact_record(actor=coordinating_nurse, plan=plan, values=contact_values(**values))
        assert message in " ".join(error.value.message_dict[field]), (values, field)
    assert not AdherenceContact.objects.filter(done_at__isnull=False).exists()
    assert AdherenceContact.objects.filter(plan=plan, done_at__isnull=True).count() == before
    assert not Alert.objects.exists()


def test_a_stop_raises_one_alert_on_the_worklist_told_to_the_nurse_and_escalated(
    plan, pathway, coordinating_nurse, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        contact = contact_record(
            actor=coordinating_nurse,
            plan=plan,
            values=contact_values(
                stopped=True,
                missed_doses="",
                stopped_since=timezone.localdate() - timedelta(days=10),
                stop_decided_by="patient",
                side_effects={"joint_pain": "severe", "hot_flushes": "moderate"},
                notes="Douleurs articulaires invalidantes.",
            ),
        )
    alert = Alert.objects.get()
    assert (alert.rule, alert.severity, alert.source) == (
        "adherence_stop",
        "high",
        f"adherence_contact:{contact.pk}",
    )
    assert alert.message.startswith("Hormonothérapie (Tamoxifène) arrêtée depuis le ")
    assert "le patient ou la patiente, seul·e" in alert.message
    # Routed as every alert: the care team's coordinating nurse is told, in the app and by mail.
    told = Delivery.objects.filter(kind="alert.raised", target_id=str(alert.pk))
    assert {(d.channel, d.recipient_user) for d in told} == {
        ("app", coordinating_nurse),
        ("email", coordinating_nurse),
    }
    work = worklist_for(user=coordinating_nurse)
    assert [a.pk for a in work.open_alerts] == [alert.pk]
    assert protocol.instructions_for(pathway.cpts_id)["adherence_stop"].text.startswith(
        "Arrêt ou projet d'arrêt de l'hormonothérapie"
    )
    # Nobody acknowledges it: the escalation reaches the coordinators, as for a fever.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        escalated = alerts_escalate(now=timezone.now() + timedelta(hours=5))
    assert [a.pk for a in escalated] == [alert.pk]
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    # Recording again the same contact's alert is impossible: one per contact and rule.
    assert Alert.objects.count() == 1


def test_an_intention_to_stop_and_frequent_missed_doses_each_raise_their_alert(
    plan, coordinating_nurse
):
    contact_record(
        actor=coordinating_nurse,
        plan=plan,
        values=contact_values(missed_doses="frequent", intends_to_stop=True),
    )
    rules = dict(Alert.objects.values_list("rule", "severity"))
    assert rules == {"adherence_stop": "high", "adherence_missed_doses": "medium"}


def test_occasional_missed_doses_and_side_effects_raise_no_alert(plan, coordinating_nurse):
    contact = contact_record(
        actor=coordinating_nurse,
        plan=plan,
        values=contact_values(missed_doses="occasional", side_effects={"fatigue": "mild"}),
    )
    assert contact.side_effects == [{"code": "fatigue", "severity": "mild"}]
    assert contact.vocabulary_version == "2026.1"
    assert not Alert.objects.exists()


def test_an_overdue_contact_shows_on_the_worklist_until_it_is_recorded(
    plan, coordinating_nurse, outsider
):
    first = AdherenceContact.objects.filter(plan=plan).order_by("planned_on").first()
    AdherenceContact.objects.filter(pk=first.pk).update(
        planned_on=timezone.localdate() - timedelta(days=3)
    )
    [section] = [
        s for s in worklist_for(user=coordinating_nurse).sections if "hormonothérapie" in s.title
    ]
    assert [item.pathway.pk for item in section.items] == [plan.pathway_id]
    assert section.items[0].url.endswith("#observance")
    # Not another CPTS's.
    [other] = [s for s in worklist_for(user=outsider).sections if "hormonothérapie" in s.title]
    assert other.items == []
    first.refresh_from_db()
    contact_record(
        actor=coordinating_nurse, plan=plan, values=contact_values(planned_contact_id=first.pk)
    )
    [section] = [
        s for s in worklist_for(user=coordinating_nurse).sections if "hormonothérapie" in s.title
    ]
    assert section.items == []


def test_the_nurse_is_reminded_two_days_before_once_with_the_delivery_recorded(
    plan, coordinating_nurse, django_capture_on_commit_callbacks
):
    first = AdherenceContact.objects.filter(plan=plan).order_by("planned_on").first()
    AdherenceContact.objects.filter(plan=plan).exclude(pk=first.pk).update(
        planned_on=None, done_at=None
    )
    AdherenceContact.objects.filter(pk=first.pk).update(
        planned_on=timezone.localdate() + timedelta(days=3)
    )
    assert reminders_send() == 0  # J-3: not yet
    AdherenceContact.objects.filter(pk=first.pk).update(
        planned_on=timezone.localdate() + timedelta(days=2)
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send() == 1
        assert reminders_send() == 0
    deliveries = Delivery.objects.filter(kind="adherence.reminder", target_id=str(first.pk))
    assert {(d.channel, d.recipient_user, d.outcome) for d in deliveries} == {
        ("app", coordinating_nurse, "sent"),
        ("email", coordinating_nurse, "sent"),
    }
    [message] = mail.outbox
    assert "Durand" not in message.body and "Tamoxifène" not in message.body
    assert f"/parcours/{plan.pathway_id}/#observance" in message.body
    assert AuditEntry.objects.filter(action="adherence.reminder").count() == 1


def test_the_reminder_counts_days_in_paris(plan):
    first = AdherenceContact.objects.filter(plan=plan).order_by("planned_on").first()
    AdherenceContact.objects.filter(plan=plan).exclude(pk=first.pk).update(planned_on=None)
    AdherenceContact.objects.filter(pk=first.pk).update(planned_on=date(2027, 1, 1))
    # 29 December 23:30 UTC is 30 December in Paris: 1 January is two days ahead there.
    assert reminders_send(now=datetime(2026, 12, 29, 22, 30, tzinfo=UTC)) == 0
    assert reminders_send(now=datetime(2026, 12, 29, 23, 30, tzinfo=UTC)) == 1


def test_another_cpts_may_neither_plan_nor_record_and_is_audited(
    plan, pathway, outsider, community_nurse, coordinating_nurse
):
    with pytest.raises(AccessDenied):
        make_plan(actor=outsider, pathway=pathway, nurse=coordinating_nurse)
    with pytest.raises(AccessDenied):
        contact_record(actor=outsider, plan=plan, values=contact_values())
    denials = AuditEntry.objects.filter(action="access.denied", actor=outsider)
    assert denials.count() == 2
    # A community nurse of the team records contacts but does not set the plan.
    add_to_team(
        actor=coordinating_nurse, pathway=pathway, user=community_nurse, role="community_nurse"
    )
    contact_record(actor=community_nurse, plan=plan, values=contact_values())
    with pytest.raises(AccessDenied):
        make_plan(actor=community_nurse, pathway=pathway, nurse=coordinating_nurse)


def test_a_nurse_who_left_the_care_team_is_not_reminded_the_coordinators_are(
    plan, pathway, coordinating_nurse, coordinator, django_capture_on_commit_callbacks
):
    from oncolien.pathways.services import care_team_remove

    first = AdherenceContact.objects.filter(plan=plan).order_by("planned_on").first()
    AdherenceContact.objects.filter(pk=first.pk).update(planned_on=timezone.localdate())
    member = pathway.care_team.get(user=coordinating_nurse)
    care_team_remove(actor=coordinator, member=member)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send() == 1
    recipients = set(
        Delivery.objects.filter(kind="adherence.reminder").values_list("recipient_user", flat=True)
    )
    assert recipients == {coordinator.pk}


def test_a_past_date_of_the_schedule_is_recorded_once_and_a_date_off_it_refused(
    pathway, coordinating_nurse
):
    from oncolien.adherence.schedule import add_months

    started = timezone.localdate() - timedelta(days=200)
    plan = make_plan(actor=coordinating_nurse, pathway=pathway, started_on=started)
    three_months = add_months(started, 3)
    values = contact_values(done_at=timezone.now() - timedelta(days=90), planned_on=three_months)
    contact = contact_record(actor=coordinating_nurse, plan=plan, values=values)
    assert contact.planned_on == three_months
    with pytest.raises(ValidationError) as error:
        contact_record(actor=coordinating_nurse, plan=plan, values=values)
    assert error.value.message_dict["planned"] == [
        "Un contact est déjà enregistré pour cette date du calendrier."
    ]
    off = contact_values(planned_on=three_months + timedelta(days=1))
    with pytest.raises(ValidationError) as error:
        contact_record(actor=coordinating_nurse, plan=plan, values=off)
    assert "pas une date passée du calendrier" in error.value.message_dict["planned"][0]


def test_a_stop_already_known_at_the_previous_contact_is_not_alerted_again(
    plan, coordinating_nurse
):
    stop = {
        "stopped": True,
        "missed_doses": "",
        "stopped_since": timezone.localdate() - timedelta(days=20),
        "stop_decided_by": "oncologist",
    }
    contact_record(
        actor=coordinating_nurse,
        plan=plan,
        values=contact_values(done_at=timezone.now() - timedelta(days=10), **stop),
    )
    contact_record(actor=coordinating_nurse, plan=plan, values=contact_values(**stop))
    assert Alert.objects.filter(rule="adherence_stop").count() == 1
    # A new stop after a resumption is alerted on again.
    contact_record(actor=coordinating_nurse, plan=plan, values=contact_values())
    # Stopped on the day of the contact: the contact's own Paris date, which is
    # yesterday's during the first minutes after midnight.
    done_at = timezone.now() - timedelta(minutes=10)
    contact_record(
        actor=coordinating_nurse,
        plan=plan,
        values=contact_values(
            **{**stop, "done_at": done_at, "stopped_since": timezone.localdate(done_at)}
        ),
    )
    assert Alert.objects.filter(rule="adherence_stop").count() == 2
