"""The regional view: every CPTS's counts, protected, never a patient."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from oncolien.audit.models import AuditEntry
from oncolien.disclosure import MASKED, SMALL
from oncolien.indicators.periods import parse
from oncolien.indicators.regional import regional_table
from oncolien.pathways.models import IntakeCall
from oncolien.pathways.tests.factories import make_pathway
from oncolien.territories.models import Commune

pytestmark = pytest.mark.django_db
URL = "/indicateurs/region/"
NOVEMBER = datetime(2026, 11, 10, 10, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.fixture
def november(coordinator, outsider, nord_aveyron, sud_tarn):
    """Nord Aveyron: 3 pathways (3 calls); Sud Tarn: 12 calls that opened nothing."""
    for number in range(3):
        pathway = make_pathway(actor=coordinator, last_name=f"Dupont{number}")
        IntakeCall.objects.filter(pathway=pathway).update(called_at=NOVEMBER)
    commune = Commune.objects.get(insee_code="81065")
    for _ in range(12):
        IntakeCall.objects.create(
            cpts=sud_tarn,
            called_at=NOVEMBER,
            channel="phone_line",
            commune=commune,
            in_territory=True,
            outcome="not_included",
            reason="Orienté ailleurs",
            recorded_by=outsider,
        )


def cells(table, cpts_name: str) -> dict[str, str]:
    row = next(row for row in table.rows if row.name == cpts_name)
    return {m.code: cell.text for m, cell in zip(table.measures, row.cells, strict=True)}


def test_small_counts_are_protected_and_cannot_be_subtracted(november):
    table = regional_table(parse("2026-11"))
    nord, sud = cells(table, "CPTS Nord Aveyron"), cells(table, "CPTS Sud Tarn")
    assert nord["calls"] == SMALL and nord["calls_included"] == SMALL
    # Sud Tarn's 12 calls would give Nord Aveyron's 3 away from the region's 15.
    assert sud["calls"] == MASKED
    total = {m.code: c.text for m, c in zip(table.measures, table.total.cells, strict=True)}
    assert total["calls"] == "15"
    # Sud Tarn's 12 calls that opened nothing minus 0 included: shown, no small difference.
    assert sud["calls_included"] == "0"


def test_the_regional_persona_reads_the_table_and_no_name(login, regional, november):
    page = login(regional).get(URL, {"periode": "2026-11"})
    assert page.status_code == 200
    text = page.content.decode()
    assert '<td class="num">&lt; 5</td>' in text and f'<td class="num">{MASKED}</td>' in text
    assert "Protection des petits effectifs" in text
    assert not re.search(r"Dupont|Martin|Jeanne|Orienté ailleurs", text)
    assert AuditEntry.objects.filter(action="indicators.regional").exists()


@pytest.mark.parametrize("persona", ["coordinator", "outsider", "coordinating_nurse"])
def test_cpts_roles_get_a_404(login, request, persona, base_data):
    assert login(request.getfixturevalue(persona)).get(URL).status_code == 404


def test_the_regional_home_links_to_it(login, regional, base_data):
    assert f'href="{URL}"' in login(regional).get("/").content.decode()


def test_a_bad_period_is_refused_in_french(login, regional, base_data):
    page = login(regional).get(URL, {"du": "2026-05-01", "au": "2026-01-01"})
    assert page.status_code == 400
    assert "précède sa date de début" in page.content.decode()


def test_the_regional_counts_are_the_dashboards_own(november, nord_aveyron, sud_tarn):
    from oncolien.indicators.figures import COMPUTATIONS
    from oncolien.indicators.regional import _counts_per_cpts

    period = parse("2026-11")
    found = _counts_per_cpts(period)
    for cpts in (nord_aveyron, sud_tarn):
        figure = {code: compute(cpts, period) for code, compute in COMPUTATIONS.items()}
        assert found.get((cpts.pk, "calls"), 0) == figure["intake_inclusion"].denominator
        assert found.get((cpts.pk, "calls_included"), 0) == figure["intake_inclusion"].numerator
        assert found.get((cpts.pk, "opened"), 0) == figure["pathways_followed"].denominator
        assert found.get((cpts.pk, "followed"), 0) == figure["pathways_followed"].numerator
        assert found.get((cpts.pk, "caseload"), 0) == figure["active_caseload"].value
        assert found.get((cpts.pk, "visits"), 0) == figure["visits_per_patient"].numerator
        assert found.get((cpts.pk, "alerts"), 0) == figure["alert_escalation"].denominator
        assert found.get((cpts.pk, "escalated"), 0) == figure["alert_escalation"].numerator
    assert found[(sud_tarn.pk, "calls")] == 12
