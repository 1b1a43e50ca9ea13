"""Who may write in a contribution's thread, and when (issue 19: a post in a cycle that has
not opened is refused like a save)."""

import datetime

import pytest
from django.urls import reverse

from programme.models import FocusArea, Programme
from reporting import services
from reporting.models import Cycle, ReviewComment
from reporting.services import WorkflowError

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned_request(programme_data, strategist, organisation_a):
    cycle = Cycle.objects.create(
        programme=Programme.objects.get(),
        title="Uppföljning 2028",
        first_year=2027,
        last_year=2028,
        opens_on=datetime.date(2099, 1, 1),
        due_on=datetime.date(2099, 3, 1),
    )
    return services.request_add(
        cycle=cycle,
        organisation=organisation_a,
        focus_area=FocusArea.objects.get(code="2.1"),
        by=strategist,
    )


@pytest.mark.parametrize("who", ["reporter_a", "strategist"])
def test_a_post_in_a_cycle_that_has_not_opened_is_refused_like_a_save(
    request, client, planned_request, who
):
    user = request.getfixturevalue(who)
    with pytest.raises(WorkflowError, match="har inte öppnat än"):
        services.thread_post(contribution=planned_request, by=user, text="Hej")
    client.force_login(user)
    response = client.post(
        reverse("reporting:thread-post", args=[planned_request.pk]), {"text": "Hej"}, follow=True
    )
    assert "har inte öppnat än" in response.content.decode()
    assert not ReviewComment.objects.filter(contribution=planned_request).exists()
