"""The shared cache's table under the name settings.CACHES["shared"] gives it.

0001 asked `createcachetable` for "shared", which the command takes as a table's name, not
a cache's: it made a table "shared" that nothing reads, and the API's fair-use counter
found no table (500) wherever the test runner had not made it (a fresh `make run`, a new
server). This makes the tables of every database cache in the settings and drops the
stray one, which only ever held nothing.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    connection = schema_editor.connection
    call_command("createcachetable", database=connection.alias)
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    if "shared" in tables:
        schema_editor.execute(f"DROP TABLE {schema_editor.quote_name('shared')}")


class Migration(migrations.Migration):
    dependencies = [("opendata", "0001_shared_cache_table")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
