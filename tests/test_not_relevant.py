"""*Inte relevant för oss* needs its reason, as the form says (issue 20): saving without
one is refused with the field marked, and nothing is saved."""

import pytest
from django.urls import reverse

from reporting.models import Contribution
from tests.factories import draft_data

pytestmark = pytest.mark.django_db


def edit(client, contribution, **fields):
    data = draft_data(contribution, **fields)
    return client.post(reverse("reporting:contribution-edit", args=[contribution.pk]), data)


def test_not_relevant_without_a_reason_is_refused(client, reporter_a, contribution_a):
    client.force_login(reporter_a)
    response = edit(client, contribution_a, not_relevant="on", not_relevant_reason="  ")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ange varför fokusområde 2.1 inte berör er organisation." in page
    assert "Ingenting sparades" in page
    contribution = Contribution.objects.get(pk=contribution_a.pk)
    assert not contribution.not_relevant and contribution.version == contribution_a.version


def test_not_relevant_with_a_reason_is_saved(client, reporter_a, contribution_a):
    client.force_login(reporter_a)
    response = edit(
        client, contribution_a, not_relevant="on", not_relevant_reason="Vi har inga fordon."
    )
    assert response.status_code == 302
    contribution = Contribution.objects.get(pk=contribution_a.pk)
    assert contribution.not_relevant and contribution.not_relevant_reason == "Vi har inga fordon."
