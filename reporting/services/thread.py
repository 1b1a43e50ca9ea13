"""A contribution's thread: the strategy department and the organisation write to each other."""

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from livskvalitet.core.text import as_typed

from .. import notifications, workflow
from ..models import ReviewComment
from ..permissions import is_member
from .common import WorkflowError, within_limit
from .contributions import locked


@transaction.atomic
def thread_post(*, contribution, by, text: str) -> ReviewComment:
    """Add an entry: an answer from the organisation, or a note from a strategist.

    Both sides read it, and the other side is told by e-mail.
    """
    current = locked(contribution)
    workflow.require(by, workflow.Step.POST, current)
    kind = (
        ReviewComment.Kind.ANSWER
        if is_member(by, current.organisation_id)
        else ReviewComment.Kind.NOTE
    )
    text = within_limit(as_typed(text))
    if not text.strip():
        raise WorkflowError(_("Write something to send."))
    latest = current.versions.aggregate(n=Max("number"))["n"] or 0
    entry = ReviewComment.objects.create(
        contribution=current, author=by, kind=kind, text=text, version_number=latest
    )
    notifications.thread_entry(entry=entry)
    return entry
