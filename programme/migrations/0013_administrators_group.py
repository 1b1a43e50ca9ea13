"""Being an administrator becomes a grant (programme.administer) instead of any staff
account: the group Administratörer holds it, and staff accounts that could do something in
the admin before (a permission of their own or of a group) keep their role by getting it.
Staff accounts without any permission, which the admin already refused, get nothing."""

from django.db import migrations

GROUP = "Administratörer"


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    User = apps.get_model("auth", "User")
    content_type, _ = ContentType.objects.get_or_create(app_label="programme", model="programme")
    administer, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="administer",
        defaults={"name": "Can administer Livskvalitet"},
    )
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(administer)
    staff = User.objects.filter(is_staff=True, is_superuser=False)
    for user in staff:
        if user.user_permissions.exists() or user.groups.filter(permissions__isnull=False).exists():
            user.groups.add(group)


class Migration(migrations.Migration):
    dependencies = [
        ("programme", "0012_administer_permission"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
