"""Administrator means a granted role (issue 19): a staff account without the grant
(programme.administer) can change nothing, in the admin or on the app's own pages; with
it, what it may change is up to its model permissions, there as in the admin."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from programme.models import DocumentFollowUp, FocusArea, Organisation, Programme, Responsibility
from programme.permissions import administrators_group, is_administrator
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_without_rights(programme_data):
    return make_user("personal", is_staff=True)


def grid_post(area, organisation, role="lead"):
    cell = f"{organisation.pk}-{area.pk}"
    return {f"r-{cell}": role, f"o-{cell}": ""}


def test_a_staff_account_without_the_grant_changes_nothing(client, staff_without_rights):
    client.force_login(staff_without_rights)
    assert not is_administrator(staff_without_rights)
    area = FocusArea.objects.get(code="2.1")
    organisation = Organisation.objects.get(name="Socialnämnden")
    before = Responsibility.objects.count()
    response = client.post(reverse("programme:responsibilities"), grid_post(area, organisation))
    assert response.status_code == 404
    assert Responsibility.objects.count() == before
    document = Programme.objects.get().governing_documents.first()
    url = reverse("programme:document-follow-up-add", args=[document.pk])
    response = client.post(url, {"date": "2026-11-01", "summary": "Följts upp."})
    assert response.status_code == 404
    assert not DocumentFollowUp.objects.exists()
    # The admin refuses it at the door (its login page, as for anybody not admitted).
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_grant_makes_an_administrator_and_model_permissions_limit_them(client, programme_data):
    user = make_user("admin2", is_staff=True)
    user.groups.add(administrators_group())
    user = type(user).objects.get(pk=user.pk)  # permissions are cached per object
    assert is_administrator(user)
    client.force_login(user)
    assert client.get(reverse("admin:index")).status_code == 200
    area = FocusArea.objects.get(code="2.1")
    organisation = Organisation.objects.get(name="Socialnämnden")
    # Without the model permission to change responsibilities, the grid refuses too.
    response = client.post(reverse("programme:responsibilities"), grid_post(area, organisation))
    assert response.status_code == 404
    user.user_permissions.add(Permission.objects.get(codename="change_responsibility"))
    client.post(reverse("programme:responsibilities"), grid_post(area, organisation))
    assert Responsibility.objects.filter(organisation=organisation, focus_area=area).exists()


def test_superusers_and_the_demo_administrator_keep_the_role(administrator):
    assert is_administrator(administrator)
