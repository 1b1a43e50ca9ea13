"""Functions that change the follow-up's state. Views, commands and the demo call these.

Every one checks who may act and whether the state allows it, whoever calls it, and
records who acted.
"""

from .common import ChangedSinceSeen, ConcurrentEdit, Event, WorkflowError
from .contributions import (
    contribution_approve,
    contribution_mark_ready,
    contribution_return,
    contribution_save,
    contribution_send_back,
    contribution_submit,
    missing_for_submission,
)
from .cycles import (
    cycle_change_due_date,
    cycle_close,
    cycle_create,
    cycle_edit,
    cycle_open,
    cycle_reopen,
    cycle_schedule,
    cycle_start_review,
    cycle_unschedule,
    cycles_open_scheduled,
    organisation_remind,
    question_add,
    question_edit,
    question_remove,
    questions_copy,
    request_add,
    request_withdraw,
)
from .thread import thread_post

__all__ = [
    "ChangedSinceSeen",
    "ConcurrentEdit",
    "Event",
    "WorkflowError",
    "contribution_approve",
    "contribution_mark_ready",
    "contribution_return",
    "contribution_save",
    "contribution_send_back",
    "contribution_submit",
    "cycle_change_due_date",
    "cycle_close",
    "cycle_create",
    "cycle_edit",
    "cycle_open",
    "cycle_reopen",
    "cycle_schedule",
    "cycle_start_review",
    "cycle_unschedule",
    "cycles_open_scheduled",
    "missing_for_submission",
    "organisation_remind",
    "question_add",
    "question_edit",
    "question_remove",
    "questions_copy",
    "request_add",
    "request_withdraw",
    "thread_post",
]
