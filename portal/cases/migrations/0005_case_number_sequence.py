"""Per-year case-number counters (seeded from the numbers already used) and the
lifecycle revision of a case."""

import re

from django.db import migrations, models
from django.db.models import Max
from django.db.models.functions import Substr

NUMBER_RE = re.compile(r"^AJ(\d{4})(\d{6,})$")


def seed_sequences(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    CaseNumberSequence = apps.get_model("cases", "CaseNumberSequence")
    # One grouped scan: the highest number per 4-character year prefix.
    rows = (
        Case.objects.filter(number__startswith="AJ")
        .annotate(prefix=Substr("number", 3, 4))
        .values("prefix")
        .annotate(top=Max("number"))
    )
    for row in rows:
        match = NUMBER_RE.match(row["top"] or "")
        if match:
            CaseNumberSequence.objects.update_or_create(
                year=int(match.group(1)), defaults={"last": int(match.group(2))}
            )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_default_categories"),
    ]

    operations = [
        migrations.CreateModel(
            name="CaseNumberSequence",
            fields=[
                (
                    "year",
                    models.PositiveSmallIntegerField(
                        primary_key=True, serialize=False, verbose_name="年份"
                    ),
                ),
                ("last", models.PositiveBigIntegerField(default=0, verbose_name="已用最大序号")),
            ],
            options={"verbose_name": "案件编号序列", "verbose_name_plural": "案件编号序列"},
        ),
        migrations.AddField(
            model_name="case",
            name="revision",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="流转版本"),
        ),
        migrations.RunPython(seed_sequences, migrations.RunPython.noop),
    ]
