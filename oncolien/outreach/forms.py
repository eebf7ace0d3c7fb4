"""The coordinator's forms (material, campaign) and the public page's (territory check,
contact request). The public forms only carry text: the services resolve and check it."""

from django import forms

from oncolien.outreach.models import Material, PreferredTime

COMMUNE_HELP = "Nom de la commune ou code postal (par exemple « Carbonne » ou « 31390 »)."


class MaterialForm(forms.ModelForm):
    class Meta:
        model = Material
        fields = [
            "offer_title",
            "offer_points",
            "contact_name",
            "phone",
            "phone_hours",
            "email",
            "consent_sentence",
        ]
        widgets = {
            "offer_points": forms.Textarea(attrs={"rows": 5}),
            "consent_sentence": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "consent_sentence": "Par défaut : « sauf opposition de votre part… ». Modifiable.",
            "offer_points": "Un point par ligne ; chacun devient une puce du flyer.",
        }


class CampaignForm(forms.Form):
    name = forms.CharField(
        label="Nom de la campagne",
        max_length=120,
        help_text="Le lieu où les documents sont distribués, par exemple « radiologie Carbonne ».",
    )
    audience = forms.CharField(
        label="Public visé",
        max_length=150,
        required=False,
        help_text="Facultatif, par exemple « patientes des cabinets de radiologie ».",
    )


class TerritoryCheckForm(forms.Form):
    commune = forms.CharField(
        label="Votre commune",
        max_length=150,
        help_text=COMMUNE_HELP,
        error_messages={"required": "Indiquez votre commune : son nom ou son code postal."},
    )


class ContactForm(forms.Form):
    name = forms.CharField(
        label="Votre nom",
        max_length=150,
        error_messages={
            "required": "Indiquez votre nom, pour que l'infirmière sache qui rappeler."
        },
    )
    phone = forms.CharField(
        label="Votre téléphone",
        error_messages={"required": "Indiquez un numéro de téléphone où vous rappeler."},
        max_length=30,
        help_text="Le numéro où l'infirmière peut vous rappeler, par exemple 06 12 34 56 78.",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    commune = forms.CharField(
        label="Votre commune",
        max_length=150,
        help_text=COMMUNE_HELP,
        error_messages={"required": "Indiquez votre commune : son nom ou son code postal."},
    )
    postal_code = forms.CharField(
        label="Code postal",
        max_length=5,
        required=False,
        help_text="Facultatif : utile quand plusieurs communes portent le même nom.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    preferred_time = forms.ChoiceField(
        label="Quand préférez-vous être rappelé·e ?",
        choices=PreferredTime.choices,
        widget=forms.RadioSelect,
        initial=PreferredTime.ANY,
    )
    message = forms.CharField(
        label="Votre message",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Facultatif. Inutile de détailler votre santé : l'infirmière en parlera avec vous.",
    )
    consent = forms.BooleanField(
        label=(
            "J'accepte que l'infirmière de coordination de la CPTS garde ces informations "
            "et me rappelle pour organiser mon accompagnement."
        ),
        required=False,
    )
    # The honeypot: hidden from people (and from screen readers) by the template,
    # filled in by robots that fill in every field.
    website = forms.CharField(
        label="Ne pas remplir",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["commune"].widget.attrs["autocomplete"] = "address-level2"

    @property
    def honeypot_filled(self) -> bool:
        return bool(str(self.data.get("website", "")).strip())
