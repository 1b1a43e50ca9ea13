"""One shape for what an organisation writes in a contribution.

The fields, actions, answers, indicator comments and attachments of a contribution are
defined here once. The form reads into it (``from_form``), the services write it to the
rows and keep it as each saved version (``to_json``, with a schema version so that old
versions stay readable), the review shows what changed (``diff``), the version page, the
report and the export read it (``rows``), and submitting asks what is missing
(``missing``).
"""

from dataclasses import asdict, dataclass, field, replace

from django.utils.translation import gettext as _

from livskvalitet.core.text import as_typed
from programme.models import Assessment

from .models import Action, Contribution

SCHEMA = 2

# The contribution's own text fields, in the order a reader meets them.
TEXT_FIELDS = (
    "not_relevant_reason",
    "done",
    "results",
    "assessment_motivation",
    "challenges",
    "next_steps",
)
FIELDS = ("not_relevant", "not_relevant_reason", "done", "results", "assessment",
          "assessment_motivation", "challenges", "next_steps")  # fmt: skip
# What a contribution needs before it can be submitted (unless it is not relevant).
REQUIRED = ("done", "results", "assessment", "assessment_motivation")


def label(name: str) -> str:
    return str(Contribution._meta.get_field(name).verbose_name)


@dataclass
class ActionContent:
    title: str
    status: str = Action.Status.PLANNED
    description: str = ""
    groups: list[str] = field(default_factory=list)
    sdgs: list[int] = field(default_factory=list)
    reference: str = ""

    def text(self) -> str:
        """The action as one line, for comparing versions."""
        statuses = dict(Action.Status.choices)
        groups = dict(Action.Group.choices)
        parts = [self.title, str(statuses.get(self.status, self.status)), self.description]
        if self.groups:
            parts.append(", ".join(str(groups.get(g, g)) for g in self.groups))
        if self.sdgs:
            parts.append(_("Goals: %s") % ", ".join(str(n) for n in self.sdgs))
        if self.reference:
            parts.append(self.reference)
        return " – ".join(part for part in parts if part)

    def status_label(self) -> str:
        return str(dict(Action.Status.choices).get(self.status, self.status))

    def group_labels(self) -> list[str]:
        labels = dict(Action.Group.choices)
        return [str(labels.get(group, group)) for group in self.groups]


@dataclass
class AttachmentRef:
    """A file attached to the contribution, as the version that lists it saw it."""

    pk: int
    name: str
    size: int
    sha256: str


@dataclass
class ContributionContent:
    not_relevant: bool = False
    not_relevant_reason: str = ""
    done: str = ""
    results: str = ""
    assessment: str = ""
    assessment_motivation: str = ""
    challenges: str = ""
    next_steps: str = ""
    actions: list[ActionContent] = field(default_factory=list)
    answers: dict[str, str] = field(default_factory=dict)  # question id → answer
    indicator_comments: dict[str, str] = field(default_factory=dict)  # indicator id → text
    attachments: list[AttachmentRef] = field(default_factory=list)

    # Reading in.

    @classmethod
    def of(cls, contribution: Contribution) -> "ContributionContent":
        """What the contribution's rows hold now (prefetched relations are used)."""
        prefetched = getattr(contribution, "_prefetched_objects_cache", {})
        actions = (
            contribution.actions.all()
            if "actions" in prefetched
            else contribution.actions.prefetch_related("sdgs")
        )
        return cls(
            **{name: getattr(contribution, name) for name in FIELDS},
            actions=[
                ActionContent(
                    title=action.title,
                    status=action.status,
                    description=action.description,
                    groups=list(action.groups),
                    sdgs=sorted(sdg.number for sdg in action.sdgs.all()),
                    reference=action.reference,
                )
                for action in actions
            ],
            answers={str(a.question_id): a.value for a in contribution.answers.all()},
            indicator_comments={
                str(c.indicator_id): c.text for c in contribution.indicator_comments.all() if c.text
            },
            attachments=[
                AttachmentRef(a.pk, a.name, a.size, a.sha256)
                for a in contribution.attachments.all()
                if a.removed_at is None
            ],
        )

    @classmethod
    def from_json(cls, data: dict | None) -> "ContributionContent":
        """A saved version, of any schema: version 1 (before attachments) had no "schema"."""
        data = dict(data or {})
        data.pop("schema", None)
        known = {name: data[name] for name in FIELDS if name in data}
        return cls(
            **known,
            actions=[
                ActionContent(**{k: v for k, v in action.items() if k in ACTION_KEYS})
                for action in data.get("actions", [])
            ],
            answers=dict(data.get("answers", {})),
            indicator_comments=dict(data.get("indicator_comments", {})),
            attachments=[AttachmentRef(**a) for a in data.get("attachments", [])],
        )

    @classmethod
    def from_form(cls, form, formset, *, attachments=()) -> "ContributionContent":
        """What the organisation sent in the contribution form (valid form and formset)."""
        data = form.cleaned_data
        content = cls(
            **{
                name: as_typed(data.get(name, "")) if name in TEXT_FIELDS else data.get(name)
                for name in FIELDS
            },
            answers={
                str(question.pk): answer_text(value) for question, value in form.answers().items()
            },
            indicator_comments={
                str(indicator.pk): as_typed(text)
                for indicator, text in form.indicator_comments().items()
                if text and text.strip()
            },
            attachments=list(attachments),
        )
        content.not_relevant = bool(content.not_relevant)
        content.assessment = content.assessment or ""
        for action_form in formset.forms:
            action = action_form.cleaned_data
            if not action or action.get("DELETE") or not action.get("title"):
                continue
            content.actions.append(
                ActionContent(
                    title=action["title"].strip(),
                    status=action["status"],
                    description=as_typed(action.get("description", "")),
                    groups=list(action.get("groups", [])),
                    sdgs=sorted(action.get("sdgs", [])),
                    reference=action.get("reference", "").strip(),
                )
            )
        return content

    def replaced(self, *, actions=None, answers=None, indicator_comments=None, **fields):
        """A copy with some parts changed, for code that writes contributions itself.

        Actions may be dicts (with ``sdgs`` as numbers or Sdg objects); answers and
        indicator comments may be keyed by the Question or Indicator itself.
        """
        unknown = set(fields) - set(FIELDS)
        if unknown:
            raise TypeError(f"not part of a contribution's content: {sorted(unknown)}")
        copy = replace(self, **fields)
        if actions is not None:
            copy.actions = [
                a
                if isinstance(a, ActionContent)
                else ActionContent(
                    **{k: v for k, v in a.items() if k in ACTION_KEYS and k != "sdgs"},
                    sdgs=sorted(getattr(g, "number", g) for g in a.get("sdgs", [])),
                )
                for a in actions
            ]
        if answers is not None:
            copy.answers = {str(getattr(q, "pk", q)): answer_text(v) for q, v in answers.items()}
        if indicator_comments is not None:
            copy.indicator_comments = {
                str(getattr(i, "pk", i)): text
                for i, text in indicator_comments.items()
                if text and text.strip()
            }
        return copy

    # Writing out.

    def to_json(self) -> dict:
        return {"schema": SCHEMA, **asdict(self)}

    # Reading it.

    def missing(self, questions=()) -> list[str]:
        """The labels of what must be filled in before submitting."""
        if self.not_relevant:
            return [] if self.not_relevant_reason.strip() else [label("not_relevant_reason")]
        missing = [label(name) for name in REQUIRED if not str(getattr(self, name)).strip()]
        missing.extend(
            question.text
            for question in questions
            if question.required and not self.answers.get(str(question.pk), "").strip()
        )
        return missing

    def display(self, name: str) -> str:
        value = getattr(self, name)
        if name == "assessment":
            return str(dict(Assessment.choices).get(value, "")) if value else ""
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        return str(value or "")

    def rows(self, questions=(), indicators=()) -> list[dict]:
        """Every part of the content, labelled, in reading order: {"key", "label", "value"}."""
        rows = [{"key": name, "label": label(name), "value": self.display(name)} for name in FIELDS]
        rows.append(
            {
                "key": "actions",
                "label": _("Actions"),
                "value": "\n".join(action.text() for action in self.actions),
            }
        )
        rows.extend(
            {"key": f"question-{q.pk}", "label": q.text, "value": self.answers.get(str(q.pk), "")}
            for q in questions
        )
        rows.extend(
            {
                "key": f"indicator-{i.pk}",
                "label": _("Comment on %(indicator)s") % {"indicator": i.title},
                "value": self.indicator_comments.get(str(i.pk), ""),
            }
            for i in indicators
            if self.indicator_comments.get(str(i.pk))
        )
        rows.append(
            {
                "key": "attachments",
                "label": _("Attachments"),
                "value": "\n".join(a.name for a in self.attachments),
            }
        )
        return rows

    def diff(self, newer: "ContributionContent", questions=(), indicators=()) -> list[dict]:
        """What changed from this content to ``newer``: {"label", "old", "new"} per part."""
        before = {row["key"]: row for row in self.rows(questions, indicators)}
        changes = []
        for row in newer.rows(questions, indicators):
            old = before.pop(row["key"], {"value": ""})["value"]
            if old != row["value"]:
                changes.append({"label": row["label"], "old": old, "new": row["value"]})
        # Indicator comments this version no longer has.
        for row in before.values():
            if row["value"]:
                changes.append({"label": row["label"], "old": row["value"], "new": ""})
        return changes


ACTION_KEYS = {"title", "status", "description", "groups", "sdgs", "reference"}


def answer_text(value) -> str:
    """How an answer is stored: text as typed, a number written out (never "1E+2")."""
    from decimal import Decimal

    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, list | tuple):  # several choices, one a line
        return "\n".join(str(item) for item in value)
    return as_typed(str(value)).strip()
