"""Migrating to the administrator's grant keeps the administrators a database has: staff
accounts that could do something in the admin get the group Administratörer; a staff
account without any permission (which the admin refused already) and non-staff get nothing."""

import pytest

from tests.factories import migrate

BEFORE = [("programme", "0012_administer_permission")]


@pytest.mark.django_db(transaction=True)
def test_staff_who_could_act_in_the_admin_become_administrators():
    try:
        apps = migrate(BEFORE)
        User = apps.get_model("auth", "User")
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
        change = Permission.objects.get(codename="change_organisation")
        editors = Group.objects.create(name="Redaktörer")
        editors.permissions.add(change)
        own = User.objects.create(username="egen", is_staff=True)
        own.user_permissions.add(change)
        User.objects.create(username="via-grupp", is_staff=True).groups.add(editors)
        User.objects.create(username="utan-rattigheter", is_staff=True)
        User.objects.create(username="inte-personal").user_permissions.add(change)
        Group.objects.filter(name="Administratörer").delete()

        apps = migrate(None)
        Group = apps.get_model("auth", "Group")
        group = Group.objects.get(name="Administratörer")
        assert list(group.permissions.values_list("codename", flat=True)) == ["administer"]
        members = set(group.user_set.values_list("username", flat=True))
        assert members == {"egen", "via-grupp"}
    finally:
        migrate(None)
