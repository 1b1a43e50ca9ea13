"""What every service shares: the refusal, the concurrency error, the version events."""

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from livskvalitet.core.text import storable

from ..models import MESSAGE_LIMIT, Contribution, ContributionVersion
from ..workflow import WorkflowError

Event = ContributionVersion.Event

__all__ = ["MESSAGE_LIMIT", "ConcurrentEdit", "Event", "WorkflowError", "within_limit"]


def within_limit(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """The text as typed, or a refusal that says the limit or the character that cannot be
    stored (the caller shows the text again): whatever calls the service, its forms or not."""
    try:
        storable(text)
    except ValidationError as error:
        raise WorkflowError(error.messages[0]) from error
    if len(text) > limit:
        raise WorkflowError(
            _("The text can be at most %(limit)s characters; it has %(length)s.")
            % {
                "limit": number_format(limit, force_grouping=True),
                "length": number_format(len(text), force_grouping=True),
            }
        )
    return text


class ChangedSinceSeen(WorkflowError):
    """The contribution changed after its user opened it: a step on it would act on what they
    did not read."""

    def __init__(self):
        super().__init__(
            _("The contribution has changed since you opened it. Read it again, then decide.")
        )


class ConcurrentEdit(Exception):
    """Someone saved the contribution after this user opened it."""

    def __init__(self, contribution: Contribution):
        super().__init__(_("Someone else saved this contribution while you were editing it."))
        self.contribution = contribution
