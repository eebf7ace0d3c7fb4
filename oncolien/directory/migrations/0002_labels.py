from django.db import migrations

LABELS = [
    (
        "post_cancer_programme",
        "Structure labellisée « parcours de soins global après le traitement d'un cancer »",
        "Structure retenue par l'ARS pour réaliser les bilans et consultations du parcours "
        "post-cancer (décret n° 2020-1665).",
    ),
    (
        "espace_ligue",
        "Espace Ligue contre le cancer",
        "Lieu de la Ligue contre le cancer proposant des soins de support financés.",
    ),
    (
        "maison_sport_sante",
        "Maison Sport-Santé",
        "Structure reconnue par les ministères chargés des sports et de la santé.",
    ),
]


def create_labels(apps, schema_editor):
    label_model = apps.get_model("directory", "Label")
    for code, name, description in LABELS:
        label_model.objects.update_or_create(
            code=code, defaults={"name": name, "description": description}
        )


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [migrations.RunPython(create_labels, migrations.RunPython.noop)]
