"""Organisations belong to a municipality: each existing one to the municipality of the
programmes it owns or answers in, or else, where the programmes are one municipality's,
to that one. Added without the default first, so that filling the rows runs no code of
today's models."""

import django.db.models.deletion
import programme.models
from django.db import migrations, models


def fill_municipality(apps, schema_editor):
    Organisation = apps.get_model("programme", "Organisation")
    Programme = apps.get_model("programme", "Programme")
    Responsibility = apps.get_model("programme", "Responsibility")
    found = {}
    for owner, municipality in Programme.objects.exclude(owner=None).exclude(
        municipality=None
    ).values_list("owner", "municipality"):
        found.setdefault(owner, municipality)
    for organisation, municipality in Responsibility.objects.exclude(
        focus_area__programme__municipality=None
    ).values_list("organisation", "focus_area__programme__municipality"):
        found.setdefault(organisation, municipality)
    for organisation, municipality in found.items():
        Organisation.objects.filter(pk=organisation).update(municipality=municipality)
    municipalities = set(
        Programme.objects.exclude(municipality=None).values_list("municipality", flat=True)
    )
    if len(municipalities) == 1:
        Organisation.objects.filter(municipality=None).update(municipality=municipalities.pop())


class Migration(migrations.Migration):

    dependencies = [
        ('programme', '0018_global_goals'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalorganisation',
            name='municipality',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='programme.municipality', verbose_name='municipality'),
        ),
        migrations.AddField(
            model_name='organisation',
            name='municipality',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='organisations', to='programme.municipality', verbose_name='municipality'),
        ),
        migrations.RunPython(fill_municipality, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='historicalorganisation',
            name='municipality',
            field=models.ForeignKey(blank=True, db_constraint=False, default=programme.models.installation_municipality_id, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='programme.municipality', verbose_name='municipality'),
        ),
        migrations.AlterField(
            model_name='organisation',
            name='municipality',
            field=models.ForeignKey(default=programme.models.installation_municipality_id, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='organisations', to='programme.municipality', verbose_name='municipality'),
        ),
        migrations.AlterField(
            model_name='historicalorganisation',
            name='name',
            field=models.CharField(max_length=200, verbose_name='name'),
        ),
        migrations.AlterField(
            model_name='organisation',
            name='name',
            field=models.CharField(max_length=200, verbose_name='name'),
        ),
        migrations.AddConstraint(
            model_name='organisation',
            constraint=models.UniqueConstraint(fields=('municipality', 'name'), name='organisation_name_unique_per_municipality', violation_error_message='The municipality already has an organisation of that name.'),
        ),
    ]
