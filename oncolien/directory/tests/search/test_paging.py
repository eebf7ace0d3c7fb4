from oncolien.directory.search.query import ServiceQuery, search_services

from .conftest import ESPALION, keys


def test_page_two_continues_where_page_one_stops(directory):
    first = search_services(ServiceQuery(page=1, page_size=3))
    second = search_services(ServiceQuery(page=2, page_size=3))
    assert first.total == second.total == 8
    assert (first.num_pages, first.has_next, second.has_previous) == (3, True, True)
    assert not set(keys(directory, first)) & set(keys(directory, second))
    assert second.first_index == 4


def test_the_same_holds_for_words_and_distance(directory):
    by_words = [
        keys(directory, search_services(ServiceQuery(words="diet", page=n, page_size=1)))
        for n in (1, 2, 3)
    ]
    assert by_words == [["diet_espalion"], ["diet_castres"], ["ligue_cooking"]]
    near = [
        keys(
            directory,
            search_services(ServiceQuery(commune=ESPALION, radius_km=20, page=n, page_size=2)),
        )
        for n in (1, 2, 3)
    ]
    assert sum(near, []) == keys(
        directory, search_services(ServiceQuery(commune=ESPALION, radius_km=20))
    )


def test_a_page_past_the_last_is_empty_but_keeps_the_total(directory):
    page = search_services(ServiceQuery(care_types=["nutrition"], page=9, page_size=2))
    assert (page.results, page.total, page.num_pages) == ([], 3, 2)
    assert page.out_of_range and not page.has_next


def test_a_result_carries_what_the_list_shows(directory):
    page = search_services(ServiceQuery(words="atelier cuisine"))
    [result] = page.results
    assert result.service.organization.name == "Espace Ligue Espalion"
    assert [c.code for c in result.care_types] == ["nutrition", "healthy_lifestyle"]
    assert result.communes == ["Espalion"]
    assert result.distance_km is None
