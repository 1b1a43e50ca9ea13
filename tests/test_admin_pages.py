"""Every admin page renders for an administrator, in Swedish, and keeps history."""

import pytest
from django.contrib import admin
from django.urls import reverse

from programme.models import FocusArea, Organisation, Responsibility

pytestmark = pytest.mark.django_db


def admin_urls():
    urls = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        urls.append(reverse("admin:{}_{}_add".format(*info)))
        obj = model.objects.first()
        if obj is not None:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
            urls.append(reverse("admin:{}_{}_history".format(*info), args=[obj.pk]))
        if hasattr(model_admin, "import_action"):
            urls.append(reverse("admin:{}_{}_import".format(*info)))
            urls.append(reverse("admin:{}_{}_export".format(*info)))
    return urls


def test_every_admin_page_renders(client, cast):
    Responsibility.objects.create(
        organisation=Organisation.objects.get(name="Miljönämnden"),
        focus_area=FocusArea.objects.get(code="2.1"),
    )
    client.force_login(cast["administrator"])
    urls = admin_urls()
    assert len(urls) > 40
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert '<html lang="sv"' in response.content.decode(), url


def test_reporters_cannot_enter_the_admin(client, reporter_a):
    client.force_login(reporter_a)
    response = client.get(reverse("admin:programme_focusarea_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_an_admin_change_is_kept_with_who_and_when(client, administrator):
    area = FocusArea.objects.get(code="3.1")
    original = area.description
    records_before = area.history.count()
    client.force_login(administrator)
    response = client.post(
        reverse("admin:programme_focusarea_change", args=[area.pk]),
        {
            "direction": area.direction_id,
            "code": "3.1",
            "title": "Öka tryggheten",
            "description": "Ny beskrivning",
            "sdgs": ["16"],
            "responsibilities-TOTAL_FORMS": "0",
            "responsibilities-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    latest = area.history.first()
    assert area.history.count() > records_before
    assert latest.history_user == administrator
    assert latest.description == "Ny beskrivning"
    # The text before the change is kept too.
    assert area.history.filter(description=original).exists()
    assert latest.history_date is not None
    assert [sdg.sdg.number for sdg in latest.sdgs.all()] == [16]


def test_organisations_that_are_in_use_are_retired_not_deleted(client, administrator, reporter_a):
    organisation = Organisation.objects.get(name="Miljönämnden")
    client.force_login(administrator)
    response = client.get(reverse("admin:programme_organisation_delete", args=[organisation.pk]))
    assert response.status_code == 403
    response = client.post(
        reverse("admin:programme_organisation_changelist"),
        {"action": "retire", "_selected_action": [organisation.pk]},
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.active is False
    assert organisation.history.first().history_user == administrator


def test_admin_refuses_a_duplicate_focus_area_code_with_a_message(client, administrator):
    direction = FocusArea.objects.get(code="3.1").direction
    client.force_login(administrator)
    response = client.post(
        reverse("admin:programme_focusarea_add"),
        {
            "direction": direction.pk,
            "code": "3.1",
            "title": "Dubblett",
            "description": "",
            "responsibilities-TOTAL_FORMS": "0",
            "responsibilities-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Programmet har redan ett fokusområde med koden 3.1." in response.content.decode()
    assert FocusArea.objects.filter(code="3.1").count() == 1


def test_user_admin_shows_the_users_organisations(client, administrator, reporter_a):
    client.force_login(administrator)
    response = client.get(reverse("admin:auth_user_change", args=[reporter_a.pk]))
    page = response.content.decode()
    assert "Miljönämnden" in page
    assert "Medlemskap" in page
