"""SQLite: the full-text index keeps in which column a word is, not where in it
(`detail=column`), and no column sizes (see search/sqlite_fts.py); it is made
again from the search documents. PostgreSQL has nothing to change.

The statements are frozen here as they stood when this migration was written.
"""

from django.db import migrations

FTS_TABLE = "directory_search_fts"
COLUMNS = """title, body, tags,
        content='directory_searchdocument', content_rowid='name_rank',
        tokenize='unicode61 remove_diacritics 2'"""


def _remake(options: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
        schema_editor.execute(f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5({COLUMNS}{options})")
        # The triggers on the documents name the table: they carry on as they were.
        schema_editor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")  # noqa: S608

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0005_frsearch_stemmed_index"),
    ]

    operations = [
        migrations.RunPython(_remake(", detail=column, columnsize=0"), _remake(""), elidable=False),
    ]
