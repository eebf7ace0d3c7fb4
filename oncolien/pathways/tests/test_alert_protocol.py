"""What to do for each alert: default texts as versioned data citing their sources, the
CPTS coordinator's own protocol page, and the instruction shown when a sheet raises one."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from oncolien.audit.models import AuditEntry
from oncolien.pathways import protocol
from oncolien.pathways.models import AlertProtocol
from oncolien.pathways.services import care_team_add
from oncolien.pathways.tests.factories import add_to_team, form_token, make_pathway

pytestmark = pytest.mark.django_db


def _url(cpts):
    return reverse("pathways:alert_protocol", kwargs={"slug": cpts.slug})


def test_every_rule_has_a_default_instruction_citing_its_sources():
    instructions = protocol.default_instructions()
    assert set(instructions) == set(protocol.rule_codes())
    assert all(instruction.sources for instruction in instructions.values())
    assert "hôpital de jour" in instructions["fever"].text


def test_a_broken_instruction_file_is_refused_whole_in_french():
    data = json.loads(protocol.INSTRUCTIONS_FILE.read_text(encoding="utf-8"))
    del data["instructions"]["fever"]
    data["instructions"]["pain"]["sources"] = []
    data["instructions"]["unknown_rule"] = {"text": "x", "sources": [{"title": "t"}]}
    with pytest.raises(protocol.InstructionsError) as error:
        protocol.validate_instructions(data, codes=protocol.rule_codes())
    assert error.value.errors == [
        "« unknown_rule » n'est pas une règle d'alerte connue.",
        "Règle « fever » : consigne manquante.",
        "Règle « pain » : au moins une source citée (avec un titre) est obligatoire.",
    ]


def _form(**overrides):
    data = {
        "fever_threshold_c": "38,2",
        "escalation_after_minutes": "120",
        "acknowledging_roles": ["team_coordinating_nurse", "cpts_coordinator"],
    }
    for code, instruction in protocol.default_instructions().items():
        data[f"instruction_{code}"] = instruction.text
    data.update(overrides)
    return data


def test_the_coordinator_sets_the_protocol_and_a_local_instruction(
    coordinator, login, nord_aveyron
):
    client = login(coordinator)
    assert "Protocole d'alerte de la CPTS Nord Aveyron" in client.get(_url(nord_aveyron)).text
    response = client.post(
        _url(nord_aveyron),
        _form(instruction_fever="Appeler l'HDJ de Rodez au numéro de l'équipe de soins."),
        follow=True,
    )
    assert "Protocole d&#x27;alerte enregistré." in response.text
    saved = AlertProtocol.objects.get(cpts=nord_aveyron)
    assert (str(saved.fever_threshold_c), saved.escalation_after_minutes) == ("38.2", 120)
    # Only the text that differs from the default is the CPTS's own.
    assert saved.instructions == {"fever": "Appeler l'HDJ de Rodez au numéro de l'équipe de soins."}
    assert protocol.instructions_for(nord_aveyron.pk)["fever"].local
    assert not protocol.instructions_for(nord_aveyron.pk)["pain"].local
    assert AuditEntry.objects.filter(action="alert_protocol.update").exists()


def test_bad_protocol_values_are_refused_in_french_and_nothing_changes(
    coordinator, login, nord_aveyron
):
    response = login(coordinator).post(
        _url(nord_aveyron),
        _form(fever_threshold_c="39", acknowledging_roles=[], escalation_after_minutes="5"),
    )
    assert response.status_code == 400
    assert "Le seuil de fièvre doit être compris entre 37,8 et 38,5 °C." in response.text
    assert "Choisissez au moins un rôle." in response.text
    assert "Le délai d&#x27;escalade doit être compris entre 15 minutes et 7 jours" in response.text
    assert not AlertProtocol.objects.exists()


@pytest.mark.parametrize("persona", ["coordinating_nurse", "community_nurse", "outsider"])
def test_only_the_cpts_coordinator_edits_its_protocol(request, persona, login, nord_aveyron):
    user = request.getfixturevalue(persona)
    assert login(user).get(_url(nord_aveyron)).status_code == 404
    assert login(user).post(_url(nord_aveyron), _form()).status_code == 404
    assert not AlertProtocol.objects.exists()


def test_after_a_fever_sheet_the_page_opens_on_the_alert_and_what_to_do(
    coordinating_nurse, community_nurse, login
):
    pathway = make_pathway(actor=coordinating_nurse)
    add_to_team(
        actor=coordinating_nurse, pathway=pathway, user=community_nurse, role="community_nurse"
    )
    care_team_add(
        actor=coordinating_nurse,
        pathway=pathway,
        role="other",
        name="Hôpital de jour d'oncologie, CH de Rodez",
        phone="05 65 55 12 34",
    )
    client = login(community_nurse)
    url = reverse("pathways:record_add", kwargs={"pk": pathway.pk})
    token = form_token(client.get(url).text)
    response = client.post(
        url,
        {
            "recorded_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "temperature_c": "38,6",
            "vomiting": "none",
            "venous_access": "none",
            "form_token": token,
        },
    )
    # No anchor: the page opens at its top, where the alert and its instruction are.
    assert response.status_code == 302 and "#" not in response["Location"]
    page = login(community_nurse).get(response["Location"]).text
    top = page[: page.index("titre-identite")]
    assert "Fièvre : 38,6 °C (seuil 38 °C)." in top
    assert "appeler sans attendre l&#x27;hôpital de jour" in top
    assert "Source : Fiche de surveillance et de suivi en oncologie" in top
    assert "Hôpital de jour d&#x27;oncologie, CH de Rodez" in top and "05 65 55 12 34" in top
