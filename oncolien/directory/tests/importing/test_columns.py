"""The columns are documented once and everywhere the same."""

from pathlib import Path

from oncolien.directory.importing import columns
from oncolien.directory.views_importing import TEMPLATE_FILE
from oncolien.table_reading import read_table

COLUMNS_DOC = Path(columns.__file__).with_name("COLUMNS.md")


def test_every_column_is_documented_in_columns_md():
    text = COLUMNS_DOC.read_text(encoding="utf-8")
    for column in columns.COLUMNS:
        assert f"| `{column.name}` |" in text, column.name


def test_the_model_file_has_exactly_the_documented_columns():
    table = read_table(TEMPLATE_FILE.read_bytes(), "modele.csv")
    assert table.headers == columns.HEADERS


def test_headers_are_recognised_by_name_or_french_label():
    assert columns.column_for_header("Structure – Nom") == "structure_nom"
    assert columns.column_for_header("CODE INSEE DE LA COMMUNE") == "lieu_commune_insee"
    assert columns.column_for_header("Coût") == "cout"
    assert columns.column_for_header("remarque") is None
