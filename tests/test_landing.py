"""Everyone starts where their work is (issue 20): after logging in each user lands on
*Mina uppgifter*; the public starts on the programme."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["reporter_a", "approver_a", "strategist", "administrator"])
def test_after_logging_in_everyone_lands_on_my_tasks(request, client, who):
    user = request.getfixturevalue(who)
    response = client.post(
        reverse("login"), {"username": user.username, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("reporting:my-tasks")
    assert "<h1>Mina uppgifter</h1>" in response.content.decode()


def test_an_administrator_without_an_organisation_is_shown_where_their_work_is(
    client, administrator
):
    client.force_login(administrator)
    page = client.get(reverse("reporting:my-tasks")).content.decode()
    assert "För administratörer" in page and reverse("admin:index") in page
    assert "Inget efterfrågas av er organisation" not in page


def test_the_public_starts_on_the_programme(client, programme_data):
    response = client.get("/")
    assert response.status_code == 200
    assert "Livskvalitetsprogrammet" in response.content.decode()
