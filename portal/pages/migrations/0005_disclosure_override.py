"""The emergency override of the committee's review (see portal.pages.disclosure_review)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0004_chinese_default_groups"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="disclosurepage",
            options={
                "permissions": [
                    ("publish_disclosure_without_review", "未经村务监督委员会审核紧急发布公开内容")
                ],
                "verbose_name": "公开内容",
                "verbose_name_plural": "公开内容",
            },
        ),
    ]
