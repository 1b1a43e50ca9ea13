from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every part of the app uses and that knows none of them: text as typed, cache
    headers, storage, logs, middleware, generic template filters, backup and restore.
    Imports no app of the project (tests/test_layout.py)."""

    name = "livskvalitet.core"
    label = "core"

    def ready(self):
        from . import checks  # noqa: F401 - registers the production settings' check
