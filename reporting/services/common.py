"""What every service shares: the refusal, the concurrency error, the version events."""

from django.utils.translation import gettext as _

from ..models import Contribution, ContributionVersion
from ..workflow import WorkflowError

Event = ContributionVersion.Event

__all__ = ["ConcurrentEdit", "Event", "WorkflowError"]


class ConcurrentEdit(Exception):
    """Someone saved the contribution after this user opened it."""

    def __init__(self, contribution: Contribution):
        super().__init__(_("Someone else saved this contribution while you were editing it."))
        self.contribution = contribution
