"""Migrating to organisations that belong to a municipality (issue 24): each existing
organisation becomes the municipality's whose programme it owns or answers in, and the
rest the only programme municipality's; names then are unique per municipality."""

import pytest

from tests.factories import migrate, migration_structure

BEFORE = [("programme", "0018_global_goals")]


@pytest.mark.django_db(transaction=True)
def test_existing_organisations_become_their_programmes_municipalitys():
    try:
        apps = migrate(BEFORE)
        Municipality = apps.get_model("programme", "Municipality")
        Organisation = apps.get_model("programme", "Organisation")
        city = Municipality.objects.create(code="9998", name="Provstad")
        owner = Organisation.objects.create(name="Provavdelningen", kind="avdelning")
        committee = Organisation.objects.create(name="Provnämnden", kind="nämnd")
        _programme, (area,) = migration_structure(apps, ["1.1"], owner=owner, municipality=city)
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
