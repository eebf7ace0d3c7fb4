"""Row-by-row verdicts: each kind of problem gets its French message, and nothing is written."""

import pytest

from oncolien.directory.importing.columns import HEADERS
from oncolien.directory.models import Organization, Service
from oncolien.directory.tests.factories import make_service
from oncolien.directory.tests.importing.files import csv_data, row, table
from oncolien.table_reading import UnreadableFile, read_table

pytestmark = pytest.mark.django_db


def only_row(verdicts):
    assert len(verdicts.rows) == 1
    return verdicts.rows[0]


def test_a_valid_row_is_ok_and_would_create_everything(verdicts_of):
    verdicts = verdicts_of(table([row()]))
    verdict = only_row(verdicts)
    assert (verdict.status, verdict.errors, verdict.warnings) == ("ok", [], [])
    assert verdict.line == 2
    assert verdict.service_action_label == "créée"
    assert verdict.organization_action_label == "créée"
    assert verdict.location_action_label == "créé"
    assert verdict.place == "1 place de la Mairie, Espalion"
    assert verdicts.can_apply
    assert not Service.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"structure_nom": ""}, "structure_nom : Le nom de la structure est obligatoire."),
        ({"structure_type": "fondation"}, "structure_type : valeur inconnue « fondation »."),
        ({"offre_nom": ""}, "offre_nom : Le nom de l'offre est obligatoire."),
        ({"soins": ""}, "soins : Au moins un soin de support est obligatoire."),
        ({"soins": "massage"}, "soins : soin de support inconnu : « massage »."),
        (
            {"soins": "nutrition | reiki | magnétisme"},
            "soins : soins de support inconnus : « reiki », « magnétisme ».",
        ),
        ({"professions": "chaman"}, "professions : profession inconnue : « chaman »."),
        ({"labels": "bio"}, "labels : label inconnu : « bio »."),
        ({"public": "enfants"}, "public : public inconnu : « enfants »."),
        ({"phases": "toujours"}, "phases : phase inconnue : « toujours »."),
        ({"acces": "sur rendez-vous"}, "acces : valeur inconnue « sur rendez-vous »."),
        ({"cout": ""}, "cout : Le coût est obligatoire."),
        (
            {"cout": "reste à charge"},
            "reste_a_charge : indiquez le montant du reste à charge "
            "(le coût est « reste à charge »).",
        ),
        (
            {"cout": "gratuit", "reste_a_charge": "20"},
            "reste_a_charge : un montant est indiqué mais le coût n'est pas « reste à charge »",
        ),
        (
            {"cout": "reste à charge", "reste_a_charge": "vingt euros"},
            "reste_a_charge : montant invalide « vingt euros » (ex. 25,50).",
        ),
        (
            {"structure_siret": "12345678901234"},
            "structure_siret : SIRET/SIREN invalide : « 12345678901234 »",
        ),
        ({"structure_rpps": "1234"}, "structure_rpps : RPPS invalide : « 1234 » (11 chiffres"),
        ({"structure_finess": "12AB"}, "structure_finess : FINESS invalide : « 12AB »"),
        (
            {"structure_telephone": "12 34"},
            "structure_telephone : Numéro de téléphone invalide : « 12 34 ».",
        ),
        (
            {"offre_courriel": "contact@@exemple"},
            "offre_courriel : adresse électronique invalide « contact@@exemple ».",
        ),
        (
            {"offre_page_web": "http://exemple dot fr"},
            "offre_page_web : adresse web invalide",
        ),
        (
            {"verifiee_le": "31/02/2025"},
            "verifiee_le : date invalide « 31/02/2025 » (JJ/MM/AAAA ou AAAA-MM-JJ attendu).",
        ),
        ({"verifiee_le": "01/01/2099"}, "verifiee_le : la date « 01/01/2099 » est dans le futur."),
        ({"a_domicile": "parfois"}, "a_domicile : « parfois » : indiquez « oui » ou « non »."),
        (
            {"communes_desservies": "12096"},
            "communes_desservies : des communes desservies sont indiquées mais l'offre n'est "
            "pas à domicile",
        ),
        (
            {"a_domicile": "oui", "communes_desservies": "12096 | 99999"},
            "communes_desservies : code INSEE inconnu : 99999.",
        ),
        (
            {"lieu_commune_insee": "99999"},
            "lieu_commune_insee : aucune commune ne porte le code INSEE 99999.",
        ),
        (
            {"lieu_commune_insee": "Espalion"},
            "lieu_commune_insee : « ESPALION » n'est pas un code INSEE de commune",
        ),
        (
            {"lieu_commune_insee": "", "lieu_commune": "Espalion", "lieu_code_postal": "81100"},
            "lieu_commune : aucune commune « Espalion » avec le code postal 81100",
        ),
        (
            {"lieu_commune_insee": "", "lieu_commune": "Belcastel", "lieu_code_postal": ""},
            "lieu_commune : plusieurs communes s'appellent « Belcastel » (Belcastel (12024, 12), "
            "Belcastel (81025, 81)) : indiquez le code postal ou le code INSEE.",
        ),
        (
            {"lieu_code_postal": "125"},
            "lieu_code_postal : code postal invalide « 125 » (5 chiffres).",
        ),
        (
            {"lieu_latitude": "44,52"},
            "lieu_latitude : indiquez la latitude et la longitude, ou aucune des deux.",
        ),
        (
            {"lieu_latitude": "144", "lieu_longitude": "2,76"},
            "lieu_latitude : « 144 » est hors des bornes (-90 à 90).",
        ),
        (
            {
                "lieu_nom": "",
                "lieu_adresse": "",
                "lieu_code_postal": "",
                "lieu_commune_insee": "",
            },
            "lieu_commune_insee : indiquez la commune du lieu (code INSEE, ou nom et code "
            "postal), ou « oui » en colonne a_domicile",
        ),
        ({"offre_nom": "x" * 201}, "offre_nom : 200 caractères au plus (201 ici)."),
    ],
)
def test_each_problem_refuses_the_row_with_its_french_message(verdicts_of, changes, message):
    verdicts = verdicts_of(table([row(**changes)]))
    verdict = only_row(verdicts)
    assert verdict.status == "error"
    assert any(error.startswith(message) for error in verdict.errors), verdict.errors
    assert verdict.service_action is None
    assert not verdicts.can_apply


def test_a_doubtful_rpps_key_is_a_warning_and_the_row_stays_importable(verdicts_of):
    verdict = only_row(verdicts_of(table([row(structure_rpps="10003381438")])))
    assert verdict.status == "warning"
    assert verdict.warnings == [
        "structure_rpps : La clé du RPPS 10003381438 semble incorrecte : vérifiez le numéro."
    ]
    assert verdict.service_action_label == "créée"


def test_a_commune_name_that_contradicts_the_insee_code_is_a_warning(verdicts_of):
    verdict = only_row(verdicts_of(table([row(lieu_commune="Laguiole")])))
    assert verdict.status == "warning"
    assert verdict.warnings == [
        "lieu_commune : « Laguiole » n'est pas le nom de la commune 12096 (Espalion) ; "
        "le code INSEE a été retenu."
    ]


def test_coordinates_far_from_the_commune_are_a_warning(verdicts_of):
    verdict = only_row(verdicts_of(table([row(lieu_latitude="2,76", lieu_longitude="44,52")])))
    assert verdict.status == "warning"
    assert "latitude et longitude inversées ?" in verdict.warnings[0]


def test_a_commune_is_found_by_name_and_postal_code_whatever_the_spelling(verdicts_of):
    rows = [
        row(lieu_commune_insee="", lieu_commune="LAGUIOLE", lieu_code_postal="12210"),
        row(
            offre_nom="Autre offre",
            lieu_commune_insee="",
            lieu_commune="belcastel",
            lieu_code_postal="12390",
        ),
    ]
    verdicts = verdicts_of(table(rows))
    assert [v.status for v in verdicts.rows] == ["ok", "ok"]
    assert [v.place for v in verdicts.rows] == [
        "1 place de la Mairie, Laguiole",
        "1 place de la Mairie, Belcastel",
    ]


def test_care_types_and_professions_by_code_or_french_name_even_with_a_comma(verdicts_of):
    rows = [
        row(
            soins="Prise en charge sociale, familiale et professionnelle, ACTIVITE PHYSIQUE",
            professions="Assistant social | apa_teacher",
        )
    ]
    assert only_row(verdicts_of(table(rows))).status == "ok"


def test_a_duplicate_row_is_refused_naming_the_first_one(verdicts_of):
    verdicts = verdicts_of(table([row(), row(), row(offre_nom="Autre")]))
    assert [v.status for v in verdicts.rows] == ["ok", "error", "ok"]
    assert verdicts.rows[1].errors == [
        "ligne en double : même structure, même offre et même lieu que la ligne 2."
    ]
    assert verdicts.summary.error == 1


def test_a_service_described_differently_on_two_rows_is_refused(verdicts_of):
    rows = [
        row(),
        row(lieu_commune_insee="12119", lieu_code_postal="", offre_description="Autre texte"),
    ]
    verdicts = verdicts_of(table(rows))
    assert verdicts.rows[1].errors == [
        "offre_description : l'offre « Ateliers de socio-esthétique » figure aussi ligne 2 avec "
        "d'autres valeurs ; décrivez-la de la même façon sur toutes ses lignes."
    ]


def test_an_organisation_described_differently_on_two_rows_is_refused(verdicts_of):
    rows = [row(), row(offre_nom="Autre", structure_telephone="05 99 00 99 99")]
    verdict = verdicts_of(table(rows)).rows[1]
    assert verdict.errors == [
        "structure_telephone : la structure « Association Bien-être Aveyron » figure aussi "
        "ligne 2 avec d'autres valeurs ; décrivez-la de la même façon sur toutes ses lignes."
    ]


def test_two_organisations_of_the_file_cannot_share_a_siret(verdicts_of):
    rows = [
        row(structure_siret="12345678200010"),
        row(structure_nom="Autre structure", structure_siret="123 456 782 00010"),
    ]
    verdict = verdicts_of(table(rows)).rows[1]
    assert verdict.errors == [
        "structure_siret : le SIRET 12345678200010 est aussi celui de la structure "
        "« Association Bien-être Aveyron » (ligne 2)."
    ]


def test_one_service_in_two_places_is_two_rows_of_one_service(verdicts_of):
    rows = [row(), row(lieu_commune_insee="12119", lieu_code_postal="12210")]
    verdicts = verdicts_of(table(rows))
    assert [v.status for v in verdicts.rows] == ["ok", "ok"]
    assert verdicts.summary.services.create == 1
    assert verdicts.summary.locations.create == 2
    assert verdicts.summary.organizations.create == 1


def test_existing_entries_are_recognised_and_reported_as_updated(verdicts_of, nord_aveyron):
    make_service(
        cpts=nord_aveyron,
        organization="Association Bien-être Aveyron",
        name="Ateliers de socio-esthétique",
        care_types=["socio_aesthetics"],
        commune="12096",
    )
    verdict = only_row(verdicts_of(table([row()])))
    assert verdict.service_action_label == "mise à jour"
    assert verdict.organization_action_label == "mise à jour"
    assert verdict.location_action_label == "mis à jour"


def test_a_missing_required_column_refuses_the_whole_file(verdicts_of):
    headers = [header for header in HEADERS if header not in ("soins", "cout")]
    verdicts = verdicts_of(table([row()], headers=headers))
    assert verdicts.file_errors == [
        "Colonnes obligatoires absentes : soins, cout. Partez du modèle de fichier proposé "
        "sur la page d'import."
    ]
    assert verdicts.rows == []
    assert not verdicts.can_apply


def test_unknown_columns_are_ignored_with_a_warning(verdicts_of):
    verdicts = verdicts_of(table([row(remarque="à revoir")], headers=[*HEADERS, "remarque"]))
    assert verdicts.file_warnings == ["Colonnes inconnues, ignorées : « remarque »."]
    assert only_row(verdicts).status == "ok"


def test_headers_are_read_whatever_their_case_and_accents(verdicts_of):
    data = csv_data(
        [
            {
                "Structure Nom": "A",
                "Structure-Type": "Association",
                "Offre nom": "B",
                "Soins": "Sophrologie",
                "Coût": "Gratuit",
                "Code INSEE de la commune": "12096",
            }
        ],
        headers=[
            "Structure Nom",
            "Structure-Type",
            "Offre nom",
            "Soins",
            "Coût",
            "Code INSEE de la commune",
        ],
    )
    verdicts = verdicts_of(read_table(data, "a.csv"))
    assert verdicts.file_errors == []
    assert only_row(verdicts).status == "ok"


def test_a_comma_separated_utf8_file_without_bom_is_read(verdicts_of):
    data = csv_data([row()], delimiter=",", encoding="utf-8")
    assert only_row(verdicts_of(read_table(data, "a.csv"))).status == "ok"


def test_a_windows_1252_file_is_read_with_a_warning_about_accents(verdicts_of):
    data = csv_data([row(lieu_horaires="Mardi 14 h - 17 h")], encoding="cp1252")
    verdicts = verdicts_of(read_table(data, "a.csv"))
    assert verdicts.file_warnings[0].startswith("Le fichier n'est pas encodé en UTF-8")
    assert only_row(verdicts).organization == "Association Bien-être Aveyron"


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"x", "annuaire.xls", "Format non pris en charge : « annuaire.xls »."),
        (b"   \n", "annuaire.csv", "Le fichier est vide."),
        (b"pas un classeur", "annuaire.xlsx", "Le fichier .xlsx ne peut pas être lu"),
        (b"structure_nom;offre_nom\n", "a.csv", "Le fichier ne contient aucune ligne"),
    ],
)
def test_an_unreadable_file_gets_a_clear_message(data, filename, message):
    with pytest.raises(UnreadableFile) as problem:
        read_table(data, filename)
    assert str(problem.value).startswith(message)


def test_validation_writes_nothing(verdicts_of):
    verdicts_of(table([row(), row(offre_nom="Deux")]))
    assert not Organization.objects.exists()


def test_the_same_organisation_spelt_with_other_capitals_is_one_organisation(verdicts_of):
    rows = [row(), row(structure_nom="ASSOCIATION BIEN-ETRE AVEYRON", offre_nom="Deux")]
    verdicts = verdicts_of(table(rows))
    assert [v.status for v in verdicts.rows] == ["ok", "ok"]
    assert verdicts.summary.organizations.create == 1


def test_two_organisations_of_the_file_cannot_be_the_same_existing_one(verdicts_of, nord_aveyron):
    from oncolien.directory.services import organization_save
    from oncolien.directory.tests.factories import curator

    organization_save(
        actor=curator(),
        cpts=nord_aveyron,
        name="Association Bien-être Aveyron",
        kind="association",
        siret="12345678200010",
    )
    rows = [
        row(structure_nom="Nouveau nom", structure_siret="12345678200010"),
        row(offre_nom="Deux"),
    ]
    verdicts = verdicts_of(table(rows))
    assert verdicts.rows[0].status == "ok"
    assert verdicts.rows[0].organization_action_label == "mise à jour"
    assert verdicts.rows[1].errors == [
        "structure_nom : la structure existante « Association Bien-être Aveyron » est déjà "
        "celle de la ligne 2 (« Nouveau nom », reconnue par son nom, son SIRET ou son "
        "FINESS) ; décrivez-la une seule fois."
    ]
