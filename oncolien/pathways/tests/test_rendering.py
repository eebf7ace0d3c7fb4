"""The pathway pages' forms, written in Python for speed, are the very HTML Django's form
templates write: same labels, ids, help texts, error lists, aria attributes, options."""

from pathlib import Path

import django
import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from oncolien.pathways import forms as page_forms
from oncolien.pathways.rendering import INPUT_TEMPLATES, FastFormRenderer

TEMPLATES = DjangoTemplates()
FAST = FastFormRenderer()


class Everything(forms.Form):
    """Every kind of field the pages use, with values that need escaping."""

    text = forms.CharField(label='Nom <b>« gras »</b> & "cité"', help_text="Aide <i>HTML</i>")
    number = forms.DecimalField(label="Poids (kg)", max_digits=5, decimal_places=1)
    integer = forms.IntegerField(label="Pouls", min_value=20, max_value=250)
    email = forms.EmailField(label="Courriel", required=False)
    date = forms.DateField(label="Date", widget=page_forms.DateInput())
    when = forms.DateTimeField(label="Passage", widget=page_forms.DateTimeInput())
    checkbox = forms.BooleanField(label="Nausées", required=False)
    notes = forms.CharField(label="Notes", widget=forms.Textarea(attrs={"rows": 2}))
    choice = forms.ChoiceField(
        label="Choix",
        choices=[("", "—"), ("a", "A <1>"), ("Groupe « x »", [("b", "B"), ("c", 'C "3"')])],
    )
    numbers = forms.TypedChoiceField(label="EVA", choices=[(i, i) for i in range(11)], coerce=int)
    many = forms.MultipleChoiceField(
        label="Besoins", choices=[("1", "Un"), ("2", "Deux")], widget=forms.CheckboxSelectMultiple
    )
    radio = forms.ChoiceField(label="Radio", choices=[("x", "X")], widget=forms.RadioSelect)
    hidden = forms.CharField(widget=forms.HiddenInput(), required=False)
    safe = forms.CharField(label=mark_safe("<abbr>PPS</abbr>"), initial=mark_safe("<ok>"))


BAD = {
    "text": '<script>"x"</script>',
    "number": "abc",
    "integer": "1000",
    "email": "pas une adresse",
    "date": "2026-13-45",
    "when": "hier",
    "notes": "",
    "choice": "zzz",
    "numbers": "4",
    "many": ["1"],
    "hidden": 'a"b',
}


def page_forms_to_check() -> list[tuple[type[forms.Form], tuple, dict]]:
    """(form class, args, keyword arguments) of the forms to draw both ways."""
    allowed = [("followed", "Suivi"), ("closed", "Clôturé")]
    made: list[tuple[type[forms.Form], tuple, dict]] = []
    for data in (None, {"to_status": "zzz", "note": "<x>", "name": "", "email": "@"}):
        made += [
            (page_forms.StatusForm, (data,), {"allowed": allowed}),
            (
                page_forms.PathwayDetailsForm,
                (data,),
                {"initial": {"reference_weight_kg": "62.5", "cancer_ald": True}},
            ),
            (page_forms.TreatmentForm, (data,), {}),
            (page_forms.ConsentForm, (data,), {"initial": {"informed_on": "2026-12-01"}}),
            (page_forms.CareTeamUserForm, (data,), {"users": []}),
            (page_forms.CareTeamContactForm, (data,), {}),
            (page_forms.AlertCommentForm, (data,), {}),
            (page_forms.AcknowledgeForm, (data,), {}),
            (Everything, (data,), {}),
        ]
    made.append((Everything, (BAD,), {}))
    initial = {"checkbox": True, "choice": "c", "numbers": 3, "many": ["2"]}
    made.append((Everything, (), {"initial": initial}))
    return made


def rendered(made: tuple[type[forms.Form], tuple, dict], renderer) -> str:
    form_class, args, kwargs = made
    form = form_class(*args, **{**kwargs, "renderer": renderer})
    return render_to_string("pathways/_fields.html", {"form": form}) + "".join(
        f"{field.label_tag()}{field.errors}{field}{field.as_field_group()}" for field in form
    )


@pytest.mark.parametrize("made", page_forms_to_check(), ids=lambda made: made[0].__name__)
def test_the_fast_renderer_writes_the_same_html_as_django_templates(made):
    assert rendered(made, FAST) == rendered(made, TEMPLATES)


def test_the_page_forms_use_the_fast_renderer():
    for form_class in (page_forms.OnePageForm, page_forms.MonitoringForm):
        assert isinstance(form_class.default_renderer, FastFormRenderer)


def test_the_input_templates_written_in_python_are_plain_inputs():
    """Django's widget templates the renderer writes as <input> include input.html only."""
    widgets = Path(django.__file__).parent / "forms/templates"
    for name in INPUT_TEMPLATES - {"django/forms/widgets/input.html"}:
        assert (widgets / name).read_text().strip() == (
            '{% include "django/forms/widgets/input.html" %}'
        ), name


def test_the_page_forms_are_written_without_any_template(monkeypatch):
    def no_template(self, name):
        raise AssertionError(f"gabarit {name} rendu par Django")

    monkeypatch.setattr(FastFormRenderer, "get_template", no_template)
    for made in page_forms_to_check():
        if made[0] is not Everything:
            rendered(made, FAST)
