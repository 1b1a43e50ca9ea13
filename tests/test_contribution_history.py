"""A contribution's saved versions (/bidrag/<pk>/historik/) are listed newest first, a page
at a time: the page asks the same queries and stays the same size however often the
contribution was saved."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reporting.models import ContributionVersion
from tests.factories import page_text, save

pytestmark = pytest.mark.django_db


def saved_times(contribution, user, count):
    """The contribution as if saved ``count`` times (its first version copied)."""
    if not contribution.versions.exists():
        save(contribution, user, done="Första texten.")
    first = contribution.versions.order_by("number").first()
    last = contribution.versions.count()
    ContributionVersion.objects.bulk_create(
        ContributionVersion(
            contribution=contribution,
            number=number,
            event=first.event,
            state=first.state,
            data=first.data,
            created_by=user,
        )
        for number in range(last + 1, count + 1)
    )


def cost(client, url):
    client.get(url)  # the session's own writes come with the first request
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), len(response.content)


def test_the_history_is_paged_newest_first(client, reporter_a, contribution_a):
    saved_times(contribution_a, reporter_a, 120)
    client.force_login(reporter_a)
    url = reverse("reporting:contribution-history", args=[contribution_a.pk])
    first = page_text(client.get(url))
    assert "Version 120" in first and "Version 71" in first and "Version 70" not in first
    assert "Sida 1 av 3" in first
    last = page_text(client.get(url, {"sida": "3"}))
    assert "Version 20" in last and "Version 1" in last and "Version 21" not in last
    # A page that is not one shows the nearest there is, as the other paged pages do.
    assert "Sida 3 av 3" in page_text(client.get(url, {"sida": "99"}))
    assert "Sida 1 av 3" in page_text(client.get(url, {"sida": "x"}))


def test_the_history_costs_the_same_however_often_it_was_saved(client, reporter_a, contribution_a):
    client.force_login(reporter_a)
    url = reverse("reporting:contribution-history", args=[contribution_a.pk])
    saved_times(contribution_a, reporter_a, 60)
    queries, size = cost(client, url)
    saved_times(contribution_a, reporter_a, 200)
    more_queries, more_size = cost(client, url)
    assert more_queries == queries
    assert more_size <= size + 200  # a longer number here and there, never more rows
