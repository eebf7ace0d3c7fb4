import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from oncolien.reference.loader import (
    CAUTION_NOTICE_CODE,
    DEFAULT_PATH,
    ReferenceDataError,
    load_reference,
)
from oncolien.reference.models import (
    CareType,
    CareTypeProfession,
    Notice,
    PhaseDescription,
    Profession,
    ReferenceDataVersion,
)

pytestmark = pytest.mark.django_db

# The "Qui peut dispenser ces soins" table of "Infos conseils" n°18 (Guichet CPTS /
# Onco-Occitanie, Nov. 2025), written out independently of the data file.
INCA_TABLE = {
    "pain": {
        "Médecin spécialiste de l'évaluation et du traitement de la douleur",
        "Référent CLUD",
        "Radiothérapeute référent douleur",
        "Médecin spécialiste des soins palliatifs",
        "Infirmier référent douleur",
    },
    "nutrition": {"Médecin nutritionniste", "Diététicien"},
    "psychological": {
        "Psychiatre",
        "Psycho-oncologue",
        "Neuropsychologue",
        "Psychologue",
        "Neurologue",
        "Gériatre",
    },
    "social": {"Assistant social", "Médecin du travail"},
    "physical_activity": {
        "Masseur-kinésithérapeute",
        "Médecin de médecine physique et de réadaptation",
        "Enseignant en activité physique adaptée (APA)",
        "Psychomotricien",
        "Ergothérapeute",
        "Éducateur sportif",
    },
    "fertility": {
        "Référent parcours onco-fertilité en lien avec les 3C (médecin ou soignant)",
        "Gynécologue",
        "Sage-femme",
        "Andrologue",
        "Médecin spécialiste des CECOS",
        "Médecin des centres d'AMP",
        "Biologiste médical",
    },
    "sexual_health": {
        "Médecin sexologue",
        "Gynécologue",
        "Urologue",
        "Psychosexologue",
        "Infirmier référent sexualité",
        "Sexologue",
        "Andrologue",
    },
    "healthy_lifestyle": {
        "Médecin addictologue",
        "Psychiatre",
        "Infirmier tabacologue",
        "Médecin tabacologue",
        "Infirmier référent addictologie",
    },
    "carer_support": {
        "Psychiatre",
        "Psycho-oncologue",
        "Neuropsychologue",
        "Psychologue",
        "Neurologue",
        "Gériatre",
    },
}
CORE_CODES = {"pain", "nutrition", "psychological", "social"}


def shipped_data() -> dict:
    return json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))


def write_data(tmp_path: Path, data: dict, name: str = "reference.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def care(data: dict, code: str) -> dict:
    return next(item for item in data["care_types"] if item["code"] == code)


def db_snapshot() -> dict:
    """Everything the loader writes, to compare before and after a refused load."""
    return {
        "care_types": list(CareType.objects.order_by("code").values()),
        "professions": list(Profession.objects.order_by("code").values()),
        "links": sorted(
            CareTypeProfession.objects.values_list("care_type_id", "profession_id", "position")
        ),
        "phases": list(PhaseDescription.objects.order_by("phase").values()),
        "notices": list(Notice.objects.order_by("code").values()),
        "versions": list(ReferenceDataVersion.objects.order_by("pk").values()),
    }


def test_shipped_file_loads_nine_basket_cares_of_which_four_core():
    basket = CareType.objects.filter(active=True, basket=True)

    assert basket.count() == 9
    assert set(basket.filter(is_core=True).values_list("code", flat=True)) == CORE_CODES
    assert set(basket.values_list("code", flat=True)) == set(INCA_TABLE)


def test_shipped_file_loads_complementary_cares_outside_the_basket():
    outside = set(CareType.objects.filter(basket=False).values_list("code", flat=True))

    assert {"socio_aesthetics", "sophrology", "support_groups", "walking_workshops"} <= outside
    assert not CareType.objects.filter(basket=False, is_core=True).exists()


@pytest.mark.parametrize("code", sorted(INCA_TABLE))
def test_professions_of_each_basket_care_match_the_inca_table(code):
    care_type = CareType.objects.get(code=code)

    assert set(care_type.professions.values_list("name", flat=True)) == INCA_TABLE[code]


@pytest.mark.parametrize(
    ("profession", "care_code"),
    [
        ("dietitian", "nutrition"),
        ("apa_teacher", "physical_activity"),
        ("midwife", "fertility"),
        ("social_worker", "social"),
        ("pain_referent_nurse", "pain"),
    ],
)
def test_profession_delivers_the_care_of_the_table(profession, care_code):
    assert Profession.objects.get(code=profession).care_types.filter(code=care_code).exists()


def test_a_profession_cited_under_several_cares_is_one_row_with_several_links():
    psychiatrist = Profession.objects.get(name="Psychiatre")
    gynaecologist = Profession.objects.get(name="Gynécologue")
    andrologist = Profession.objects.get(name="Andrologue")

    assert set(psychiatrist.care_types.values_list("code", flat=True)) == {
        "psychological",
        "healthy_lifestyle",
        "carer_support",
    }
    assert set(gynaecologist.care_types.values_list("code", flat=True)) == {
        "fertility",
        "sexual_health",
    }
    assert set(andrologist.care_types.values_list("code", flat=True)) == {
        "fertility",
        "sexual_health",
    }
    assert Profession.objects.count() == 37
    assert CareTypeProfession.objects.count() == 46


def test_phases_and_caution_notice_are_loaded():
    assert set(PhaseDescription.objects.values_list("phase", flat=True)) == {
        "diagnosis",
        "treatment",
        "after_treatment",
    }
    caution = Notice.objects.get(code=CAUTION_NOTICE_CODE)
    assert "MIVILUDES" in caution.body
    assert caution.link == "https://www.miviludes.interieur.gouv.fr/"


def test_reloading_the_same_file_creates_no_duplicates():
    before = db_snapshot()

    summary = load_reference()

    after = db_snapshot()
    assert not summary.changed
    assert summary.care_types_unchanged == 16
    assert summary.professions_unchanged == 37
    assert not summary.new_version
    for key in ("care_types", "professions", "links", "phases", "notices"):
        assert after[key] == before[key]
    assert len(after["versions"]) == len(before["versions"]) == 1


def test_new_version_unlinks_removed_profession_and_deactivates_dropped_care(tmp_path):
    data = shipped_data()
    data["version"] = "2099.01-1"
    care(data, "nutrition")["professions"] = ["dietitian"]
    data["care_types"] = [item for item in data["care_types"] if item["code"] != "sophrology"]
    data["professions"] = [
        item for item in data["professions"] if item["code"] != "nutrition_physician"
    ]
    sophrology_pk = CareType.objects.get(code="sophrology").pk

    summary = load_reference(write_data(tmp_path, data))

    nutrition = CareType.objects.get(code="nutrition")
    assert list(nutrition.professions.values_list("code", flat=True)) == ["dietitian"]
    sophrology = CareType.objects.get(code="sophrology")
    assert sophrology.pk == sophrology_pk
    assert not sophrology.active
    assert not Profession.objects.get(code="nutrition_physician").active
    assert summary.links_removed == 1
    assert summary.care_types_deactivated == 1
    assert summary.professions_deactivated == 1
    assert ReferenceDataVersion.objects.latest().version == "2099.01-1"


def test_professions_keep_the_order_of_the_table_and_follow_a_new_order(tmp_path):
    pain = CareType.objects.get(code="pain")
    assert [p.code for p in pain.professions.order_by("care_type_links__position")][:2] == [
        "pain_specialist_physician",
        "clud_referent",
    ]
    data = shipped_data()
    care(data, "pain")["professions"].reverse()

    summary = load_reference(write_data(tmp_path, data))

    assert summary.links_reordered == 4  # the middle one of five stays in place
    assert pain.professions.order_by("care_type_links__position").first().code == (
        "pain_referent_nurse"
    )


def test_dropped_care_comes_back_active_with_the_same_row(tmp_path):
    data = shipped_data()
    without = dict(data, care_types=[c for c in data["care_types"] if c["code"] != "sophrology"])
    load_reference(write_data(tmp_path, without, "without.json"))

    summary = load_reference(write_data(tmp_path, data, "with.json"))

    assert CareType.objects.get(code="sophrology").active
    assert CareType.objects.filter(code="sophrology").count() == 1
    assert summary.care_types_updated == 1


def test_changed_content_under_the_same_version_is_loaded_with_a_warning(tmp_path):
    data = shipped_data()
    care(data, "pain")["short_description"] = "Nouvelle description."

    summary = load_reference(write_data(tmp_path, data))

    assert CareType.objects.get(code="pain").short_description == "Nouvelle description."
    assert summary.care_types_updated == 1
    assert any("changez le numéro de version" in warning for warning in summary.warnings)


def _duplicate_care_code(data):
    care(data, "sophrology")["code"] = "pain"


def _eight_basket_cares(data):
    care(data, "carer_support")["basket"] = False


def _unknown_top_level_key(data):
    data["colour"] = "bleu"


def _unknown_care_key(data):
    care(data, "pain")["prix"] = 10


def _basket_care_without_professions(data):
    care(data, "fertility")["professions"] = []


def _unknown_profession(data):
    care(data, "nutrition")["professions"].append("chef_cuisinier")


def _three_core_cares(data):
    care(data, "social")["is_core"] = False


def _core_care_outside_basket(data):
    care(data, "sophrology")["is_core"] = True


def _missing_caution_notice(data):
    data["notices"] = [n for n in data["notices"] if n["code"] != CAUTION_NOTICE_CODE]


def _missing_phase(data):
    data["phases"] = data["phases"][:2]


def _duplicate_profession_code(data):
    data["professions"].append({"code": "dietitian", "name": "Diététicienne"})


def _same_profession_under_two_codes(data):
    data["professions"].append({"code": "psychiatrist_2", "name": "Psychiatre"})


def _name_too_long(data):
    care(data, "pain")["name"] = "D" * 201


def _position_as_text(data):
    care(data, "pain")["position"] = "1"


@pytest.mark.parametrize(
    ("break_file", "expected_message"),
    [
        (_duplicate_care_code, "Code en double « pain » dans care_types"),
        (_eight_basket_cares, "exactement 9 soins ; le fichier en déclare 8"),
        (_unknown_top_level_key, "Clé inconnue « colour » dans le document"),
        (_unknown_care_key, "Clé inconnue « prix » dans care_types[0] (« pain »)"),
        (_basket_care_without_professions, "« fertility » n'a aucune profession habilitée"),
        (_unknown_profession, "profession inconnue « chef_cuisinier »"),
        (_three_core_cares, "exactement 4 soins socles ; le fichier en déclare 3"),
        (_core_care_outside_basket, "« sophrology » est déclaré socle"),
        (_missing_caution_notice, "notice obligatoire « non_conventional_practices »"),
        (_missing_phase, "phase « after_treatment » est absente"),
        (_duplicate_profession_code, "Code en double « dietitian » dans professions"),
        (_position_as_text, "« position » doit être un entier"),
        (_same_profession_under_two_codes, "Profession en double sous deux codes : « Psychiatre »"),
        (_name_too_long, "« name » dépasse 200 caractères"),
    ],
)
def test_broken_file_is_refused_in_french_and_changes_nothing(
    tmp_path, break_file, expected_message
):
    data = shipped_data()
    data["version"] = "2099.01-1"
    care(data, "pain")["name"] = "Un nom modifié qui ne doit pas être écrit"
    break_file(data)
    before = db_snapshot()

    with pytest.raises(ReferenceDataError) as refusal:
        load_reference(write_data(tmp_path, data))

    assert expected_message in str(refusal.value)
    assert "est refusé, rien n'a été modifié" in str(refusal.value)
    assert db_snapshot() == before


def test_refusal_lists_every_problem_at_once(tmp_path):
    data = shipped_data()
    _duplicate_care_code(data)
    _unknown_top_level_key(data)
    _basket_care_without_professions(data)

    with pytest.raises(ReferenceDataError) as refusal:
        load_reference(write_data(tmp_path, data))

    assert len(refusal.value.errors) >= 3


def test_file_that_is_not_json_is_refused(tmp_path):
    path = tmp_path / "reference.json"
    path.write_text("{ pas du json", encoding="utf-8")

    with pytest.raises(ReferenceDataError, match="JSON invalide ligne 1"):
        load_reference(path)


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(ReferenceDataError, match="Lecture impossible"):
        load_reference(tmp_path / "absent.json")


def test_command_prints_a_french_summary():
    out = StringIO()

    call_command("load_reference", stdout=out)

    text = out.getvalue()
    assert "Données de référence « 2025.11-1 »" in text
    assert "9 du panier INCa dont 4 socles" in text
    assert "Ce fichier était déjà chargé." in text


def test_command_reports_a_refused_file_as_an_error(tmp_path):
    data = shipped_data()
    _eight_basket_cares(data)

    with pytest.raises(CommandError, match="exactement 9 soins"):
        call_command("load_reference", path=write_data(tmp_path, data), stdout=StringIO())
