"""Meant to make the table of the cache every process shares (settings.CACHES["shared"]);
it made a table named "shared" instead (createcachetable takes table names): 0002 makes
the right one. Kept as it ran, so that databases that applied it agree with the code."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", "shared", database=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
