import uuid
from functools import cached_property
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from livskvalitet.core.text import one_line, swedish_order
from programme.models import (
    Assessment,
    FocusArea,
    GoverningDocument,
    Organisation,
    Programme,
    Sdg,
)


class Cycle(models.Model):
    """One follow-up round, e.g. "Uppföljning 2026"."""

    class State(models.TextChoices):
        PLANNING = "planning", _("planning")
        SCHEDULED = "scheduled", _("scheduled to open")
        OPEN = "open", _("open")
        REVIEW = "review", _("review")
        CLOSED = "closed", _("closed")

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="cycles"
    )
    title = models.CharField(_("title"), max_length=200, validators=[one_line])
    first_year = models.PositiveSmallIntegerField(_("first year covered"))
    last_year = models.PositiveSmallIntegerField(_("last year covered"))
    opens_on = models.DateField(_("opens"))
    due_on = models.DateField(_("due"))
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.PLANNING, editable=False
    )
    is_demo = models.BooleanField(_("demo"), default=False, editable=False)
    baseline_year = models.PositiveSmallIntegerField(
        _("baseline year"),
        null=True,
        blank=True,
        help_text=_(
            "Indicator trends compare the latest value with this year's. Empty: the year "
            "before the programme took effect."
        ),
    )
    instructions = models.TextField(
        _("instructions to the organisations"),
        blank=True,
        help_text=_(
            "What the organisations should know when they report in this cycle: shown at "
            "the top of every contribution form and in the mail that opens the cycle."
        ),
    )
    report_says_when_empty = models.BooleanField(
        _("say so in the report when a section is empty"),
        default=False,
        help_text=_("Otherwise an empty section is left out of the compiled report."),
    )
    # Who scheduled the opening: the daily job opens the cycle in their name.
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    history = HistoricalRecords()

    # What a cycle is, written when it is created and changed until it opens
    # (services.cycle_edit, CycleForm).
    EDITABLE = (
        "title",
        "first_year",
        "last_year",
        "baseline_year",
        "opens_on",
        "due_on",
        "instructions",
    )

    class Meta:
        verbose_name = _("follow-up cycle")
        verbose_name_plural = _("follow-up cycles")
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__gte=models.F("first_year")),
                name="cycle_years_in_order",
                violation_error_message=_("The last year cannot come before the first year."),
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("opens_on")),
                name="cycle_due_after_opening",
                violation_error_message=_("The due date cannot come before the opening date."),
            ),
        ]

    def __str__(self):
        return self.title

    def locked(self) -> "Cycle":
        """The cycle's row, locked until the transaction ends: a service judges every rule
        by the state in the database, and a text or a row first saved under this lock
        cannot be saved twice at the same moment."""
        return Cycle.objects.select_for_update().get(pk=self.pk)

    def clean(self):
        super().clean()
        if self.baseline_year and self.last_year and self.baseline_year >= self.last_year:
            raise ValidationError(
                {"baseline_year": _("The baseline year must come before the last year covered.")}
            )
        if self.programme_id and self.first_year and self.last_year:
            first, last = self.programme.valid_from.year, self.programme.valid_until.year
            outside = {
                name: _("The programme runs %(first)s–%(last)s: choose a year within it.")
                % {"first": first, "last": last}
                for name in ("first_year", "last_year")
                if not first <= getattr(self, name) <= last
            }
            if outside:
                raise ValidationError(outside)

    @property
    def title_marked(self) -> str:
        """The title, marked "(demo)" where the cycle is the demo's and its title does not
        say so already: demo data is labelled wherever it shows, once."""
        if self.is_demo and "demo" not in self.title.lower():
            return f"{self.title} ({_('demo')})"
        return self.title

    @property
    def years(self) -> str:
        """The years it covers as people write them: "2025–2026", or "2026" for one year
        (a programme followed up every year)."""
        if self.first_year == self.last_year:
            return str(self.first_year)
        return f"{self.first_year}–{self.last_year}"

    @property
    def trend_from(self) -> int:
        """The baseline year of the indicator trends."""
        return self.baseline_year or self.programme.baseline_year


class Contribution(models.Model):
    """What one organisation reports on one focus area in one cycle.

    The row exists from the moment the organisation is asked; ``withdrawn`` marks a
    request the strategy department took back.
    """

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        READY = "ready", _("ready for approval")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned")
        RESUBMITTED = "resubmitted", _("resubmitted")
        APPROVED = "approved", _("approved")

    # Which states may be written in or reviewed is the workflow's (workflow.py).
    # The states in which the organisation has handed its text over. In a draft, and in
    # a returned contribution being corrected, the text is still the organisation's own.
    SHARED_STATES = (State.SUBMITTED, State.RESUBMITTED, State.APPROVED)

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="contributions"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="contributions",
    )
    focus_area = models.ForeignKey(
        FocusArea,
        verbose_name=_("focus area"),
        on_delete=models.PROTECT,
        related_name="contributions",
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.DRAFT, editable=False
    )
    withdrawn = models.BooleanField(_("withdrawn"), default=False, editable=False)
    # Returned by the strategy department and not yet submitted again: it may be
    # corrected while the cycle is in review, and its next submission is a resubmission.
    correcting = models.BooleanField(default=False, editable=False)
    not_relevant = models.BooleanField(_("not relevant for us"), default=False)
    not_relevant_reason = models.TextField(_("why it is not relevant"), blank=True)
    done = models.TextField(_("what was done"), blank=True)
    results = models.TextField(_("results and effects"), blank=True)
    assessment = models.CharField(
        _("own assessment"), max_length=20, choices=Assessment.choices, blank=True
    )
    assessment_motivation = models.TextField(_("motivation of the assessment"), blank=True)
    challenges = models.TextField(_("challenges"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    # The other organisations it worked with on the focus area, in the order given: the
    # city's own [{"name": "Kulturnämnden", "organisation_id": 12}], the others as typed
    # [{"name": "Region Skåne", "organisation_id": null}] (content.Partner).
    collaboration = models.JSONField(_("collaboration"), default=list, blank=True)
    # Raised by every save; a save that started from an older version is refused.
    version = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, editable=False)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["cycle", "organisation__name", "focus_area__sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "organisation", "focus_area"], name="one_contribution_per_request"
            ),
        ]

    def __str__(self):
        return f"{self.organisation} – {self.focus_area.code} ({self.cycle})"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("reporting:contribution-detail", args=[self.pk])

    @property
    def started(self) -> bool:
        return self.version > 0

    @property
    def display_state(self) -> str:
        """The state as people tell it: also "not started" and "withdrawn" (see STATES)."""
        return self.display_state_of(self.state, withdrawn=self.withdrawn, version=self.version)

    @classmethod
    def display_state_of(cls, state: str, *, withdrawn: bool, version: int) -> str:
        """display_state from the three columns it is read from (for pages of many rows
        that read values rather than models)."""
        if withdrawn:
            return "withdrawn"
        if state == cls.State.DRAFT and version == 0:
            return "not_started"
        return state

    @classmethod
    def display_state_filter(cls, display_state: str) -> Q:
        """The contributions in a display state, for counting them in the database."""
        if display_state == "withdrawn":
            return Q(withdrawn=True)
        live = Q(withdrawn=False)
        if display_state == "not_started":
            return live & Q(state=cls.State.DRAFT, version=0)
        if display_state == cls.State.DRAFT:
            return live & Q(state=cls.State.DRAFT, version__gt=0)
        return live & Q(state=display_state)

    @property
    def display_state_label(self) -> str:
        return STATES[self.display_state][0]

    @property
    def display_state_symbol(self) -> str:
        return STATES[self.display_state][1]


# Every state a contribution can be in as people tell it: a word and a symbol each, so
# that no state rests on colour alone. The keys are Contribution.display_state.
STATES = {
    "not_started": (_("not started"), "○"),
    "draft": (_("draft"), "✎"),
    "ready": (_("ready for approval"), "⚑"),
    "submitted": (_("submitted"), "➜"),
    "returned": (_("returned"), "↺"),
    "resubmitted": (_("resubmitted"), "↻"),
    "approved": (_("approved"), "✔"),
    "withdrawn": (_("withdrawn"), "⊘"),
}


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    ONGOING = "ongoing", _("ongoing")
    COMPLETED = "completed", _("completed")
    CANCELLED = "cancelled", _("cancelled")


class Initiative(models.Model):
    """An insats in the register: one organisation's measure for one or more focus areas,
    living across cycles. Each contribution reports on it (Action.initiative); approving the
    contribution writes what it reported here (services/register.py), so the register holds
    approved reports only. Its history keeps who changed what, when, and from which
    contribution (``reported_in``)."""

    Status = ActionStatus
    # Still to be reported on in the next cycle.
    OPEN_STATES = (Status.PLANNED, Status.ONGOING)

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="initiatives",
    )
    focus_areas = models.ManyToManyField(
        FocusArea, verbose_name=_("focus areas"), related_name="initiatives"
    )
    title = models.CharField(_("title"), max_length=300, validators=[one_line])
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    starts_on = models.DateField(_("start"), null=True, blank=True)
    ends_on = models.DateField(
        _("end"),
        null=True,
        blank=True,
        help_text=_("Planned while the action goes on; the actual end once it is finished."),
    )
    groups = models.JSONField(_("groups reached"), default=list, blank=True)
    sdgs = models.ManyToManyField(Sdg, verbose_name=_("global goals"), blank=True)
    reference = models.CharField(
        _("reference"),
        max_length=300,
        blank=True,
        help_text=_("A registration number or a link."),
        validators=[one_line],
    )
    documents = models.ManyToManyField(
        GoverningDocument,
        verbose_name=_("governing documents"),
        blank=True,
        related_name="initiatives",
        help_text=_("The programme's governing documents the action carries out."),
    )
    # What the organisation said last about it: the approved contribution that wrote it.
    progress = models.TextField(_("what happened since the last follow-up"), blank=True)
    reported_in = models.ForeignKey(
        "Contribution",
        verbose_name=_("last reported in"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("registered action")
        verbose_name_plural = _("registered actions")
        ordering = ["organisation__name", "title", "pk"]

    def __str__(self):
        return self.title

    @property
    def status_symbol(self) -> str:
        """A symbol beside the status's word, so that no status rests on colour alone."""
        return STATUS_SYMBOLS.get(self.status, "")


STATUS_SYMBOLS = {
    ActionStatus.PLANNED: "○",
    ActionStatus.ONGOING: "◐",
    ActionStatus.COMPLETED: "●",
    ActionStatus.CANCELLED: "⊘",
}


class Action(models.Model):
    """An insats as one contribution reports it; ``initiative`` is the register's entry it
    reports on (none until the contribution is approved, for a new one)."""

    Status = ActionStatus

    class Group(models.TextChoices):
        GENDER = "gender", _("gender")
        GENDER_IDENTITY = "gender_identity", _("gender identity or expression")
        ETHNICITY = "ethnicity", _("ethnicity")
        RELIGION = "religion", _("religion or other belief")
        DISABILITY = "disability", _("disability")
        SEXUAL_ORIENTATION = "sexual_orientation", _("sexual orientation")
        AGE = "age", _("age")
        SOCIO_ECONOMIC = "socio_economic", _("socio-economic background")
        CHILDREN = "children", _("children and young people")

    contribution = models.ForeignKey(
        Contribution,
        verbose_name=_("contribution"),
        on_delete=models.CASCADE,
        related_name="actions",
    )
    title = models.CharField(_("title"), max_length=300, validators=[one_line])
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    groups = models.JSONField(_("groups reached"), default=list, blank=True)
    sdgs = models.ManyToManyField(Sdg, verbose_name=_("global goals"), blank=True)
    reference = models.CharField(
        _("reference"),
        max_length=300,
        blank=True,
        help_text=_("A registration number or a link."),
        validators=[one_line],
    )
    progress = models.TextField(_("what happened since the last follow-up"), blank=True)
    starts_on = models.DateField(_("start"), null=True, blank=True)
    ends_on = models.DateField(_("end"), null=True, blank=True)
    # The code of the focus area the insats moved to: approving moves it in the register.
    moved_to = models.CharField(_("moved to the focus area"), max_length=20, blank=True)
    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("registered action"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["contribution", "position", "pk"]

    def __str__(self):
        return self.title

    def get_groups_display(self) -> list[str]:
        labels = dict(self.Group.choices)
        return [str(labels[group]) for group in self.groups if group in labels]


def attachment_upload_to(attachment, filename):
    # A name of our own: the file's own name is kept in the row, never trusted as a path.
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"attachments/contribution-{attachment.contribution_id}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    """A file an organisation attached to its contribution.

    Files are never changed or deleted: removing one from the contribution marks it
    removed, and the saved versions that listed it can still show it.
    """

    contribution = models.ForeignKey(
        Contribution, on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=300)
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["contribution", "uploaded_at", "pk"]

    def __str__(self):
        return self.name


class ContributionVersion(models.Model):
    """A saved version of a contribution: every save and every state change keeps one."""

    class Event(models.TextChoices):
        SAVED = "saved", _("saved")
        SUBMITTED = "submitted", _("submitted")
        RESUBMITTED = "resubmitted", _("resubmitted")
        RETURNED = "returned", _("returned")
        APPROVED = "approved", _("approved")
        REQUESTED = "requested", _("asked to report")
        WITHDRAWN = "withdrawn", _("request withdrawn")
        READY = "ready", _("marked ready for approval")
        SENT_BACK = "sent_back", _("sent back by the approver")

    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    state = models.CharField(_("state"), max_length=20, choices=Contribution.State.choices)
    data = models.JSONField()
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    event = models.CharField(_("event"), max_length=20, choices=Event.choices)

    class Meta:
        verbose_name = _("contribution version")
        verbose_name_plural = _("contribution versions")
        ordering = ["contribution", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["contribution", "number"], name="contribution_version_unique"
            ),
        ]

    def __str__(self):
        return f"{self.contribution_id} v{self.number}"


# A message, comment or note one person writes to another (ReviewComment.text): long enough
# for any of them; a longer one is refused with the limit, and its text shown again.
MESSAGE_LIMIT = 5_000


class ReviewComment(models.Model):
    """An entry of a contribution's thread: who said what, when, on which version.

    The strategy department's return comments and notes and the organisation's answers
    are read by both; an approver's comment when sending a draft back, and a reporter's
    note when marking it ready, stay within the organisation.
    """

    class Kind(models.TextChoices):
        RETURN = "return", _("returned with a comment")
        NOTE = "note", _("note from the strategists")
        ANSWER = "answer", _("message from the organisation")
        READY = "ready", _("note for the approver")
        SENT_BACK = "sent_back", _("sent back by the approver")

    INTERNAL_KINDS = (Kind.READY, Kind.SENT_BACK)

    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.RETURN)
    text = models.TextField(_("comment"))
    version_number = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["contribution", "created_at", "pk"]

    def __str__(self):
        return self.text[:60]

    @property
    def internal(self) -> bool:
        return self.kind in self.INTERNAL_KINDS


class Question(models.Model):
    """A question of the strategy department's own, asked in every contribution of a cycle."""

    class Kind(models.TextChoices):
        SHORT_TEXT = "short_text", _("short text")
        LONG_TEXT = "long_text", _("long text")
        CHOICE = "choice", _("one choice")
        CHOICES = "choices", _("several choices")
        NUMBER = "number", pgettext_lazy("kind of answer", "number")

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="questions"
    )
    text = models.CharField(_("question"), max_length=500, validators=[one_line])
    help_text = models.CharField(_("help text"), max_length=500, blank=True, validators=[one_line])
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    choices = models.TextField(_("choices"), blank=True, help_text=_("One choice per line."))
    required = models.BooleanField(_("required"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["cycle", "position", "pk"]

    def __str__(self):
        return self.text

    def clean(self):
        """A question with choices has at least one, and each once: two alike (capitals
        aside) could not be told apart by whoever answers or reads the answers."""
        if self.kind not in (self.Kind.CHOICE, self.Kind.CHOICES):
            return
        choices = self.choice_list()
        if not choices:
            raise ValidationError(
                {"choices": _("A choice question needs at least one choice.")}, code="required"
            )
        seen = set()
        for choice in choices:
            if choice.casefold() in seen:
                raise ValidationError(
                    {
                        "choices": ValidationError(
                            _("The choice “%(choice)s” is there twice; write each choice once."),
                            code="repeated",
                            params={"choice": choice},
                        )
                    }
                )
            seen.add(choice.casefold())

    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class Answer(models.Model):
    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contribution", "question"], name="one_answer_each"),
        ]

    def __str__(self):
        return self.value[:60]


class ReminderSent(models.Model):
    """A reminder sent to one person: the daily digest (the record that stops repeats), or
    one a strategist sent an organisation by hand (``sent_by``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)
    contributions = models.ManyToManyField(Contribution, related_name="reminders")
    overdue = models.BooleanField(default=False)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The strategist who sent it by hand; empty for the daily reminders."),
    )

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "sent_on"],
                condition=models.Q(sent_by__isnull=True),
                name="one_reminder_a_day",
            ),
        ]

    def __str__(self):
        return f"{self.user} {self.sent_on}"


class Synthesis(models.Model):
    """The strategy department's analysis of one focus area in one cycle."""

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="syntheses"
    )
    focus_area = models.ForeignKey(
        FocusArea, verbose_name=_("focus area"), on_delete=models.PROTECT, related_name="+"
    )
    analysis = models.TextField(_("analysis"), blank=True)
    assessment = models.CharField(
        _("overall assessment"), max_length=20, choices=Assessment.choices, blank=True
    )
    highlighted_actions = models.ManyToManyField(
        Action, verbose_name=_("highlighted actions"), blank=True, related_name="+"
    )
    # The approved versions the synthesis was written from, so that every statement in
    # the report can be traced to who reported it.
    based_on = models.ManyToManyField(ContributionVersion, blank=True, related_name="+")
    # Counts the saves, so that a save made from an out-of-date form is refused.
    revision = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    history = HistoricalRecords(m2m_fields=[highlighted_actions])

    class Meta:
        verbose_name = _("synthesis")
        verbose_name_plural = _("syntheses")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "focus_area"], name="one_synthesis_per_area"),
        ]

    def __str__(self):
        return f"{self.cycle} – {self.focus_area.code}"


class ReportText(models.Model):
    """A text of the report the strategy department writes: the summary, the introduction,
    one per direction (viljeinriktning), and the further work. Kept with every change."""

    class Part(models.TextChoices):
        SUMMARY = "summary", _("Summary")
        INTRODUCTION = "introduction", _("Introduction")
        DIRECTION = "direction", _("Direction")
        FURTHER_WORK = "further_work", _("Further work")

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="report_texts"
    )
    part = models.CharField(_("part"), max_length=20, choices=Part.choices)
    direction = models.ForeignKey(
        "programme.Direction",
        verbose_name=_("direction"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.TextField(_("text"), blank=True)
    ready = models.BooleanField(_("ready"), default=False)
    # Counts the saves, so that a save made from an out-of-date form is refused.
    revision = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("report text")
        verbose_name_plural = _("report texts")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "part"],
                condition=Q(direction__isnull=True),
                name="one_report_text_per_part",
            ),
            models.UniqueConstraint(
                fields=["cycle", "direction"],
                condition=Q(direction__isnull=False),
                name="one_report_text_per_direction",
            ),
            models.CheckConstraint(
                condition=Q(part="direction", direction__isnull=False)
                | (~Q(part="direction") & Q(direction__isnull=True)),
                name="report_text_direction_only_for_directions",
            ),
        ]

    def __str__(self):
        return f"{self.cycle} – {self.get_part_display()}"


def report_upload_to(report, filename):
    return f"reports/cycle-{report.cycle_id}/report-{report.number}.pdf"


def report_edition_upload_to(report, filename):
    """The HTML and Word editions beside the PDF: report-N.html, report-N.docx."""
    suffix = PurePath(filename).suffix
    return f"reports/cycle-{report.cycle_id}/report-{report.number}{suffix}"


class Report(models.Model):
    """A compiled report: numbered, immutable once done, with what it was built from."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("compiling")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="reports"
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    # When the compile last moved on: a version running with no progress for long was
    # left by a worker that stopped (reports.reports_fail_stalled).
    progress_at = models.DateTimeField(_("last progress"), null=True, blank=True)
    # How many times a worker took it up: one, since a worker claims it from the queue.
    attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    error = models.TextField(_("why it failed"), blank=True)
    pdf = models.FileField(_("PDF"), upload_to=report_upload_to, blank=True)
    html_edition = models.FileField(
        _("HTML edition"), upload_to=report_edition_upload_to, blank=True
    )
    docx = models.FileField(_("Word file"), upload_to=report_edition_upload_to, blank=True)
    checksum = models.CharField("SHA-256", max_length=64, blank=True)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    missing_characters = models.TextField(
        _("characters no font could draw"), blank=True, editable=False
    )
    compiled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compiled by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    built_from = models.ManyToManyField(ContributionVersion, blank=True, related_name="reports")
    # What the strategy department's own parts lacked when this version was compiled (texts
    # not written or not marked ready, focus areas without analysis or assessment, analyses
    # older than an approval or citing nothing); None for versions compiled before it was
    # recorded. See reporting.report.data.gaps.
    gaps = models.JSONField(_("what it lacked"), null=True, blank=True, editable=False)
    # Where this version cites each contribution, as printed: {contribution id: [places]}
    # (reporting.report.data.ReportData.cited_where).
    cited_where = models.JSONField(default=dict, blank=True, editable=False)
    # How many requests it says were asked and answered and approved, and the rate, as it
    # printed them ({"asked", "approved", "rate"} of ReportData.response), and per focus
    # area as its overview says them ("areas": [{"direction", "direction_title", "code",
    # "title", "asked", "approved"}], reporting.report.data.stated_response), so that its
    # public page and its publishing say the same whatever is approved later; None for
    # versions compiled before it was recorded, and no "areas" where those were not known.
    response_counts = models.JSONField(null=True, blank=True, editable=False)
    # The strategists' assessment and analysis of each focus area as this version states
    # them (reporting.report.data.stated_syntheses): a synthesis may be edited after a
    # version is compiled or published, and the open data says what the version says.
    syntheses = models.JSONField(
        _("the strategists' assessments"), null=True, blank=True, editable=False
    )
    # The names each approved version it was built from is printed under, by the version's
    # id (the public id of the contribution): {"organisation", "code", "title"} of the
    # organisation and the focus area as the version was compiled, so that its pages and
    # the open data name them as its files do whatever is renamed after it
    # (reporting.report.data.stated_names), and its "number" in Bilaga 2, which the
    # report's citations refer to (reporting.report.build.numbered); None for versions
    # compiled before it was kept, no "number" for those compiled before that was.
    names = models.JSONField(null=True, blank=True, editable=False)
    is_demo = models.BooleanField(default=False)
    published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["cycle", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "number"], name="report_number_unique"),
            models.UniqueConstraint(
                fields=["cycle"], condition=Q(published=True), name="one_published_report"
            ),
        ]

    def __str__(self):
        return f"{self.cycle} – {self.number}"

    def file_name(self, extension: str) -> str:
        """What a downloaded edition is called: "livskvalitet-2025-2026-v1.pdf", or
        "livskvalitet-2026-v1.pdf" for a cycle of one year."""
        years = self.cycle.years.replace("–", "-")
        return f"livskvalitet-{years}-v{self.number}.{extension}"

    def printed_as(self, version) -> dict:
        """The names an approved version it was built from is printed under:
        {"organisation", "code", "title"} as compiled, or (for a version compiled before
        they were kept) as they are today. The version's contribution, organisation and
        focus area are read only then, so select them with the version."""
        kept = (self.names or {}).get(str(version.pk))
        if kept is not None:
            return kept
        contribution = version.contribution
        return {
            "organisation": contribution.organisation.name,
            "code": contribution.focus_area.code,
            "title": contribution.focus_area.title,
        }

    def printed_order(self, pk: int, organisation: str, sort_key: str) -> tuple:
        """Where the approved version ``pk`` it was built from stands in its Bilaga 2: by
        its number there; one it does not number after those, by the organisation's name
        as compiled (Swedish order, ``organisation`` if none is kept), then its focus
        area's ``sort_key``."""
        number = self.appendix_numbers.get(pk)
        name = (self.names or {}).get(str(pk), {}).get("organisation", organisation)
        return (number is None, number or 0, swedish_order(name), sort_key, pk)

    @cached_property
    def appendix_numbers(self) -> dict[int, int]:
        """Each approved version's number in Bilaga 2 ([1], [2] …, as its citations refer
        to it), by the version's id, as compiled (names; migration 0032 numbered the
        versions compiled before the numbers were kept)."""
        return {
            int(pk): printed["number"]
            for pk, printed in (self.names or {}).items()
            if "number" in printed
        }

    @property
    def missing_message(self) -> str:
        """What to tell the strategist when the PDF could not draw some characters."""
        if not self.missing_characters:
            return ""
        listed = ", ".join(f"{c} (U+{ord(c):04X})" for c in self.missing_characters)
        return _(
            "No font on the server has these characters, so the PDF shows empty boxes in "
            "their place: %(characters)s. Ask the administrators to install a font that has "
            "them (for example from the Noto family) and compile again."
        ) % {"characters": listed}


class Citation(models.Model):
    """A strategist's text (a synthesis or a report text) cites an approved contribution:
    the version it was approved as when the text was saved, and the words quoted from it.
    Written in the text as typed (reporting/report/citations.py)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="citations")
    synthesis = models.ForeignKey(
        Synthesis, null=True, blank=True, on_delete=models.CASCADE, related_name="citations"
    )
    report_text = models.ForeignKey(
        ReportText, null=True, blank=True, on_delete=models.CASCADE, related_name="citations"
    )
    version = models.ForeignKey(
        ContributionVersion, on_delete=models.PROTECT, related_name="citations"
    )
    excerpt = models.TextField(_("quoted words"), blank=True)

    class Meta:
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(synthesis__isnull=False, report_text__isnull=True)
                | models.Q(synthesis__isnull=True, report_text__isnull=False),
                name="citation_in_one_text",
            )
        ]

    def __str__(self):
        return f"[#{self.version.contribution_id}]"


class Publication(models.Model):
    """Each time a report version was published or its publication withdrawn: who, when."""

    class Action(models.TextChoices):
        PUBLISHED = "published", _("published")
        WITHDRAWN = "withdrawn", _("publication withdrawn")

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="publications")
    action = models.CharField(_("what"), max_length=20, choices=Action.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("when"), auto_now_add=True)
    reason = models.TextField(_("why"), blank=True)
    # The version's gaps the strategist accepted when publishing it (Report.gaps).
    accepted_gaps = models.JSONField(_("gaps accepted"), default=list, blank=True)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["report", "at", "pk"]

    def __str__(self):
        return f"{self.report} {self.action}"


class IndicatorComment(models.Model):
    """An organisation's comment on an indicator, in its contribution."""

    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="indicator_comments"
    )
    indicator = models.ForeignKey("programme.Indicator", on_delete=models.PROTECT, related_name="+")
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["contribution", "indicator"], name="one_comment_per_indicator"
            ),
        ]

    def __str__(self):
        return self.text[:60]


class Heartbeat(models.Model):
    """When a background process last showed it was alive (the scheduler each minute; the
    worker when it runs the scheduler's heartbeat task), and when the daily jobs last ran.
    /healthz/ reads them."""

    name = models.CharField(max_length=40, primary_key=True)
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self):
        return f"{self.name}: {self.at:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def beat(cls, name: str, at=None) -> None:
        cls.objects.update_or_create(name=name, defaults={"at": at or timezone.now()})
