import pytest
from django import forms

from oncolien.web.forms import form_field


class _Form(forms.Form):
    colour = forms.ChoiceField(choices=[])
    note = forms.CharField()


def test_form_field_returns_the_declared_field():
    form = _Form()
    field = form_field(form, "colour", forms.ChoiceField)
    field.choices = [("red", "Rouge")]
    assert form.fields["colour"].choices == [("red", "Rouge")]


def test_form_field_of_another_kind_is_a_programming_error():
    with pytest.raises(TypeError, match="note is a CharField, not a ChoiceField"):
        form_field(_Form(), "note", forms.ChoiceField)
