"""Text that was never handed over stays with its organisation: the strategy department
reads what was submitted, never the drafts saved before or between submissions, in no
version, history, diff or export."""

import io

import openpyxl
import pytest
from django.urls import reverse

from reporting import services
from tests.factories import COMPLETE, fill

pytestmark = pytest.mark.django_db


def _submitted_after_a_deleted_draft(contribution, approver):
    fill(contribution, approver, **{**COMPLETE, "done": "Hemlig text som raderades"})
    fill(contribution, approver)
    services.contribution_submit(contribution=contribution, by=approver)


def test_a_strategist_cannot_read_drafts_saved_before_submission(
    client, strategist, approver_a, contribution_a
):
    _submitted_after_a_deleted_draft(contribution_a, approver_a)
    client.force_login(strategist)
    for number in (1, 2):  # the two drafts
        url = reverse("reporting:contribution-version", args=[contribution_a.pk, number])
        assert client.get(url).status_code == 404
    history = client.get(reverse("reporting:contribution-history", args=[contribution_a.pk]))
    page = history.content.decode()
    assert "Version 3" in page and "Version 1<" not in page and "Version 2<" not in page
    submitted = client.get(reverse("reporting:contribution-version", args=[contribution_a.pk, 3]))
    assert submitted.status_code == 200
    # The diff starts from nothing, not from the draft the strategist may not read.
    assert "Hemlig text" not in submitted.content.decode()


def test_drafts_saved_while_correcting_a_returned_contribution_stay_private(
    client, strategist, approver_a, contribution_a
):
    fill(contribution_a, approver_a)
    services.contribution_submit(contribution=contribution_a, by=approver_a)
    services.contribution_return(contribution=contribution_a, comment="Mer.", by=strategist)
    fill(contribution_a, approver_a, **{**COMPLETE, "results": "Halvfärdig rättelse"})
    fill(contribution_a, approver_a, **{**COMPLETE, "results": "Färdig rättelse"})
    services.contribution_submit(contribution=contribution_a, by=approver_a)
    client.force_login(strategist)
    visible = {
        number
        for number in range(1, 8)
        if client.get(
            reverse("reporting:contribution-version", args=[contribution_a.pk, number])
        ).status_code
        == 200
    }
    events = dict(contribution_a.versions.values_list("number", "event"))
    assert {events[n] for n in visible} == {"submitted", "returned", "resubmitted"}
    resubmitted = max(visible)
    page = client.get(
        reverse("reporting:contribution-version", args=[contribution_a.pk, resubmitted])
    ).content.decode()
    assert "Halvfärdig" not in page and "Färdig rättelse" in page


def test_members_of_the_organisation_read_every_version(client, approver_a, contribution_a):
    _submitted_after_a_deleted_draft(contribution_a, approver_a)
    client.force_login(approver_a)
    page = client.get(reverse("reporting:contribution-version", args=[contribution_a.pk, 1]))
    assert "Hemlig text som raderades" in page.content.decode()


def test_the_export_shows_no_text_of_drafts_or_returned_contributions(
    client, strategist, contribution_a, contribution_b, approver_a, reporter_b
):
    fill(contribution_b, reporter_b, **{**COMPLETE, "done": "Hemligt utkast"})
    fill(contribution_a, approver_a, **{**COMPLETE, "done": "Inskickat och returnerat"})
    services.contribution_submit(contribution=contribution_a, by=approver_a)
    services.contribution_return(contribution=contribution_a, comment="Mer.", by=strategist)
    fill(contribution_a, approver_a, **{**COMPLETE, "done": "Rättas just nu"})
    client.force_login(strategist)
    response = client.get(reverse("reporting:cycle-export", args=[contribution_a.cycle_id, "xlsx"]))
    cells = [
        c
        for row in openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(
            values_only=True
        )
        for c in row
    ]
    assert "Hemligt utkast" not in cells and "Rättas just nu" not in cells
    assert "utkast" in cells and "återsänt" in cells  # the state is still there
    # While it is being corrected the strategist cannot read the organisation's new text.
    page = client.get(reverse("reporting:contribution-detail", args=[contribution_a.pk]))
    assert "Rättas just nu" not in page.content.decode()
