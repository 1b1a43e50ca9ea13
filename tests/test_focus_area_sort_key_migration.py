"""Migrating to focus areas listed in the order of their codes (issue 24): every existing
focus area gets the key its code sorts by, so 2.10 follows 2.9 from the first page on."""

import datetime

import pytest

from tests.factories import migrate

BEFORE = [("programme", "0025_level_names")]


@pytest.mark.django_db(transaction=True)
def test_existing_focus_areas_get_the_key_their_codes_sort_by():
    try:
        apps = migrate(BEFORE)
        Programme = apps.get_model("programme", "Programme")
        programme = Programme.objects.create(
            name="Provprogram",
            edition="P1",
            slug="p1",
            valid_from=datetime.date(2025, 1, 1),
            valid_until=datetime.date(2027, 12, 31),
            revised_by="Fullmäktige",
        )
        direction = apps.get_model("programme", "Direction").objects.create(
            programme=programme, number=2, title="Provriktning"
        )
        for code in ("2.10", "2.9", "2.1"):
            apps.get_model("programme", "FocusArea").objects.create(
                programme=programme, direction=direction, code=code, title=f"Område {code}"
            )

        apps = migrate(None)
        areas = apps.get_model("programme", "FocusArea").objects.filter(programme=programme.pk)
        assert [area.code for area in areas.order_by("sort_key")] == ["2.1", "2.9", "2.10"]
        assert all(areas.values_list("sort_key", flat=True))
    finally:
        migrate(None)
