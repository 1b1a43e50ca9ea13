"""A contribution's thread: the strategy department and the organisation write to each other."""

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from livskvalitet.core.text import as_typed
from programme.permissions import is_strategist

from .. import notifications
from ..models import Cycle, ReviewComment
from ..permissions import is_member
from .common import require
from .contributions import locked


@transaction.atomic
def thread_post(*, contribution, by, text: str) -> ReviewComment:
    """Add an entry: an answer from the organisation, or a note from a strategist.

    Both sides read it, and the other side is told by e-mail.
    """
    current = locked(contribution)
    member = is_member(by, current.organisation_id)
    require(
        member or is_strategist(by),
        _("Only the organisation and the strategy department write in a contribution's thread."),
    )
    kind = ReviewComment.Kind.ANSWER if member else ReviewComment.Kind.NOTE
    require(not current.withdrawn, _("The strategy department has withdrawn this request."))
    require(current.cycle.state != Cycle.State.CLOSED, _("The cycle is closed."))
    text = as_typed(text)
    require(text.strip(), _("Write something to send."))
    latest = current.versions.aggregate(n=Max("number"))["n"] or 0
    entry = ReviewComment.objects.create(
        contribution=current, author=by, kind=kind, text=text, version_number=latest
    )
    notifications.thread_entry(entry=entry)
    return entry
