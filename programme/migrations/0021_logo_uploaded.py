"""A programme's logo is an uploaded file, kept through the storage API, no longer a path
among the static files: a logo that was such a path is copied into the storage (under
logos/); one that names no static file is cleared, as the report could not show it."""

import programme.logos
from pathlib import Path

from django.db import migrations, models


def copy_static_logos(apps, schema_editor):
    from django.contrib.staticfiles import finders
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    Programme = apps.get_model("programme", "Programme")
    for programme in Programme.objects.exclude(logo=""):
        path = str(programme.logo).strip().lstrip("/")
        found = finders.find(path) if path and not path.startswith("logos/") else None
        if found:
            with open(found, "rb") as source:
                name = default_storage.save("logos/" + Path(path).name, ContentFile(source.read()))
            Programme.objects.filter(pk=programme.pk).update(logo=name)
        elif not path.startswith("logos/"):
            Programme.objects.filter(pk=programme.pk).update(logo="")


class Migration(migrations.Migration):

    dependencies = [
        ('programme', '0020_edition_unique_per_municipality'),
    ]

    operations = [
        migrations.RunPython(copy_static_logos, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='historicalprogramme',
            name='logo',
            field=models.TextField(blank=True, help_text="An SVG, PNG or JPEG image of at most 1 MB, printed on the cover of the report's PDF, HTML edition and Word file. Empty: the installation's logo (REPORT_LOGO), if any.", max_length=200, validators=[programme.logos.validate_logo], verbose_name='logo'),
        ),
        migrations.AlterField(
            model_name='programme',
            name='logo',
            field=models.FileField(blank=True, help_text="An SVG, PNG or JPEG image of at most 1 MB, printed on the cover of the report's PDF, HTML edition and Word file. Empty: the installation's logo (REPORT_LOGO), if any.", max_length=200, upload_to='logos/', validators=[programme.logos.validate_logo], verbose_name='logo'),
        ),
    ]
