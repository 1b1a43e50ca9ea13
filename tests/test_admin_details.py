"""What an administrator reads in the admin: Django's own words where the project's would
collide with them, the project's messages in Swedish, numbers as typed."""

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
