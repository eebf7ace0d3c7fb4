"""What keeps the search fast: few SQL queries per search whatever the number of
results, and a search page that renders its lists of choices without one widget
template per option (the figures are in bench/directory_search.py)."""

from decimal import Decimal

from django.urls import reverse

from oncolien.directory.search.query import ServiceQuery, search_services

from .conftest import ESPALION


def test_a_search_by_words_reads_index_and_page_in_five_queries(
    directory, django_assert_max_num_queries
):
    # Prefix expansion, count, page of the index, services with organisations,
    # then their cares and communes: no second count, no ORM objects per row.
    with django_assert_max_num_queries(5):
        page = search_services(ServiceQuery(words="diet"))
    assert page.total == 3


def test_a_second_page_still_reads_few_queries(directory, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        page = search_services(ServiceQuery(words="consultation", page=2, page_size=1))
    assert page.total == 2 and len(page.results) == 1


def test_a_result_shows_the_same_values_as_the_service_itself(directory):
    [result] = search_services(ServiceQuery(words="anne martin")).results
    service = directory["psy_villecomtal"]
    hit = result.service
    assert (hit.pk, hit.name, hit.organization.name) == (
        service.pk,
        service.name,
        service.organization.name,
    )
    assert hit.get_cost_display() == "Reste à charge"
    assert hit.remaining_cost_amount == Decimal("30.00")
    assert hit.needs_verification is service.needs_verification
    assert hit.get_absolute_url() == service.get_absolute_url()
    assert hit.get_access_display() == service.get_access_display()
    assert [c.name for c in result.care_types] == [c.name for c in service.care_types.all()]


def test_the_search_page_renders_its_choices_without_a_template_per_option(client, directory):
    response = client.get(
        reverse("directory:search"), {"q": "diet", "commune": ESPALION, "care_type": "nutrition"}
    )
    assert response.status_code == 200
    # The page, its base and its partials: not the ~94 widget templates of the options.
    assert len(response.templates) <= 12, [t.name for t in response.templates]
    content = response.content.decode()
    assert '<option value="nutrition" selected>' in content
    assert '<optgroup label="Panier de soins de support (INCa)">' in content
    assert '<option value="20" selected>20 km</option>' in content


def test_the_python_widgets_write_the_markup_of_django_s_templates(directory):
    from django import forms

    from oncolien.directory.search.forms import CheckboxInput, Select, ServiceSearchForm

    form = ServiceSearchForm({"care_type": "nutrition", "radius": "10", "free": "on"})
    for name in ("care_type", "profession", "radius", "cpts", "label", "audience", "phase"):
        field = form[name]
        ours = field.as_widget()
        theirs = field.as_widget(widget=forms.Select(choices=field.field.widget.choices))
        assert isinstance(field.field.widget, Select)
        assert ours == theirs, name
    assert isinstance(form.fields["free"].widget, CheckboxInput)
    assert form["free"].as_widget() == form["free"].as_widget(widget=forms.CheckboxInput())
    # Labels and values are escaped as Django escapes them.
    select = Select(choices=[('a"b', "<b>&"), ("Groupe <i>", [("c", "d")])])
    assert select.render("x", 'a"b', {"id": "id_x"}) == forms.Select(choices=select.choices).render(
        "x", 'a"b', {"id": "id_x"}
    )
