"""One shape for a contribution's content: kept as versions, read back, compared."""

import pytest

from reporting.content import SCHEMA, ActionContent, ContributionContent
from tests.factories import COMPLETE, fill

pytestmark = pytest.mark.django_db


def test_a_version_keeps_the_content_with_its_schema(contribution_a, approver_a):
    fill(contribution_a, approver_a)
    contribution_a.refresh_from_db()
    data = contribution_a.versions.latest("number").data
    assert data["schema"] == SCHEMA
    content = ContributionContent.from_json(data)
    assert content == ContributionContent.of(contribution_a)
    assert content.done == COMPLETE["done"]


def test_versions_saved_before_attachments_still_read():
    old = {
        "done": "Gjort",
        "assessment": "positive",
        "actions": [
            {
                "title": "A",
                "status": "ongoing",
                "description": "",
                "groups": [],
                "sdgs": [7],
                "reference": "",
            }
        ],
        "answers": {"3": "Ja"},
    }
    content = ContributionContent.from_json(old)
    assert (content.done, content.attachments, content.actions[0].sdgs) == ("Gjort", [], [7])


def test_missing_and_diff(contribution_a):
    empty = ContributionContent()
    assert empty.missing() == [
        "vad som har gjorts",
        "resultat och effekter",
        "egen bedömning",
        "motivering av bedömningen",
    ]
    assert (
        ContributionContent(not_relevant=True, not_relevant_reason="Inget uppdrag").missing() == []
    )
    newer = empty.replaced(done="Nytt", actions=[ActionContent(title="Insats", status="completed")])
    changes = {change["label"]: (change["old"], change["new"]) for change in empty.diff(newer)}
    assert changes["vad som har gjorts"] == ("", "Nytt")
    assert changes["Insatser"] == ("", "Insats – genomförd")
    assert len(changes) == 2
