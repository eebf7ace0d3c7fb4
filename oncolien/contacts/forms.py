from django import forms

from oncolien.contacts.kinds import contact_kinds
from oncolien.contacts.models import AnnouncementContact


class ContactForm(forms.ModelForm):
    kind = forms.ChoiceField(label="Rôle", choices=())

    class Meta:
        model = AnnouncementContact
        fields = ["kind", "name", "establishment", "phone", "email", "hours", "position"]
        widgets = {"phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", "— choisir —"), *contact_kinds().choices]
        position = self.fields["position"]
        assert isinstance(position, forms.IntegerField)
        position.max_value = 999
