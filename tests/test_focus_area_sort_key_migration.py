"""Migrating to focus areas listed in the order of their codes (issue 24): every existing
focus area gets the key its code sorts by, so 2.10 follows 2.9 from the first page on."""

import pytest

from tests.factories import migrate, migration_structure

BEFORE = [("programme", "0025_level_names")]


@pytest.mark.django_db(transaction=True)
def test_existing_focus_areas_get_the_key_their_codes_sort_by():
    try:
        apps = migrate(BEFORE)
        programme, _areas = migration_structure(apps, ["2.10", "2.9", "2.1"], direction_number=2)

        apps = migrate(None)
        areas = apps.get_model("programme", "FocusArea").objects.filter(programme=programme.pk)
        assert [area.code for area in areas.order_by("sort_key")] == ["2.1", "2.9", "2.10"]
        assert all(areas.values_list("sort_key", flat=True))
    finally:
        migrate(None)
