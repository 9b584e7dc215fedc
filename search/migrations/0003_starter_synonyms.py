"""Load the shipped starting set of synonyms (search/data/starter_synonyms.txt)."""

from pathlib import Path

from django.db import migrations

STARTER = Path(__file__).resolve().parent.parent / "data" / "starter_synonyms.txt"


def load(apps, schema_editor):
    SynonymGroup = apps.get_model("portal_search", "SynonymGroup")
    if SynonymGroup.objects.exists():
        return
    lines = [line.strip() for line in STARTER.read_text(encoding="utf-8").splitlines()]
    SynonymGroup.objects.bulk_create(
        [SynonymGroup(terms=line, note="系统预置") for line in lines if line]
    )


class Migration(migrations.Migration):
    dependencies = [("portal_search", "0002_case_index")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
