"""The follow-up's workflow, written once: what may be done to a cycle, a contribution and
a compiled report, from which state, to which state, by whom, and what else must hold.

TABLE below is the rule. ``decide(user, action, obj)`` answers whether the user may take
the action on the object now and, if not, why, in the user's language. Services call
``require()`` at their top, on the row they locked, so that a rule holds whoever calls
them, and ``require_given()`` once what the user gives (a date) is set on it;
selectors, views and templates ask ``actions_for()`` (or ``allowed()``) which actions to
offer, so that a page never offers what the service would refuse.
``docs/workflow.md`` is printed from TABLE (``manage.py workflow_docs``); a test keeps
the two equal.

The app refuses in two ways only: 404 for what a user may not see (permissions.py), and
WorkflowError, with its reason, for what they may see but not do now.
"""

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from programme.models import Membership
from programme.permissions import is_strategist

from .models import STATES, Contribution, ContributionVersion, Cycle, Report
from .permissions import membership_role


class WorkflowError(Exception):
    """What a user may see but not do now; the message says why, in their language."""


class Role(models.TextChoices):
    """Who acts. Reporters and approvers are members of the object's organisation."""

    STRATEGIST = "strategist", "strategist"
    REPORTER = Membership.Role.REPORTER.value, "reporter"
    APPROVER = Membership.Role.APPROVER.value, "approver"


class Step(models.TextChoices):
    # A cycle's.
    CREATE = "create", "create"
    OPEN = "open", "open it and send the requests"
    SCHEDULE = "schedule", "schedule the opening"
    UNSCHEDULE = "unschedule", "cancel the scheduled opening"
    START_REVIEW = "start_review", "start the review (reporting ends)"
    REOPEN = "reopen", "reopen reporting, with a new due date"
    CLOSE = "close", "close it"
    EDIT = "edit", "change its title, years and dates"
    CHANGE_DUE_DATE = "change_due_date", "change the due date"
    ADD_QUESTION = "add_question", "add a question"
    CHANGE_QUESTIONS = "change_questions", "change or remove questions, or copy earlier ones"
    ADD_REQUEST = "add_request", "ask an organisation about a focus area (again)"
    REMIND = "remind", "remind one organisation of what it can still write"
    REVIEW = "review", "review its contributions (return or approve each)"
    WRITE_SYNTHESIS = "write_synthesis", "write a focus area's synthesis"
    WRITE_REPORT_TEXTS = "write_report_texts", "write the report's texts and settings"
    COMPILE_REPORT = "compile_report", "compile a version of the report"
    # A contribution's.
    SAVE = "save", "save a draft"
    MARK_READY = "mark_ready", "mark ready for approval"
    SEND_BACK = "send_back", "send back to the reporters"
    SUBMIT = "submit", "submit for review"
    RETURN = "return", "return for correction"
    APPROVE = "approve", "approve"
    WITHDRAW = "withdraw", "withdraw the request"
    ASK_AGAIN = "ask_again", "ask the withdrawn request again"
    POST = "post", "write in the thread"
    # A compiled report's.
    PUBLISH = "publish", "publish this version"
    UNPUBLISH = "unpublish", "withdraw the publication"


@dataclass(frozen=True)
class Decision:
    """Whether an action may be taken now; if not, ``reason`` says why.

    ``applies`` tells a page whether to explain a refusal: the action belongs to the
    object's state and the user's role, and only a further condition stands in the way.
    """

    allowed: bool
    reason: str = ""
    applies: bool = True

    def __bool__(self) -> bool:
        return self.allowed


@dataclass(frozen=True)
class Condition:
    """What must hold besides the state and the role; ``reason`` says why not (a message,
    or a function of the object giving one)."""

    doc: str
    holds: Callable
    reason: Promise | Callable

    def why_not(self, obj) -> str:
        return str(self.reason if isinstance(self.reason, Promise) else self.reason(obj))


@dataclass(frozen=True)
class Transition:
    """One row of the table: ``action`` from ``sources`` to ``target`` (None: the state
    stays), taken by any of ``who`` when every condition holds. ``given``: conditions on
    what the user gives (a date), read from the object once it is set on it."""

    action: Step
    sources: tuple
    target: str | None
    who: tuple
    only: Promise  # why not, to someone who has none of the roles
    conditions: tuple = ()
    not_from: Promise | Callable | None = None  # why not, in a state not among the sources
    refusals: Mapping = field(default_factory=dict)  # why not, in these states
    doc: str = ""  # more about the target, for the docs
    refine: Callable | None = None  # the target, where it depends on the object
    given: tuple = ()


@dataclass(frozen=True)
class Workflow:
    title: str
    doc: str
    model: type
    states: Callable  # () -> [(value, label)]
    state_of: Callable
    organisation_of: Callable  # the organisation whose members act, or None
    refusal: Callable  # (obj, transition, state) -> why not, in a state not a source
    transitions: tuple

    def __getitem__(self, action) -> Transition:
        for transition in self.transitions:
            if transition.action == action:
                return transition
        raise KeyError(action)

    @property
    def actions(self) -> list[str]:
        return [transition.action for transition in self.transitions]


# What the conditions read.

# A cycle that has opened and is not closed: its requests are answered, reviewed and
# discussed, and its organisations reminded.
RUNNING = (Cycle.State.OPEN, Cycle.State.REVIEW)
NOT_YET_OPEN = (Cycle.State.PLANNING, Cycle.State.SCHEDULED)

# Refusals that more than one row gives.
IS_CLOSED = _("The cycle is closed.")
NOT_OPEN_NOTHING_SAVED = _("The cycle has not opened yet; nothing can be saved in it.")
CLOSED_NOTHING_REVIEWED = _("The cycle is closed; contributions can no longer be reviewed.")
PUBLISHERS_ONLY = _("Only strategists publish the report.")


def takes_text(cycle_state: str, correcting: bool) -> bool:
    """Contributions are written while the cycle is open; once it is in review, only those
    the strategy department returned for correction. Never in planning or once closed."""
    return cycle_state == Cycle.State.OPEN or (cycle_state == Cycle.State.REVIEW and correcting)


def reporting_ended(cycle: Cycle) -> bool:
    """Whether the cycle still runs but its reporting is over (the review): only what was
    returned for correction is written, until reporting is reopened."""
    return cycle.state in RUNNING and not takes_text(cycle.state, correcting=False)


def open_for_writing(contribution: Contribution) -> bool:
    """Whether the contribution's organisation can write in it now: a state its members
    save in (not withdrawn), and a cycle that takes their text (the save step's row,
    whoever asks)."""
    return CONTRIBUTION.state_of(contribution) in WRITABLE_STATES and TAKES_TEXT.holds(
        None, contribution
    )


def opens_form(may: "Actions") -> bool:
    """Whether a link to the contribution leads to its form (else to its page): while the
    user may write in it, unless it waits for its approver, who submits it or sends it
    back from its page (send_back's sources)."""
    return bool(may[Step.SAVE]) and may.obj.state not in CONTRIBUTION[Step.SEND_BACK].sources


def has_approver(contribution: Contribution) -> bool:
    """Whether the organisation has an approver. Asked once per object; a list can give it
    by annotating ``_has_approver`` (selectors.tasks_for)."""
    if not hasattr(contribution, "_has_approver"):
        contribution._has_approver = Membership.objects.filter(
            organisation_id=contribution.organisation_id, role=Membership.Role.APPROVER
        ).exists()
    return contribution._has_approver


def wrote(user, contribution: Contribution) -> bool:
    """Whether the user saved or submitted any version of the contribution."""
    return contribution.versions.filter(
        created_by=user,
        event__in=[
            ContributionVersion.Event.SAVED,
            ContributionVersion.Event.SUBMITTED,
            ContributionVersion.Event.RESUBMITTED,
        ],
    ).exists()


def _no_text_reason(contribution: Contribution):
    state = contribution.cycle.state
    if state in NOT_YET_OPEN:
        return NOT_OPEN_NOTHING_SAVED
    if state == Cycle.State.REVIEW:
        return _(
            "The cycle is in review: only contributions returned for correction can be "
            "changed now. Contact %(owner)s."
        ) % {"owner": contribution.cycle.programme.follow_up_owner}
    return _("The cycle is closed; nothing can be changed in it.")


TAKES_TEXT = Condition(
    "the cycle is open, or in review and the contribution was returned for correction",
    lambda user, contribution: takes_text(contribution.cycle.state, contribution.correcting),
    _no_text_reason,
)
HAS_APPROVER = Condition(
    "the organisation has an approver",
    lambda user, contribution: has_approver(contribution),
    _("Your organisation has no approver: submit the contribution yourself."),
)
APPROVER_SUBMITS = Condition(
    "where the organisation has an approver, only an approver",
    lambda user, contribution: (
        membership_role(user, contribution.organisation_id) == Role.APPROVER
        or not has_approver(contribution)
    ),
    # As the form says it to a reporter whose draft waits for the approver.
    _("An approver of your organisation submits the contribution."),
)
UNDER_REVIEW = Condition(
    "the cycle is open or in review",
    lambda user, contribution: contribution.cycle.state in REVIEWED_IN,
    CLOSED_NOTHING_REVIEWED,
)
FOUR_EYES = Condition(
    "the strategist neither saved nor submitted any version of it (four eyes)",
    lambda user, contribution: not wrote(user, contribution),
    _("You wrote or submitted this contribution, so somebody else must approve it."),
)
CYCLE_NOT_CLOSED = Condition(
    "the cycle is not closed",
    lambda user, contribution: contribution.cycle.state != Cycle.State.CLOSED,
    IS_CLOSED,
)
CYCLE_RUNNING = Condition(
    "the cycle has opened and is not closed",
    lambda user, contribution: contribution.cycle.state in RUNNING,
    lambda contribution: (
        NOT_OPEN_NOTHING_SAVED if contribution.cycle.state in NOT_YET_OPEN else IS_CLOSED
    ),
)
OPENS_LATER = Condition(
    "the opening date is still ahead",
    lambda user, cycle: cycle.opens_on > timezone.localdate(),
    _("The opening date has come: open the cycle instead of scheduling it."),
)
STAYS_SCHEDULED = Condition(
    "a scheduled cycle's opening date is still ahead (as when scheduling)",
    lambda user, cycle: cycle.state != Cycle.State.SCHEDULED or OPENS_LATER.holds(user, cycle),
    OPENS_LATER.reason,
)

# What a due date the strategist gives must be.
DUE_DATE_PASSED = _("The new due date cannot have passed.")
DUE_NOT_PASSED = Condition(
    "the new due date has not passed",
    lambda user, cycle: cycle.due_on >= timezone.localdate(),
    DUE_DATE_PASSED,
)
DUE_NOT_PASSED_WHILE_OPEN = Condition(
    "while the cycle is open, the new due date has not passed (everyone would be late at once)",
    lambda user, cycle: cycle.state != Cycle.State.OPEN or DUE_NOT_PASSED.holds(user, cycle),
    DUE_DATE_PASSED,
)
DUE_AFTER_OPENING = Condition(
    "the due date is not before the opening date",
    lambda user, cycle: cycle.due_on >= cycle.opens_on,
    _("The due date cannot be before the cycle opens."),
)


def _approved_reason(cycle) -> str:
    count = cycle.contributions.filter(state=Contribution.State.APPROVED).count()
    return ngettext(
        "%(count)s contribution of this cycle is already approved, so reporting cannot be "
        "reopened.",
        "%(count)s contributions of this cycle are already approved, so reporting cannot be "
        "reopened.",
        count,
    ) % {"count": count}


NOTHING_APPROVED = Condition(
    "no contribution of the cycle is approved yet",
    lambda user, cycle: not cycle.contributions.filter(state=Contribution.State.APPROVED).exists(),
    _approved_reason,
)


# The table.

S = Role.STRATEGIST
MEMBERS = (Role.REPORTER, Role.APPROVER)
C = Cycle.State
K = Contribution.State
WITHDRAWN = "withdrawn"
NEW = "new"
PUBLISHED = "published"

RUN_CYCLES = _("Only strategists run follow-up cycles.")
CYCLE_CLOSED = {C.CLOSED: IS_CLOSED}
NOT_CLOSED = (*NOT_YET_OPEN, *RUNNING)
ANY_CYCLE_STATE = (*NOT_CLOSED, C.CLOSED)
WRITERS_ONLY = _("Only members of the organisation can change its contribution.")
REVIEWERS_ONLY = _("Only strategists return or approve contributions.")
NOT_SUBMITTED = _("Only a submitted contribution can be returned or approved.")


def _cycle_refusal(cycle, transition, state):
    if transition.not_from is not None:
        return transition.not_from
    if transition.target is None:
        return _("The cycle is %(state)s.") % {"state": cycle.get_state_display()}
    return _("The cycle is %(state)s; it cannot become %(new)s.") % {
        "state": cycle.get_state_display(),
        "new": C(transition.target).label,
    }


def _contribution_refusal(contribution, transition, state):
    if state == WITHDRAWN:
        return _("%(owner)s has withdrawn this request.") % {
            "owner": capfirst(contribution.cycle.programme.follow_up_owner)
        }
    if transition.not_from is not None:
        not_from = transition.not_from
        return not_from if isinstance(not_from, Promise) else not_from(contribution)
    return _("This contribution is %(state)s and cannot be changed.") % {
        "state": contribution.get_state_display()
    }


def _asked_already(contribution) -> str:
    # Nothing is asked in a closed cycle, whatever the request's state (as add_request).
    if contribution.cycle.state == C.CLOSED:
        return IS_CLOSED
    return _("%(organisation)s is already asked about %(code)s in this cycle.") % {
        "organisation": contribution.organisation.name,
        "code": contribution.focus_area.code,
    }


CYCLE = Workflow(
    title="A cycle",
    doc=(
        "One follow-up round. Nobody is asked anything while it is planned; opening sends "
        "the requests (one contribution per organisation and focus area); the review ends "
        "reporting; closing ends the review."
    ),
    model=Cycle,
    states=lambda: [(NEW, "not created yet"), *C.choices],
    state_of=lambda cycle: cycle.state if cycle.pk else NEW,
    organisation_of=lambda cycle: None,
    refusal=_cycle_refusal,
    transitions=(
        Transition(Step.CREATE, (NEW,), C.PLANNING, (S,), RUN_CYCLES),
        Transition(
            Step.OPEN,
            NOT_YET_OPEN,
            C.OPEN,
            (S,),
            RUN_CYCLES,
            doc="sends the requests the strategist previewed (or the daily job, on the "
            "opening date, in the name of the strategist who scheduled it)",
            refusals={
                C.OPEN: _("The cycle is already open: its requests have been sent."),
                C.REVIEW: _(
                    "The cycle has already opened and is in review; to let the organisations "
                    "write again, reopen reporting from the cycle's page."
                ),
                C.CLOSED: _("The cycle is closed; it cannot be opened again."),
            },
        ),
        Transition(Step.SCHEDULE, (C.PLANNING,), C.SCHEDULED, (S,), RUN_CYCLES, (OPENS_LATER,)),
        Transition(
            Step.UNSCHEDULE,
            (C.SCHEDULED,),
            C.PLANNING,
            (S,),
            RUN_CYCLES,
            refusals={
                C.PLANNING: _("No opening of the cycle is scheduled."),
                **dict.fromkeys(RUNNING, _("The cycle has already opened.")),
                **CYCLE_CLOSED,
            },
        ),
        Transition(
            Step.START_REVIEW,
            (C.OPEN,),
            C.REVIEW,
            (S,),
            RUN_CYCLES,
            doc="confirmed on a page that says who still writes; drafts stay as they are",
            refusals={
                C.PLANNING: _(
                    "The cycle has not opened yet; its review starts once the organisations "
                    "have reported."
                ),
                C.SCHEDULED: _(
                    "The cycle has not opened yet; its review starts once the organisations "
                    "have reported."
                ),
                C.REVIEW: _("The review has already started."),
                C.CLOSED: _("The cycle is closed: its review is over."),
            },
        ),
        Transition(
            Step.REOPEN,
            (C.REVIEW,),
            C.OPEN,
            (S,),
            RUN_CYCLES,
            (NOTHING_APPROVED,),
            doc="with a new due date",
            given=(DUE_NOT_PASSED, DUE_AFTER_OPENING),
            refusals={
                **dict.fromkeys(NOT_YET_OPEN, _("The cycle has not opened yet.")),
                C.OPEN: _("Reporting is already open."),
                C.CLOSED: _("The cycle is closed; reporting cannot be reopened."),
            },
        ),
        Transition(
            Step.CLOSE,
            (C.REVIEW,),
            C.CLOSED,
            (S,),
            RUN_CYCLES,
            doc="confirmed on a page that says what stays unreviewed; cannot be undone",
            refusals={
                **dict.fromkeys(
                    NOT_YET_OPEN, _("The cycle has not opened yet; it is closed after its review.")
                ),
                C.OPEN: _("Reporting is still open: start the review first, then close the cycle."),
                C.CLOSED: _("The cycle is already closed."),
            },
        ),
        Transition(
            Step.EDIT,
            NOT_YET_OPEN,
            None,
            (S,),
            RUN_CYCLES,
            not_from=_("The cycle has opened: only its due date can be changed now."),
            doc="until it opens; its years within the programme's",
            given=(STAYS_SCHEDULED,),
        ),
        Transition(
            Step.CHANGE_DUE_DATE,
            NOT_CLOSED,
            None,
            (S,),
            RUN_CYCLES,
            refusals=CYCLE_CLOSED,
            given=(DUE_NOT_PASSED_WHILE_OPEN, DUE_AFTER_OPENING),
        ),
        Transition(Step.ADD_QUESTION, NOT_CLOSED, None, (S,), RUN_CYCLES, refusals=CYCLE_CLOSED),
        Transition(
            Step.CHANGE_QUESTIONS,
            NOT_YET_OPEN,
            None,
            (S,),
            RUN_CYCLES,
            not_from=_(
                "The cycle has opened: its questions are asked, so they can no longer be "
                "changed or removed."
            ),
            doc="until it opens, when the questions are asked; copied questions are the "
            "latest earlier cycle's of the programme or its earlier editions, as typed",
        ),
        Transition(
            Step.ADD_REQUEST,
            NOT_CLOSED,
            None,
            (S,),
            RUN_CYCLES,
            refusals=CYCLE_CLOSED,
            doc="a withdrawn request is asked again (the contribution's own row); in review "
            "the organisation writes in a new one only once reporting is reopened",
        ),
        Transition(
            Step.REMIND,
            RUNNING,
            None,
            (S,),
            RUN_CYCLES,
            not_from=_(
                "Reminders are sent while the organisations can write: when the cycle is "
                "open, or in review for what was returned for correction."
            ),
            doc="by mail, to those of one organisation the daily reminder writes to, about "
            "what it can still write; once a day, logged on the contributions",
        ),
        Transition(
            Step.REVIEW,
            RUNNING,
            None,
            (S,),
            REVIEWERS_ONLY,
            doc="each contribution handed over as its own table says (return, approve)",
            refusals={
                **dict.fromkeys(
                    NOT_YET_OPEN, _("The cycle has not opened yet; nothing has been submitted.")
                ),
                C.CLOSED: CLOSED_NOTHING_REVIEWED,
            },
        ),
        Transition(
            Step.WRITE_SYNTHESIS,
            ANY_CYCLE_STATE,
            None,
            (S,),
            _("Only strategists write the synthesis."),
        ),
        Transition(
            Step.WRITE_REPORT_TEXTS,
            ANY_CYCLE_STATE,
            None,
            (S,),
            _("Only strategists write the report's texts."),
        ),
        Transition(
            Step.COMPILE_REPORT,
            ANY_CYCLE_STATE,
            None,
            (S,),
            _("Only strategists compile the report."),
        ),
    ),
)

CONTRIBUTION = Workflow(
    title="A contribution",
    doc=(
        "What one organisation reports on one focus area in one cycle; it exists from the "
        "moment the organisation is asked. “Withdrawn” is the request taken back (the "
        "text is kept). “Not relevant for us” is not a state but an answer: it is "
        "submitted, returned and approved like any other. A contribution returned for "
        "correction stays “being corrected” until it is submitted again, also through "
        "“ready for approval”; its next submission is a resubmission."
    ),
    model=Contribution,
    states=lambda: [*K.choices, (WITHDRAWN, STATES[WITHDRAWN][0])],
    state_of=lambda contribution: WITHDRAWN if contribution.withdrawn else contribution.state,
    organisation_of=lambda contribution: contribution.organisation_id,
    refusal=_contribution_refusal,
    transitions=(
        Transition(
            Step.SAVE, (K.DRAFT, K.READY, K.RETURNED), None, MEMBERS, WRITERS_ONLY, (TAKES_TEXT,)
        ),
        Transition(
            Step.MARK_READY,
            (K.DRAFT, K.RETURNED),
            K.READY,
            (Role.REPORTER,),
            _(
                "Only a reporter marks a draft ready for approval; an approver submits it "
                "themselves."
            ),
            (TAKES_TEXT, HAS_APPROVER),
            refusals={K.READY: _("The contribution is already marked ready for approval.")},
        ),
        Transition(
            Step.SEND_BACK,
            (K.READY,),
            K.DRAFT,
            (Role.APPROVER,),
            _("Only an approver of the organisation sends a contribution back."),
            (TAKES_TEXT,),
            not_from=_("Only a contribution marked ready for approval can be sent back."),
            doc="`returned`, if it is being corrected",
            refine=lambda contribution: K.RETURNED if contribution.correcting else K.DRAFT,
        ),
        Transition(
            Step.SUBMIT,
            (K.DRAFT, K.READY, K.RETURNED),
            K.SUBMITTED,
            MEMBERS,
            WRITERS_ONLY,
            (TAKES_TEXT, APPROVER_SUBMITS),
            doc="`resubmitted`, if it is being corrected; every required field filled in",
            refine=lambda contribution: K.RESUBMITTED if contribution.correcting else K.SUBMITTED,
        ),
        Transition(
            Step.RETURN,
            (K.SUBMITTED, K.RESUBMITTED),
            K.RETURNED,
            (S,),
            REVIEWERS_ONLY,
            (UNDER_REVIEW,),
            not_from=NOT_SUBMITTED,
            doc="with a comment; it is then being corrected",
        ),
        Transition(
            Step.APPROVE,
            (K.SUBMITTED, K.RESUBMITTED),
            K.APPROVED,
            (S,),
            REVIEWERS_ONLY,
            (UNDER_REVIEW, FOUR_EYES),
            not_from=NOT_SUBMITTED,
        ),
        Transition(
            Step.WITHDRAW,
            (K.DRAFT, K.READY, K.SUBMITTED, K.RETURNED, K.RESUBMITTED),
            WITHDRAWN,
            (S,),
            RUN_CYCLES,
            (CYCLE_NOT_CLOSED,),
            refusals={
                K.APPROVED: _("An approved contribution cannot be withdrawn."),
                WITHDRAWN: _("The request is already withdrawn."),
            },
        ),
        Transition(
            Step.ASK_AGAIN,
            (WITHDRAWN,),
            None,
            (S,),
            RUN_CYCLES,
            (CYCLE_NOT_CLOSED,),
            not_from=_asked_already,
            doc="back to the state it was withdrawn in, its text as it was",
            refine=lambda contribution: contribution.state,
        ),
        Transition(
            Step.POST,
            tuple(K.values),
            None,
            (S, *MEMBERS),
            _("Only the organisation and the strategists write in a contribution's thread."),
            (CYCLE_RUNNING,),
        ),
    ),
)

REPORT = Workflow(
    title="A compiled report",
    doc=(
        "A numbered version of the council report, compiled in the background. At most one "
        "version of a cycle is published; publishing one withdraws the publication of "
        "the one before."
    ),
    model=Report,
    states=lambda: [*Report.Status.choices, (PUBLISHED, "published")],
    state_of=lambda report: PUBLISHED if report.published else report.status,
    organisation_of=lambda report: None,
    refusal=lambda report, transition, state: transition.not_from,
    transitions=(
        Transition(
            Step.PUBLISH,
            (Report.Status.DONE,),
            PUBLISHED,
            (S,),
            PUBLISHERS_ONLY,
            not_from=_("Only a compiled report can be published."),
            refusals={PUBLISHED: _("This version is already published.")},
        ),
        Transition(
            Step.UNPUBLISH,
            (PUBLISHED,),
            Report.Status.DONE,
            (S,),
            PUBLISHERS_ONLY,
            not_from=_("This version is not published."),
            doc="with the reason, kept with who and when",
        ),
    ),
)

TABLE = (CYCLE, CONTRIBUTION, REPORT)
_BY_MODEL = {workflow.model: workflow for workflow in TABLE}

# The states in which the organisation writes, and in which a contribution waits for review.
WRITABLE_STATES = CONTRIBUTION[Step.SAVE].sources
REVIEWABLE_STATES = CONTRIBUTION[Step.APPROVE].sources
# The states of a cycle in which its contributions are reviewed.
REVIEWED_IN = CYCLE[Step.REVIEW].sources


# The questions.


def workflow_of(obj) -> Workflow:
    return _BY_MODEL[obj._meta.concrete_model]


def roles_of(user, obj) -> set[str]:
    roles = set()
    if is_strategist(user):
        roles.add(Role.STRATEGIST)
    organisation_id = workflow_of(obj).organisation_of(obj)
    if organisation_id is not None:
        role = membership_role(user, organisation_id)
        if role is not None:
            roles.add(role)
    return roles


def decide(user, action, obj) -> Decision:
    """May ``user`` take ``action`` on ``obj`` now? If not, the decision says why.

    In this order: the role, the state, then each further condition, so that the reason
    is the first thing that stands in the way.
    """
    workflow = workflow_of(obj)
    transition = workflow[action]
    if not roles_of(user, obj) & set(transition.who):
        return Decision(False, str(transition.only), applies=False)
    state = workflow.state_of(obj)
    if state not in transition.sources:
        reason = transition.refusals.get(state) or workflow.refusal(obj, transition, state)
        return Decision(False, str(reason), applies=False)
    for condition in transition.conditions:
        if not condition.holds(user, obj):
            return Decision(False, condition.why_not(obj))
    return Decision(True)


def allowed(user, action, obj) -> bool:
    return decide(user, action, obj).allowed


def require(user, action, obj) -> None:
    """Raise WorkflowError, with the reason, unless the user may take the action now."""
    decision = decide(user, action, obj)
    if not decision:
        raise WorkflowError(decision.reason)


def require_given(user, action, obj) -> None:
    """Raise WorkflowError, with the reason, unless what the user gives, set on the object
    (a locked row), is what the action's ``given`` conditions ask. After ``require()``."""
    for condition in workflow_of(obj)[action].given:
        if not condition.holds(user, obj):
            raise WorkflowError(condition.why_not(obj))


def target(action, obj) -> str:
    """The state the action leads the object to (a resubmission, for one being corrected)."""
    transition = workflow_of(obj)[action]
    return transition.refine(obj) if transition.refine else transition.target


class Actions(Mapping):
    """What a user may do to an object, for a page: with it as ``may`` in the context,
    ``{% if may.submit %}`` offers the step and ``{{ may.submit.reason }}`` says why not.

    Each is decided when first asked, as some conditions cost a query.
    """

    def __init__(self, user, obj):
        self.user, self.obj = user, obj
        self._workflow = workflow_of(obj)
        self._decided: dict[str, Decision] = {}

    def __getitem__(self, action) -> Decision:
        if action not in self._decided:
            if action not in self._workflow.actions:
                raise KeyError(action)
            self._decided[action] = decide(self.user, action, self.obj)
        return self._decided[action]

    def __iter__(self) -> Iterator[str]:
        return iter(self._workflow.actions)

    def __len__(self) -> int:
        return len(self._workflow.transitions)


def actions_for(user, obj) -> Actions:
    return Actions(user, obj)


# The table in words: docs/workflow.md.


def _code(values) -> str:
    return ", ".join(f"`{value}`" for value in values)


def markdown() -> str:
    """docs/workflow.md: every state, action, who and condition of TABLE."""
    lines = [
        "# The workflow",
        "",
        "Printed from `reporting/workflow.py` by `python manage.py workflow_docs`: do not",
        "edit it by hand (tests/test_workflow.py fails when the two differ).",
        "",
        "Each action is taken from one of the states listed under *From* by someone in one",
        "of the roles under *Who*, when everything under *Only if* holds; the service that",
        "takes it refuses otherwise, with the reason (what the user gives, such as a date,",
        "is checked as the action would save it). Reporters and approvers are members",
        "of the contribution's organisation; strategists run the follow-up.",
        "What a user may not see at all is not found (404), whatever the table says.",
    ]
    with translation.override("en"):
        for workflow in TABLE:
            existing = {value for value, _label in workflow.states()} - {NEW}
            lines += ["", f"## {workflow.title}", "", workflow.doc, "", "States:", ""]
            lines += [f"- `{value}`: {label}" for value, label in workflow.states()]
            lines += [
                "",
                "| Action | From | To | Who | Only if |",
                "| --- | --- | --- | --- | --- |",
            ]
            for transition in workflow.transitions:
                sources = (
                    "any" if set(transition.sources) == existing else _code(transition.sources)
                )
                if transition.target is not None:
                    to = f"`{transition.target}`"
                elif transition.refine is None:
                    to = "(stays)"
                else:  # the state depends on the object: the doc says which
                    to = ""
                if transition.doc:
                    to = f"{to}; {transition.doc}" if to else transition.doc
                who = ", ".join(Role(role).label for role in transition.who)
                conditions = (*transition.conditions, *transition.given)
                only_if = "; ".join(c.doc for c in conditions) or "–"
                lines.append(
                    f"| {transition.action.label} (`{transition.action}`) | {sources} | {to} "
                    f"| {who} | {only_if} |"
                )
    return "\n".join(lines) + "\n"


__all__ = [
    "TABLE",
    "Actions",
    "Decision",
    "Role",
    "Step",
    "WorkflowError",
    "actions_for",
    "allowed",
    "decide",
    "markdown",
    "open_for_writing",
    "opens_form",
    "reporting_ended",
    "require",
    "require_given",
    "takes_text",
    "target",
]
