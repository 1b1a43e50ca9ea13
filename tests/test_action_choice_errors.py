"""An action sent with a goal or a group that is not offered (a forged or outdated
choice) comes back refused: nothing saved, the action kept as typed, the error in the
page's summary (linked to the group's first box) and beside its group of boxes, as crispy
shows a field's error."""

import lxml.html
import pytest
from django.urls import reverse

from reporting.models import Action
from tests.factories import form_data

pytestmark = pytest.mark.django_db

CHOICES = pytest.mark.parametrize(
    "name, forged, kept", [("sdgs", "99", "7"), ("groups", "x", "age")]
)


def _refused(client, reporter, contribution, name, forged, kept):
    """The page that comes back for an action with a good choice and a forged one."""
    client.force_login(reporter)
    url = reverse("reporting:contribution-edit", args=[contribution.pk])
    data = form_data(
        contribution,
        **{
            "actions-0-title": "Cykelbibliotek",
            "actions-0-description": "Lånecyklar för alla",
            f"actions-0-{name}": [kept, forged],
        },
    )
    response = client.post(url, data)
    assert response.status_code == 200
    said = f"Välj ett giltigt alternativ. {forged} finns inte bland tillgängliga alternativ."
    return lxml.html.fromstring(response.content), said


@CHOICES
def test_a_choice_not_offered_is_refused_keeping_the_action(
    client, reporter_a, contribution_a, name, forged, kept
):
    page, said = _refused(client, reporter_a, contribution_a, name, forged, kept)
    assert not Action.objects.filter(title="Cykelbibliotek").exists()  # nothing saved
    field = f"actions-0-{name}"
    boxes = page.xpath(f"//input[@name='{field}']")
    # In the summary, naming the action and the group, linked to the group's first box.
    entries = [
        (" ".join(li.text_content().split()), li.xpath("string(.//a/@href)"))
        for li in page.xpath("//*[@id='error-summary']//li")
    ]
    label = "Globala mål som insatsen bidrar till" if name == "sdgs" else "Grupper som nås"
    assert entries == [(f"Insats 1, {label}: {said}", f"#id_{field}_0")]
    assert page.get_element_by_id(f"id_{field}_0") is boxes[0]
    # The action typed is kept, with the good choice still chosen.
    assert page.xpath("string(//input[@name='actions-0-title']/@value)") == "Cykelbibliotek"
    description = page.xpath("string(//textarea[@name='actions-0-description'])")
    assert "Lånecyklar för alla" in description
    assert page.xpath(f"//input[@name='{field}'][@value='{kept}']/@checked")


@CHOICES
def test_a_choice_not_offered_is_said_beside_its_group(
    client, reporter_a, contribution_a, name, forged, kept
):
    page, said = _refused(client, reporter_a, contribution_a, name, forged, kept)
    field = f"actions-0-{name}"
    boxes = page.xpath(f"//input[@name='{field}']")
    # Shown (d-block: crispy's feedback shows only as a sibling of an invalid box), with
    # the id that the group's fieldset names in aria-describedby, as crispy does; every
    # box marked invalid.
    (error,) = page.xpath(f"//*[@id='id_{field}_error']")
    assert " ".join(error.text_content().split()) == said
    assert {"invalid-feedback", "d-block"} <= set(error.get("class").split())
    # Inside the fieldset whose legend names the group, the one all its boxes are in.
    group = next(f for f in error.iterancestors("fieldset") if f.xpath("legend"))
    assert all(group in box.iterancestors() for box in boxes)
    assert f"id_{field}_error" in (group.get("aria-describedby") or "").split()
    for box in boxes:
        assert "is-invalid" in box.get("class").split()
        assert box.get("aria-invalid") == "true"
