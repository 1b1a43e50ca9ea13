from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from reporting.workflow import markdown

DOCS = Path(settings.BASE_DIR) / "docs" / "workflow.md"


class Command(BaseCommand):
    help = (
        "Print the workflow's table (reporting/workflow.py) to docs/workflow.md, after a "
        "rule of it changed; tests/test_workflow.py fails while the two differ."
    )

    def handle(self, *args, **options):
        DOCS.write_text(markdown(), encoding="utf-8")
        self.stdout.write(_("Wrote %(path)s.") % {"path": DOCS})
