from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("programme", "0004_exact_indicator_values"),
    ]

    operations = [
        migrations.RenameField("programme", "adopted_by", "revised_by"),
        migrations.RenameField("historicalprogramme", "adopted_by", "revised_by"),
        migrations.AlterField(
            model_name="programme",
            name="revised_by",
            field=models.CharField(
                help_text="Who decides on the programme's revisions.",
                max_length=200,
                verbose_name="revised by",
            ),
        ),
        migrations.AlterField(
            model_name="historicalprogramme",
            name="revised_by",
            field=models.CharField(
                help_text="Who decides on the programme's revisions.",
                max_length=200,
                verbose_name="revised by",
            ),
        ),
    ]
