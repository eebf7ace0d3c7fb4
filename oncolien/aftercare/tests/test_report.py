"""The programme report of a structure: figures on a worked example, access, CSV."""

import re
from datetime import date

import pytest
from django.urls import reverse

from oncolien.aftercare.report import programme_report
from oncolien.aftercare.services import act_record_done
from oncolien.aftercare.tests.factories import (
    make_eligible_pathway,
    make_labelled_service,
    prescribe,
)
from oncolien.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

END = date(2026, 1, 10)


@pytest.fixture
def service(base_data):
    return make_labelled_service()


@pytest.fixture
def worked_example(coordinating_nurse, service):
    """Three patients prescribed to the structure, two in the first half of 2026:

    - Jeanne Martin: dietary assessment + 2 dietary follow-ups, all done (90 €);
    - Paul Roques: psychological assessment + 1 follow-up, only the assessment done
      at 40 € (45 € tariff, the structure charged less);
    - Rose Cayla: prescribed in July, outside the period (1 act done, not counted);
    and a fourth programme at another labelled structure, not counted.
    """

    def patient(last_name, prescribed_on, target=service, **acts):
        pathway = make_eligible_pathway(
            actor=coordinating_nurse, end_of_treatment=END, last_name=last_name
        )
        return prescribe(
            actor=coordinating_nurse,
            pathway=pathway,
            service=target,
            prescribed_on=prescribed_on,
            **acts,
        )

    def done(programme, kind, day, amount=None):
        act = programme.acts.filter(kind=kind, done_on__isnull=True).first()
        act_record_done(
            actor=coordinating_nurse, act=act, done_on=day, amount=amount, today=date(2026, 11, 1)
        )

    martin = patient("Martin", date(2026, 2, 1), dietary_assessment=True, dietary_follow_ups=2)
    done(martin, "dietary_assessment", date(2026, 2, 10))
    done(martin, "dietary_follow_up", date(2026, 3, 10))
    done(martin, "dietary_follow_up", date(2026, 8, 10))  # after the period: still counted
    roques = patient(
        "Roques", date(2026, 6, 30), psychological_assessment=True, psychological_follow_ups=1
    )
    done(roques, "psychological_assessment", date(2026, 7, 2), "40.00")
    cayla = patient("Cayla", date(2026, 7, 1), physical_activity_assessment=True)
    done(cayla, "physical_activity_assessment", date(2026, 7, 3))
    other = make_labelled_service(name="Autre structure labellisée")
    patient("Bouissou", date(2026, 3, 1), target=other, dietary_assessment=True)


def test_the_report_counts_the_cohort_prescribed_in_the_period(service, worked_example):
    report = programme_report(service=service, start=date(2026, 1, 1), end=date(2026, 6, 30))
    assert (report.patients_included, report.patients_started) == (2, 2)
    rows = {row.kind: (row.prescribed, row.done, str(row.amount)) for row in report.rows}
    assert rows == {
        "physical_activity_assessment": (0, 0, "0.00"),
        "dietary_assessment": (1, 1, "45.00"),
        "psychological_assessment": (1, 1, "40.00"),
        "dietary_follow_up": (2, 2, "45.00"),
        "psychological_follow_up": (1, 0, "0.00"),
    }
    assert (report.prescribed, report.done, str(report.amount)) == (5, 4, "130.00")


def url(service, **params):
    query = {"structure": service.pk, "du": "2026-01-01", "au": "2026-06-30", **params}
    return reverse("aftercare:report") + "?" + "&".join(f"{k}={v}" for k, v in query.items())


def test_the_coordinator_reads_exact_figures_without_any_name(
    login, coordinator, service, worked_example
):
    page = login(coordinator).get(url(service))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Patients inclus</dt><dd>2</dd>" in html
    assert "130,00 €" in html
    assert "Protection des petits effectifs" not in html
    for name in ("Martin", "Roques", "Cayla", "Jeanne"):
        assert name not in html
    assert AuditEntry.objects.filter(action="aftercare.report", actor_id=coordinator.pk).exists()


def test_regional_staff_read_the_report_with_small_counts_protected(
    login, regional, service, worked_example
):
    client = login(regional)
    html = client.get(url(service)).content.decode()
    assert "Patients inclus</dt><dd>&lt; 5</dd>" in html
    # The amount would give the acts' count back (45 € an assessment): hidden with them.
    assert "130,00" not in html and "45,00" not in html
    assert "Protection des petits effectifs" in html
    assert "arrondis à 500 €" in html
    for name in ("Martin", "Roques", "Cayla", "Jeanne"):
        assert name not in html
    lines = client.get(url(service, format="csv")).content.decode("utf-8-sig").splitlines()
    assert "Patients inclus;< 5" in lines
    assert "Bilan diététique;< 5;< 5;< 5" in lines
    assert "Bilan fonctionnel et motivationnel d'activité physique;0;0;0" in lines
    assert not any(re.search(r";[1-4](;|$)", line) for line in lines)
    assert any("Protection des petits effectifs" in line for line in lines)


def test_the_report_downloads_as_csv(login, coordinator, service, worked_example):
    response = login(coordinator).get(url(service, format="csv"))
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert "Patients inclus;2" in lines
    assert "Bilan diététique;1;1;45,00" in lines
    assert "Total;5;4;130,00" in lines


def test_the_form_lists_only_the_structures_one_may_report_on(login, coordinator, service):
    page = login(coordinator).get(reverse("aftercare:report")).content.decode()
    assert str(service.organization) in page


def test_an_inverted_period_is_refused_in_french(login, coordinator, service):
    response = login(coordinator).get(url(service, du="2026-07-01"))
    assert response.status_code == 400
    assert "La fin de la période précède son début." in response.content.decode()


@pytest.mark.parametrize("persona", ["outsider", "community_nurse"])
def test_others_get_a_404_and_the_refusal_is_audited(
    request, persona, login, service, worked_example
):
    user = request.getfixturevalue(persona)
    response = login(user).get(url(service))
    assert response.status_code == 404
    assert "130,00" not in response.content.decode()
    # Exactly one entry per refused request: neither lost nor written twice.
    assert AuditEntry.objects.filter(action="access.denied", actor_id=user.pk).count() == 1
    assert not AuditEntry.objects.filter(action="aftercare.report", actor_id=user.pk).exists()


def test_the_report_lists_only_the_structures_the_viewer_may_open(login, coordinator, service):
    make_labelled_service(name="Parcours après cancer du Sud Tarn", cpts="cpts-sud-tarn")
    client = login(coordinator)
    url = reverse("aftercare:report")
    pages = [
        client.get(url),
        client.get(url, {"structure": service.pk, "du": "2026-01-01", "au": "2026-06-30"}),
        # A form sent back with an error is shown again with the same choices.
        client.get(url, {"structure": service.pk, "du": "", "au": "2026-06-30"}),
    ]
    for page in pages:
        html = page.content.decode()
        assert "Centre Parcours après cancer" in html
        assert "Sud Tarn" not in html
        for pk in re.findall(r'<option value="(\d+)"', html):
            answer = client.get(url, {"structure": pk, "du": "2026-01-01", "au": "2026-06-30"})
            assert answer.status_code == 200, pk


def test_a_structure_named_like_a_formula_is_written_as_text_in_the_csv(login, coordinator):
    # A contributor may name a structure « =HYPERLINK(…) »: a spreadsheet opening the
    # CSV must show that text, not run it.
    service = make_labelled_service(name='=HYPERLINK("https://example.invalid","x")')
    response = login(coordinator).get(url(service, format="csv"))
    text = response.content.decode("utf-8-sig")
    structure_line = next(line for line in text.splitlines() if line.startswith("Structure"))
    cell = structure_line.split(";", 1)[1].strip('"')
    assert cell.startswith("'="), structure_line
