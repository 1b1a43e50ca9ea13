from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """Django's admin, whose site follows LOCAL_LOGIN (livskvalitet/admin_site.py)."""

    default_site = "livskvalitet.admin_site.AdminSite"
