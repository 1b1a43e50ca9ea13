"""Django's admin with the site of livskvalitet/admin_site.py, whose login follows
LOCAL_LOGIN."""

from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    default_site = "livskvalitet.admin_site.AdminSite"
