"""The search documents now hold French stems (search/text.py, INDEX_VERSION):
documents written before are rebuilt once, here.

The rebuild uses the search code of the day on purpose: the index is derived
data, and what it must hold is what the running code searches for. On an
empty directory (a new database, the tests) it does nothing.
"""

from django.db import migrations


def rebuild_stemmed_index(apps, schema_editor):
    if not apps.get_model("directory", "SearchDocument").objects.exists():
        return
    from oncolien.directory.search.index import rebuild_all

    rebuild_all()


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0004_pdftasks_printed_edition"),
    ]

    operations = [
        migrations.RunPython(rebuild_stemmed_index, migrations.RunPython.noop, elidable=True),
    ]
