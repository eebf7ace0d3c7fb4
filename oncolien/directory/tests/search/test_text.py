"""The one folding of words both engines index (no database needed)."""

from oncolien.directory.search.text import (
    folded_words,
    normalize_text,
    query_terms,
    sort_key,
    words,
)


def test_accents_case_and_ligatures_are_folded():
    assert folded_words("Diététicienne à Saint-Côme-d'Olt") == [
        "dieteticienne",
        "a",
        "saint",
        "come",
        "d",
        "olt",
    ]
    assert folded_words("CŒUR de Garonne") == ["coeur", "de", "garonne"]


def test_feminine_masculine_and_plural_forms_index_as_one_stem():
    assert words("diététicienne") == words("Diététiciens") == ["dieteticien"]
    assert normalize_text("Assistante sociale") == normalize_text("assistants sociaux")
    assert normalize_text("enseignant·e APA") == normalize_text("enseignant APA")
    assert normalize_text("infirmier(e)") == normalize_text("infirmier")


def test_plurals_fold_to_the_singular_on_both_sides():
    assert normalize_text("Groupes de parole") == normalize_text("groupe de parole")
    assert words("cours") == words("cour")


def test_stop_words_are_dropped_from_a_query_unless_nothing_else_is_left():
    assert query_terms("soutien des proches") == (["soutien", "proch"], True)
    assert query_terms("de la") == (["de", "la"], False)


def test_the_last_word_is_a_prefix_from_three_letters():
    assert query_terms("diet") == (["diet"], True)
    assert query_terms("ca") == (["ca"], False)


def test_punctuation_alone_makes_no_search_terms():
    assert query_terms("!!! ...") == ([], False)


def test_sort_key_orders_like_a_reader_despite_accents():
    names = ["Éducation thérapeutique", "Atelier", "ateliers créatifs", "Zumba"]
    assert sorted(names, key=sort_key) == [
        "Atelier",
        "ateliers créatifs",
        "Éducation thérapeutique",
        "Zumba",
    ]
