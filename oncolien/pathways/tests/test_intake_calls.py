"""The intake call: the commune is checked first, an out-of-territory call gets one
message naming who covers it, and every call is recorded (no identity) so that
contacts and patients followed can be counted."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from oncolien.pathways.models import IntakeCall, Pathway
from oncolien.pathways.tests.test_pages import intake_data
from oncolien.territories.models import Commune, Cpts

pytestmark = pytest.mark.django_db

INTAKE = reverse("pathways:intake")
CALLS = reverse("pathways:intake_calls")
ALBI = "81004"


def _check(client, commune, channel="phone_line", **extra):
    return client.post(
        INTAKE, {"step": "commune", "commune": commune, "intake_channel": channel, **extra}
    )


@pytest.fixture
def sud_tarn_contact(base_data):
    Cpts.objects.filter(slug="cpts-sud-tarn").update(
        contact_phone="05 63 00 00 81", contact_email="contact@cpts-sud-tarn.test.invalid"
    )


def test_the_commune_is_asked_before_the_rest_of_the_form(coordinating_nurse, login):
    client = login(coordinating_nurse)
    first = client.get(INTAKE).content.decode()
    assert 'name="commune"' in first
    assert 'name="last_name"' not in first
    page = _check(client, "Espalion").content.decode()
    assert 'name="last_name"' in page
    assert "Espalion (12)" in page
    assert not IntakeCall.objects.exists()


def test_an_out_of_territory_call_gets_one_message_naming_the_covering_cpts(
    coordinating_nurse, login, sud_tarn_contact
):
    response = _check(login(coordinating_nurse), "81065", channel="gp")
    page = response.content.decode().replace("&#x27;", "'")
    assert "n'est pas dans le territoire de la CPTS Nord Aveyron" in page
    assert page.count("n'est pas dans le territoire") == 1
    assert "CPTS Sud Tarn" in page
    assert 'href="tel:0563000081"' in page
    assert "contact@cpts-sud-tarn.test.invalid" in page
    assert "Aucune CPTS connue" not in page
    assert "Orientez le patient vers la CPTS qui couvre sa commune" not in page
    assert 'name="last_name"' not in page
    call = IntakeCall.objects.get()
    assert call.outcome == "out_of_territory"
    assert call.channel == "gp"
    assert call.commune.insee_code == "81065"
    assert call.in_territory is False
    assert call.covering_cpts.slug == "cpts-sud-tarn"
    assert call.recorded_by == coordinating_nurse
    assert call.cpts.slug == "cpts-nord-aveyron"
    assert call.pathway is None
    assert timezone.now() - call.called_at < timezone.timedelta(minutes=1)
    # No identity on a call: nothing that names or dates the person.
    names = {f.name for f in IntakeCall._meta.get_fields()}
    assert not names & {"last_name", "first_name", "birth_date", "phone", "patient", "ins"}


def test_a_commune_no_cpts_covers_names_the_regional_contact(coordinating_nurse, login, settings):
    settings.ONCOLIEN_REGIONAL_CONTACT = "la coordination régionale des CPTS, 05 00 00 00 00"
    lonely = Commune.objects.filter(cpts_set=None).first()
    page = _check(login(coordinating_nurse), lonely.insee_code).content.decode()
    page = page.replace("&#x27;", "'")
    assert "aucune CPTS connue ne la couvre" in page
    assert "la coordination régionale des CPTS, 05 00 00 00 00" in page
    assert IntakeCall.objects.get().covering_cpts is None


def test_an_unknown_commune_is_refused_and_no_call_is_recorded(coordinating_nurse, login):
    response = _check(login(coordinating_nurse), "Nulle-Part-sur-Mer")
    assert response.status_code == 400
    assert "Aucune commune ne s&#x27;appelle « Nulle-Part-sur-Mer »" in response.content.decode()
    assert not IntakeCall.objects.exists()


def test_an_included_call_is_recorded_with_its_pathway(coordinating_nurse, login):
    response = login(coordinating_nurse).post(INTAKE, intake_data())
    assert response.status_code == 302
    call = IntakeCall.objects.get()
    assert call.outcome == "included" and call.in_territory is True
    assert call.pathway == Pathway.objects.get()
    assert call.channel == "phone_line" and call.commune.insee_code == "12096"


def test_a_coordinator_includes_out_of_territory_and_the_call_is_counted_once(coordinator, login):
    client = login(coordinator)
    page = _check(client, "81065").content.decode()
    call = IntakeCall.objects.get()
    assert "Inclure malgré tout" in page
    form = client.post(INTAKE, {"step": "include", "call": call.pk}).content.decode()
    assert "Motif d&#x27;inclusion hors territoire" in form
    response = client.post(
        INTAKE,
        intake_data(
            commune="81065", call=call.pk, out_of_territory_reason="Suivi par son aidante."
        ),
    )
    assert response.status_code == 302
    call.refresh_from_db()
    assert IntakeCall.objects.count() == 1
    assert call.outcome == "included" and call.pathway == Pathway.objects.get()
    assert call.in_territory is False


def test_a_nurse_cannot_include_out_of_territory(coordinating_nurse, login):
    client = login(coordinating_nurse)
    page = _check(client, "81065").content.decode()
    assert "Inclure malgré tout" not in page
    call = IntakeCall.objects.get()
    client.post(INTAKE, {"step": "include", "call": call.pk})
    client.post(INTAKE, intake_data(commune="81065", call=call.pk, out_of_territory_reason="x"))
    assert not Pathway.objects.exists()
    assert IntakeCall.objects.get().outcome == "out_of_territory"


def test_a_nurse_records_a_call_that_led_to_no_inclusion(coordinating_nurse, login):
    client = login(coordinating_nurse)
    missing = client.post(
        CALLS, {"commune": "Espalion", "intake_channel": "relative", "reason": ""}
    )
    assert missing.status_code == 400
    assert "Indiquez pourquoi le patient n&#x27;est pas inclus." in missing.content.decode()
    assert not IntakeCall.objects.exists()
    response = client.post(
        CALLS,
        {
            "commune": "Espalion",
            "intake_channel": "relative",
            "reason": "Demande d'information seule",
        },
    )
    assert response.status_code == 302
    call = IntakeCall.objects.get()
    assert (call.outcome, call.reason, call.channel) == (
        "not_included",
        "Demande d'information seule",
        "relative",
    )
    assert call.recorded_by == coordinating_nurse


def test_the_calls_page_counts_contacts_and_patients_followed(coordinating_nurse, login, outsider):
    client = login(coordinating_nurse)
    client.post(INTAKE, intake_data())
    _check(client, "81065")
    client.post(
        CALLS, {"commune": "Espalion", "intake_channel": "patient", "reason": "Information"}
    )
    page = client.get(CALLS).content.decode()
    assert "3 appels" in page
    assert "1 patient inclus" in page
    assert "1 hors territoire" in page
    assert "1 non inclus" in page
    # The Sud Tarn coordinator counts only her own calls.
    assert "0 appel" in login(outsider).get(CALLS).content.decode()


def test_the_call_log_says_it_shows_only_the_latest_calls(coordinating_nurse, login):
    """The log lists the 50 latest calls; with more, it says so beside the total."""
    cpts = Cpts.objects.get(slug="cpts-nord-aveyron")
    espalion = Commune.objects.get(insee_code="12096")
    IntakeCall.objects.bulk_create(
        IntakeCall(
            cpts=cpts,
            called_at=timezone.now() - timedelta(hours=index),
            channel="phone_line",
            commune=espalion,
            in_territory=True,
            outcome="not_included",
            recorded_by=coordinating_nurse,
        )
        for index in range(52)
    )
    page = login(coordinating_nurse).get(CALLS).content.decode()
    assert "Les 50 plus récents sur 52 appels." in page
