"""The demo a newcomer opens: fictitious pathways with work in them, loaded by
`setup_demo` without ever undoing what a person did."""

import pytest
from django.db import transaction
from django.test import TestCase, override_settings
from django.urls import reverse

from oncolien.accounts.demo import load_demo_accounts
from oncolien.accounts.models import User
from oncolien.assessments.models import Assessment
from oncolien.demo.pathways import load_demo_pathways
from oncolien.directory.demo import load_demo_directory
from oncolien.directory.models import Organization
from oncolien.pathways.models import Alert, MonitoringRecord, Pathway, Patient, Visit
from oncolien.pathways.services import alert_acknowledge, pathway_update
from oncolien.referrals.models import Referral

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_loaded_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, loaded once for this module inside a transaction rolled back at its end.

    Loading it takes several seconds; each test still runs in its own savepoint inside
    that transaction (as Django's TestCase.setUpTestData does), so what a test changes
    is undone before the next one.
    """
    var_dir = tmp_path_factory.mktemp("demo")
    with django_db_blocker.unblock(), override_settings(VAR_DIR=var_dir), transaction.atomic():
        with TestCase.captureOnCommitCallbacks(execute=True):
            load_demo_directory()
            load_demo_accounts()
            load_demo_pathways()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_loaded_once, db):
    return demo_loaded_once


def verified(user):
    user.is_verified = lambda: True
    return user


def counts():
    return [
        m.objects.count()
        for m in (Patient, Pathway, Visit, MonitoringRecord, Alert, Assessment, Referral)
    ]


def demo_login(login, username):
    return login(User.objects.get(username=username))


def test_the_demo_provider_acts_for_a_structure_of_the_demo_directory(demo):
    provider = User.objects.get(username="dieteticienne.nord-aveyron")
    membership = provider.memberships.get()
    assert Organization.objects.filter(
        cpts=membership.cpts, email__iexact=provider.email, is_fictitious=True
    ).exists()


def test_the_demo_has_fictitious_pathways_with_work_in_progress(demo):
    patients = Patient.objects.all()
    assert 3 <= patients.count() <= 6
    assert not patients.filter(is_fictitious=False).exists()
    assert MonitoringRecord.objects.count() >= 3
    assert Alert.objects.filter(acknowledged_at__isnull=True).count() == 1
    assert Assessment.objects.filter(status="completed").exists()
    provider = User.objects.get(username="dieteticienne.nord-aveyron")
    referral = Referral.objects.get(service__organization__email__iexact=provider.email)
    assert referral.status == "sent"


def test_the_demo_provider_receives_the_referral(demo, login):
    client = demo_login(login, "dieteticienne.nord-aveyron")
    referral = Referral.objects.get()
    html = client.get(reverse("referrals:provider_inbox")).content.decode()
    assert reverse("referrals:provider_referral", kwargs={"pk": referral.pk}) in html


def test_a_demo_patient_is_marked_fictitious_wherever_shown(demo, login):
    client = demo_login(login, "idec.nord-aveyron")
    alert = Alert.objects.get(acknowledged_at__isnull=True)
    pages = [
        reverse("pathways:worklist"),
        reverse("pathways:pathway_list"),
        reverse("pathways:pathway_detail", kwargs={"pk": alert.pathway_id}),
    ]
    for page in pages:
        html = client.get(page).content.decode()
        assert (
            f"{alert.pathway.patient.last_name.upper()} {alert.pathway.patient.first_name} (fictif)"
            in html
        ), page


def test_loading_the_demo_twice_creates_nothing(demo):
    before = counts()
    load_demo_pathways()
    assert counts() == before


def test_what_a_person_did_on_a_demo_pathway_stays_after_a_reload(demo):
    nurse = verified(User.objects.get(username="idec.nord-aveyron"))
    alert = Alert.objects.get(acknowledged_at__isnull=True)
    alert_acknowledge(actor=nurse, alert=alert, comment="Patiente appelée, vue par le médecin.")
    pathway = Pathway.objects.exclude(pk=alert.pathway_id).order_by("pk").first()
    pathway_update(actor=nurse, pathway=pathway, cancer_site="colorectal")
    before = counts()

    load_demo_pathways()

    alert.refresh_from_db()
    pathway.refresh_from_db()
    assert alert.acknowledged_at is not None
    assert pathway.cancer_site == "colorectal"
    assert counts() == before
