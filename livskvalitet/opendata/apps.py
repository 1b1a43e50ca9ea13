from django.apps import AppConfig


class OpenDataConfig(AppConfig):
    """The open data API under /api/v1/: read-only, public, the same for everybody."""

    name = "livskvalitet.opendata"
    label = "opendata"
