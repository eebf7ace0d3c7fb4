import json

import pytest

from oncolien.assessments.engine import InstrumentError
from oncolien.assessments.loader import DATA_DIR, load_instruments
from oncolien.assessments.models import AssessmentStatus, InstrumentVersion
from oncolien.assessments.services import (
    assessment_complete,
    assessment_save_answers,
    assessment_start,
)

pytestmark = pytest.mark.django_db


def _esas(tmp_path, **changes):
    definition = json.loads((DATA_DIR / "esas-r.json").read_text())
    definition.update(changes)
    path = tmp_path / "esas.json"
    path.write_text(json.dumps(definition, ensure_ascii=False))
    return path, definition


def test_loading_twice_changes_nothing(instruments, call):
    count = InstrumentVersion.objects.count()
    # Six needs assessments and three satisfaction questionnaires.
    assert count == 9
    out, _ = call("load_instruments")
    assert "0 nouveau(x), 9 déjà à jour" in out
    assert InstrumentVersion.objects.count() == count


def test_a_changed_file_under_the_same_version_is_refused(instruments, tmp_path):
    path, definition = _esas(tmp_path, title="ESAS-r modifié")
    with pytest.raises(InstrumentError, match="Donnez un nouveau numéro de version"):
        load_instruments([path])
    assert InstrumentVersion.objects.get(code="esas-r").title != "ESAS-r modifié"


def test_a_load_with_one_bad_file_loads_nothing(instruments, tmp_path):
    good, _ = _esas(tmp_path, version="2099.1")
    bad = tmp_path / "bad.json"
    bad.write_text("{ pas du json")
    with pytest.raises(InstrumentError, match="JSON invalide"):
        load_instruments([good, bad])
    assert not InstrumentVersion.objects.filter(version="2099.1").exists()


def test_a_response_keeps_its_version_when_a_new_one_is_loaded(
    instruments, pathway, coordinating_nurse, tmp_path
):
    old = assessment_start(
        actor=coordinating_nurse, pathway=pathway, instrument_code="esas-r", respondent="patient"
    )
    # Version 2 drops the emotional subscore: the old response must not change.
    path, definition = _esas(tmp_path, version="2027.1")
    definition["scoring"]["scales"] = definition["scoring"]["scales"][:1]
    path.write_text(json.dumps(definition, ensure_ascii=False))
    load_instruments([path])

    answers = dict.fromkeys(
        [
            "pain",
            "tiredness",
            "drowsiness",
            "nausea",
            "appetite",
            "shortness_of_breath",
            "depression",
            "anxiety",
            "wellbeing",
        ],
        2,
    )
    assessment_save_answers(assessment=old, answers=answers, actor=coordinating_nurse)
    old = assessment_complete(assessment=old, actor=coordinating_nurse)
    assert old.instrument.version == "2011.fr1"
    assert old.status == AssessmentStatus.COMPLETED
    assert old.results["scales"]["esas_emotional"] == 4

    new = assessment_start(
        actor=coordinating_nurse, pathway=pathway, instrument_code="esas-r", respondent="patient"
    )
    assert new.instrument.version == "2027.1"


def _satisfaction(tmp_path, **survey):
    definition = json.loads((DATA_DIR / "satisfaction-professional-care-team.json").read_text())
    definition["version"] = "2099.1"
    definition["survey"] = {**definition["survey"], **survey}
    path = tmp_path / "satisfaction.json"
    path.write_text(json.dumps(definition, ensure_ascii=False))
    return path


@pytest.mark.parametrize(
    ("survey", "message"),
    [
        ({"moment": "birthday"}, "« survey.moment » doit valoir l'une de"),
        ({"moment": "end_of_follow_up"}, "le questionnaire doit s'adresser à « patient »"),
        ({"reminder_after_days": 0}, "« survey.reminder_after_days » : un nombre de jours"),
        ({"closing_reasons": ["holidays"]}, "« survey.closing_reasons » : la liste des motifs"),
    ],
)
def test_a_wrong_sending_block_is_refused_in_french_and_nothing_is_loaded(
    instruments, tmp_path, survey, message
):
    before = InstrumentVersion.objects.count()
    with pytest.raises(InstrumentError) as refused:
        load_instruments([_satisfaction(tmp_path, **survey)])
    assert any(message in m for m in refused.value.messages), refused.value.messages
    assert InstrumentVersion.objects.count() == before
