"""A NUL or another control character in what is typed is refused with a message that names
the field, and nothing changes (PostgreSQL cannot store a NUL; an XLSX file cannot hold the
other C0 control characters but tab and line breaks)."""

import html

import pytest
from django.core import mail
from django.urls import reverse

from reporting import services
from reporting.models import Contribution, ReviewComment
from reporting.services import WorkflowError
from tests.factories import fill, form_data

pytestmark = pytest.mark.django_db


def test_a_note_for_the_approver_with_a_nul_is_refused_and_nothing_changes(
    client, reporter_a, approver_a, contribution_a
):
    fill(contribution_a, reporter_a)
    contribution_a.refresh_from_db()
    client.force_login(reporter_a)
    response = client.post(
        reverse("reporting:contribution-ready", args=[contribution_a.pk]),
        {"note": "hej\x00då", "version": contribution_a.version},
    )
    assert response.status_code == 200
    assert "Bidraget är inte markerat klart" in response.content.decode()
    contribution_a.refresh_from_db()
    assert contribution_a.state == Contribution.State.DRAFT
    assert not ReviewComment.objects.filter(contribution=contribution_a).exists()
    assert mail.outbox == []
    with pytest.raises(WorkflowError, match="kontrolltecken"):
        services.contribution_mark_ready(contribution=contribution_a, by=reporter_a, note="a\x00b")
    contribution_a.refresh_from_db()
    assert contribution_a.state == Contribution.State.DRAFT


def test_saving_and_marking_ready_with_a_nul_in_the_note_saves_nothing(
    client, reporter_a, approver_a, contribution_a
):
    client.force_login(reporter_a)
    url = reverse("reporting:contribution-edit", args=[contribution_a.pk])
    data = form_data(contribution_a, done="Vi har bytt till elbilar.", ready="1")
    data["ready_note"] = "not\x00e"
    del data["save"]
    response = client.post(url, data)
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Ingenting sparades" in page
    # The summary names the field and says why.
    assert "Ett meddelande till er godkännare (frivilligt): Texten innehåller" in page
    contribution = Contribution.objects.get(pk=contribution_a.pk)
    assert contribution.done == "" and contribution.version == contribution_a.version
    assert contribution.state == Contribution.State.DRAFT
    assert not ReviewComment.objects.filter(contribution=contribution_a).exists()
