"""What every service shares: the refusal, the concurrency error, the version events."""

from django.utils.translation import gettext as _

from ..errors import WorkflowError
from ..models import Contribution, ContributionVersion

Event = ContributionVersion.Event

__all__ = ["ConcurrentEdit", "Event", "WorkflowError", "require"]


class ConcurrentEdit(Exception):
    """Someone saved the contribution after this user opened it."""

    def __init__(self, contribution: Contribution):
        super().__init__(_("Someone else saved this contribution while you were editing it."))
        self.contribution = contribution


def require(allowed: bool, message) -> None:
    if not allowed:
        raise WorkflowError(message)
