"""What an administrator reads in the admin: Django's own words where the project's would
collide with them, the project's messages in Swedish, numbers as typed."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_admin_index_says_andra_and_the_language_button_says_byt(client, administrator):
    """The language switch's "Change" has a context of its own, so Django's admin keeps its
    "Ändra" on every row of the index."""
    client.force_login(administrator)
    page = client.get(reverse("admin:index")).content.decode()
    assert ">Ändra</a>" in page
    assert ">Byt</a>" not in page
    footer = client.get("/").content.decode()
    assert ">Byt</button>" in footer


@pytest.fixture
def target():
    from programme.models import Indicator, IndicatorTarget

    return IndicatorTarget.objects.create(
        indicator=Indicator.objects.get(external_id="N45925"),
        year=2030,
        value=Decimal("425"),
        direction=IndicatorTarget.Direction.AT_LEAST,
    )


def test_a_targets_at_least_or_at_most_is_its_riktning_not_the_programmes_viljeinriktning(
    client, administrator, target
):
    client.force_login(administrator)
    pages = [
        client.get(reverse("admin:programme_indicatortarget_changelist")),
        client.get(reverse("admin:programme_indicatortarget_change", args=[target.pk])),
        client.get(reverse("admin:programme_indicator_change", args=[target.indicator_id])),
    ]
    for response in pages:
        page = response.content.decode()
        assert "Riktning" in page, response.request["PATH_INFO"]
        # (the menu's "Viljeinriktningar" is the programme's directions)
        assert not re.search("Viljeinriktning(?!ar)", page), response.request["PATH_INFO"]
