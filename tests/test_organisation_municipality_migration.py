"""Migrating to organisations that belong to a municipality (issue 24): each existing
organisation becomes the municipality's whose programme it owns or answers in, and the
rest the only programme municipality's; names then are unique per municipality."""

import datetime

import pytest

from tests.factories import migrate

BEFORE = [("programme", "0018_global_goals")]


@pytest.mark.django_db(transaction=True)
def test_existing_organisations_become_their_programmes_municipalitys():
    try:
        apps = migrate(BEFORE)
        Municipality = apps.get_model("programme", "Municipality")
        Organisation = apps.get_model("programme", "Organisation")
        Programme = apps.get_model("programme", "Programme")
        city = Municipality.objects.create(code="9998", name="Provstad")
        owner = Organisation.objects.create(name="Provavdelningen", kind="avdelning")
        committee = Organisation.objects.create(name="Provnämnden", kind="nämnd")
        programme = Programme.objects.create(
            name="Provprogram",
            edition="P1",
            slug="p1",
            valid_from=datetime.date(2025, 1, 1),
            valid_until=datetime.date(2027, 12, 31),
            revised_by="Fullmäktige",
            owner=owner,
            municipality=city,
        )
        direction = apps.get_model("programme", "Direction").objects.create(
            programme=programme, number=1, title="Provriktning"
        )
        area = apps.get_model("programme", "FocusArea").objects.create(
            programme=programme, direction=direction, code="1.1", title="Provområde"
        )
        apps.get_model("programme", "Responsibility").objects.create(
            organisation=committee, focus_area=area, role="lead"
        )

        apps = migrate(None)
        Organisation = apps.get_model("programme", "Organisation")
        mine = Organisation.objects.filter(name__startswith="Prov")
        assert dict(mine.values_list("name", "municipality__code")) == {
            "Provavdelningen": "9998",
            "Provnämnden": "9998",
        }
    finally:
        migrate(None)
