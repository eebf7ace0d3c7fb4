"""Make the audit table append-only in the database itself, and create the chain head."""

from django.db import migrations

from oncolien.audit.db_guards import install_guards, remove_guards


def create_head(apps, schema_editor):
    head_model = apps.get_model("audit", "AuditChainHead")
    head_model.objects.get_or_create(pk=1)


def forward(apps, schema_editor):
    # The first version of the guards, as this migration installed them: the second
    # (migration 0003) names columns that do not exist yet.
    install_guards(schema_editor.connection, version=1)


def backward(apps, schema_editor):
    remove_guards(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(create_head, migrations.RunPython.noop),
        migrations.RunPython(forward, backward),
    ]
