"""The open data API's fair-use counter has its table wherever the migrations ran, not only
where the test runner makes cache tables itself: a new server's first /api/v1/ request
answered 500 ("no such table: livskvalitet_cache") until the migration named it right."""

import pytest
from django.db import connection
from django.urls import reverse

from tests.factories import migrate


def tables() -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


@pytest.mark.django_db(transaction=True)
def test_the_migrations_make_the_shared_cache_table(client):
    try:
        migrate([("opendata", "0001_shared_cache_table")])
        with connection.schema_editor() as editor:  # as a server that never ran the tests
            editor.execute("DROP TABLE livskvalitet_cache")
        migrate(None)
        assert "livskvalitet_cache" in tables()
        assert "shared" not in tables()  # the stray table 0001 made
        assert client.get(reverse("api:sdg-list")).status_code == 200
    finally:
        migrate(None)
