"""The table of the cache every process shares (settings.CACHES["shared"]), which counts
the open data API's requests per address. createcachetable does nothing if it is there."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", "shared", database=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
