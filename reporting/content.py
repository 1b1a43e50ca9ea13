"""One shape for what an organisation writes in a contribution.

The fields, actions, answers, indicator comments and attachments of a contribution are
defined here once, as dataclasses, and everything else reads them from here: the form
reads into it (``from_form``), the services write it to the rows (``row_values``) and keep
it as each saved version (``to_json``, with a schema version so that old versions stay
readable), the review shows what changed (``diff``), the version page, the report and the
export read it (``rows``, ``display``), the API describes it from its types, and
submitting asks what is missing (``missing``).

The contribution's own fields (those with a column of their own on ``Contribution``) carry
a ``Part`` in their metadata: their export column, whether they are free text, whether
submitting needs them. Their label is the model field's verbose name. Any field may also
carry ``help_text`` (what the API's description says of it) and ``choices``.
"""

import datetime
import typing
from dataclasses import asdict, dataclass, field, fields, is_dataclass, replace

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from livskvalitet.core.text import as_typed

from .models import STATUS_SYMBOLS, Action, Contribution

# 1: before attachments (no "schema"); 2: attachments; 3: collaboration. A version
# without a field reads it as the field's default.
SCHEMA = 3


@dataclass(frozen=True)
class Part:
    """One of the contribution's own fields, as the rest of the app needs to know it."""

    column: str  # its column in the cycle's export (resources.py), a fixed Swedish name
    text: bool = False  # free text: kept as typed, counted in the form, searched in review
    required: bool = False  # needed before submitting, unless the area is not relevant


def part(column: str, *, default="", default_factory=None, help_text=None, **options):
    """A field of ContributionContent that is one of the contribution's own columns."""
    metadata = {"part": Part(column, **options)}
    if help_text is not None:
        metadata["help_text"] = help_text
    if default_factory is not None:
        return field(default_factory=default_factory, metadata=metadata)
    return field(default=default, metadata=metadata)


def described(help_text=None, *, choices=None, written=False, **kwargs):
    """A field with what the API's description says of it, and its choices if any;
    ``written``: it holds the organisation's own words (see ``words``)."""
    metadata = {"help_text": help_text} if help_text is not None else {}
    if choices is not None:
        metadata["choices"] = choices
    if written:
        metadata["written"] = True
    return field(metadata=metadata, **kwargs)


def is_written(f) -> bool:
    """Whether a field of the content holds words the organisation wrote itself (its free
    text parts, and the fields marked ``written``), rather than a choice, a number, a date
    or a code, which the app or the programme puts in words."""
    part = f.metadata.get("part")
    return bool(f.metadata.get("written") or (part and part.text))


def words_of(item) -> list[str]:
    """The words the organisation wrote in a content or one of its items, one text per
    field (each answer and indicator comment its own), the empty ones left out: lists of
    items (actions, partners, attachments) read item by item."""
    found = []
    for f in fields(item):
        value = getattr(item, f.name)
        if items_of(f.type):
            for each in value:
                found.extend(words_of(each))
        elif is_written(f):
            found.extend(value.values() if isinstance(value, dict) else [value])
    return [text for text in found if text and text.strip()]


def label(name: str) -> str:
    return str(Contribution._meta.get_field(name).verbose_name)


def items_of(annotation) -> type | None:
    """The dataclass of a list's items (``list[ActionContent]`` → ActionContent)."""
    if typing.get_origin(annotation) is list:
        (item,) = typing.get_args(annotation)
        if is_dataclass(item):
            return item
    return None


def read_items(item_type, values) -> list:
    """Items of a dataclass from what was stored (dicts; keys it does not know are left)."""
    known = {f.name for f in fields(item_type)}
    return [
        value
        if isinstance(value, item_type)
        else item_type(**{key: v for key, v in value.items() if key in known})
        for value in values or []
    ]


@dataclass
class ActionContent:
    title: str = described(written=True)
    status: str = described(default=Action.Status.PLANNED, choices=Action.Status.choices)
    description: str = described(written=True, default="")
    groups: list[str] = described(
        gettext_lazy("The groups the action reaches."),
        choices=Action.Group.choices,
        default_factory=list,
    )
    sdgs: list[int] = described(
        gettext_lazy("The numbers of its global goals."), default_factory=list
    )
    reference: str = described(
        gettext_lazy("A registration number or a link."), written=True, default=""
    )
    progress: str = described(
        gettext_lazy("What happened since the last follow-up, for an action reported before."),
        written=True,
        default="",
    )
    starts_on: str = described(
        gettext_lazy("Its start, as a date (YYYY-MM-DD) or empty."), default=""
    )
    ends_on: str = described(
        gettext_lazy("Its end, planned or (once finished) actual, as a date or empty."), default=""
    )
    moved_to: str = described(
        gettext_lazy("The code of the focus area it moved to, if it did; otherwise empty."),
        default="",
    )
    initiative: int | None = described(
        gettext_lazy(
            "The id of the action in the register (/api/v1/actions/) it reports on; null for "
            "an action not yet approved in any contribution."
        ),
        default=None,
    )

    @classmethod
    def of(cls, action: Action) -> "ActionContent":
        """What an action's row holds (its global goals prefetched)."""
        return cls._from_row(action, initiative=action.initiative_id)

    @classmethod
    def carried(cls, initiative) -> "ActionContent":
        """An insats of the register to report on again in a new contribution: what it is,
        not what was said of it last time (what happened, where it moved), which the
        reporter writes anew."""
        return cls._from_row(initiative, initiative=initiative.pk, leave={"progress", "moved_to"})

    @classmethod
    def _from_row(cls, row, *, initiative, leave=frozenset()) -> "ActionContent":
        """From a row with the content's fields (an Action or an Initiative): dates as ISO
        text, global goals as numbers (prefetched)."""
        own = ACTION_KEYS - {"sdgs", "initiative", *DATES, *leave}
        return cls(
            **{name: getattr(row, name) for name in own},
            **{name: _iso(getattr(row, name)) for name in DATES},
            sdgs=sorted(sdg.number for sdg in row.sdgs.all()),
            initiative=initiative,
        )

    def row_values(self) -> dict:
        """What the action's own columns hold (its global goals are a relation)."""
        values = {name: value for name, value in asdict(self).items() if name != "sdgs"}
        values["initiative_id"] = values.pop("initiative")
        for name in DATES:
            values[name] = datetime.date.fromisoformat(values[name]) if values[name] else None
        return values

    def dates(self) -> tuple[datetime.date | None, datetime.date | None]:
        """Its start and end as dates (None where not given)."""
        return tuple(
            datetime.date.fromisoformat(value) if value else None
            for value in (self.starts_on, self.ends_on)
        )

    def text(self, focus_area: str = "") -> str:
        """The action as one line, for comparing versions; ``focus_area``: what the
        programme calls the level, for where it moved (the usual name if not told)."""
        statuses = dict(Action.Status.choices)
        groups = dict(Action.Group.choices)
        parts = [
            self.title,
            str(statuses.get(self.status, self.status)),
            self.description,
            self.progress,
        ]
        if self.groups:
            parts.append(", ".join(str(groups.get(g, g)) for g in self.groups))
        if self.sdgs:
            parts.append(_("Goals: %s") % ", ".join(str(n) for n in self.sdgs))
        if self.reference:
            parts.append(self.reference)
        if self.starts_on or self.ends_on:
            start, end = (date_format(d, "DATE_FORMAT") if d else "…" for d in self.dates())
            parts.append(_("%(start)s to %(end)s") % {"start": start, "end": end})
        if self.moved_to:
            parts.append(
                _("Moved to %(focus_area)s %(code)s")
                % {"focus_area": focus_area or _("focus area"), "code": self.moved_to}
            )
        return " – ".join(part for part in parts if part)

    def status_label(self) -> str:
        return str(dict(Action.Status.choices).get(self.status, self.status))

    def status_symbol(self) -> str:
        return STATUS_SYMBOLS.get(self.status, "")

    def group_labels(self) -> list[str]:
        labels = dict(Action.Group.choices)
        return [str(labels.get(group, group)) for group in self.groups]


ACTION_KEYS = frozenset(f.name for f in fields(ActionContent))
# The most actions one contribution holds: far more than a committee reports on one focus
# area, and few enough that a form sent with thousands is refused before they are built.
MAX_ACTIONS = 100


TOO_MANY_ACTIONS = gettext_lazy("A contribution can hold at most %(num)d actions.")
DATES = ("starts_on", "ends_on")  # dates in the row, ISO text in the content


def _iso(value) -> str:
    return value.isoformat() if value else ""


@dataclass
class AttachmentRef:
    """A file attached to the contribution, as the version that lists it saw it."""

    pk: int
    name: str = described(written=True)  # the file's name, as the organisation gave it
    size: int
    sha256: str


@dataclass
class Partner:
    """An organisation the contribution's organisation worked with on the focus area."""

    name: str = described(gettext_lazy("Its name, as the contribution gives it."), written=True)
    organisation_id: int | None = described(
        gettext_lazy(
            "The id in /api/v1/organisations/ of one of the city's own organisations; null "
            "for an organisation outside the city."
        ),
        default=None,
    )

    def __str__(self) -> str:
        return self.name


@dataclass
class ContributionContent:
    not_relevant: bool = part("ej_relevant", default=False)
    not_relevant_reason: str = part("motivering_ej_relevant", text=True)
    done: str = part("vad_har_gjorts", text=True, required=True)
    results: str = part("resultat_och_effekter", text=True, required=True)
    assessment: str = part(
        "egen_bedomning",
        required=True,
        help_text=gettext_lazy("positive, unchanged, negative or cannot_assess; empty if none."),
    )
    assessment_motivation: str = part("motivering", text=True, required=True)
    challenges: str = part("utmaningar", text=True)
    next_steps: str = part("nasta_steg", text=True)
    collaboration: list[Partner] = part(
        "samverkan",
        default_factory=list,
        help_text=gettext_lazy(
            "The other organisations it worked with on the focus area: the city's own, "
            "and others as the contribution names them."
        ),
    )
    actions: list[ActionContent] = field(default_factory=list)
    # Question id → answer; indicator id → comment.
    answers: dict[str, str] = described(written=True, default_factory=dict)
    indicator_comments: dict[str, str] = described(written=True, default_factory=dict)
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
            **{name: _read(name, getattr(contribution, name)) for name in FIELDS},
            actions=[ActionContent.of(action) for action in actions],
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
        """A saved version, of any schema: version 1 (before attachments) had no "schema".

        A field a version does not have reads as its default.
        """
        data = dict(data or {})
        data.pop("schema", None)
        return cls(
            **{name: _read(name, data[name]) for name in FIELDS if name in data},
            actions=read_items(ActionContent, data.get("actions", [])),
            answers=dict(data.get("answers", {})),
            indicator_comments=dict(data.get("indicator_comments", {})),
            attachments=read_items(AttachmentRef, data.get("attachments", [])),
        )

    @classmethod
    def from_form(cls, form, formset, *, attachments=()) -> "ContributionContent":
        """What the organisation sent in the contribution form (valid form and formset)."""
        data = form.cleaned_data | {"collaboration": form.partners_to_save()}
        content = cls(
            **{name: _cleaned(name, data.get(name)) for name in FIELDS},
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
        for action_form in formset.forms:
            action = action_form.cleaned_data
            if not action or action.get("DELETE") or not action.get("title"):
                continue
            content.actions.append(
                ActionContent(
                    title=action["title"],
                    status=action["status"],
                    description=as_typed(action.get("description", "")),
                    groups=list(action.get("groups", [])),
                    sdgs=sorted(action.get("sdgs", [])),
                    reference=action.get("reference", "").strip(),
                    progress=as_typed(action.get("progress", "")),
                    starts_on=_iso(action.get("starts_on")),
                    ends_on=_iso(action.get("ends_on")),
                    moved_to=action.get("moved_to") or "",
                    initiative=action.get("initiative"),
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
        copy = replace(self, **{name: _read(name, value) for name, value in fields.items()})
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

    def row_values(self) -> dict:
        """What the contribution's own columns hold (FIELDS), as the model stores them."""
        values = asdict(self)
        return {name: values[name] for name in FIELDS}

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

    def words(self) -> list[str]:
        """Every text the contribution shows in its own words, one a field: what a citation
        may quote (reporting/report/citations.py). Not what the app or the programme puts
        in words for it: its assessment, an action's status, groups, dates and the focus area
        it moved to are choices and codes, and the name of a global goal it chose is the
        programme's, not the organisation's (so are a question's and an indicator's
        titles, which the answers and comments are shown under)."""
        return words_of(self)

    def display(self, name: str) -> str:
        """One of the contribution's own fields as people read it: a choice by its label,
        yes or no, a list one item a line."""
        value = getattr(self, name)
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        choices = Contribution._meta.get_field(name).choices
        if choices:
            return str(dict(choices).get(value, "")) if value else ""
        if isinstance(value, list):
            return "\n".join(str(item) for item in value)
        return str(value or "")

    def rows(self, questions=(), indicators=(), focus_area: str = "") -> list[dict]:
        """Every part of the content, labelled, in reading order: {"key", "label", "value"}.
        ``focus_area``: what the programme calls the level (ActionContent.text)."""
        rows = [{"key": name, "label": label(name), "value": self.display(name)} for name in FIELDS]
        rows.append(
            {
                "key": "actions",
                "label": _("Actions"),
                "value": "\n".join(action.text(focus_area) for action in self.actions),
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

    def diff(
        self, newer: "ContributionContent", questions=(), indicators=(), focus_area: str = ""
    ) -> list[dict]:
        """What changed from this content to ``newer``: {"label", "old", "new"} per part;
        ``focus_area``: what the programme calls the level (ActionContent.text)."""
        before = {row["key"]: row for row in self.rows(questions, indicators, focus_area)}
        changes = []
        for row in newer.rows(questions, indicators, focus_area):
            old = before.pop(row["key"], {"value": ""})["value"]
            if old != row["value"]:
                changes.append({"label": row["label"], "old": old, "new": row["value"]})
        # Indicator comments this version no longer has.
        for row in before.values():
            if row["value"]:
                changes.append({"label": row["label"], "old": row["value"], "new": ""})
        return changes


# The contribution's own fields, read from the dataclass: all of them in the order a
# reader meets them, the free text among them, and what submitting needs.
PARTS: dict[str, Part] = {
    f.name: f.metadata["part"] for f in fields(ContributionContent) if "part" in f.metadata
}
FIELDS = tuple(PARTS)
TEXT_FIELDS = tuple(name for name, part in PARTS.items() if part.text)
REQUIRED = tuple(name for name, part in PARTS.items() if part.required)
# The organisation's own words in an action and a partner (Samverkan): the columns of
# Action, and the keys of a partner as stored, that the review queue searches.
ACTION_WORDS = tuple(f.name for f in fields(ActionContent) if is_written(f))
PARTNER_WORDS = tuple(f.name for f in fields(Partner) if is_written(f))
_TYPES = {f.name: f.type for f in fields(ContributionContent)}


def _read(name: str, value):
    """A field's value from a row, a saved version or code: a list of items as dataclasses."""
    item_type = items_of(_TYPES[name])
    return read_items(item_type, value) if item_type else value


def _cleaned(name: str, value):
    """A field's value from the form's cleaned data."""
    if PARTS[name].text:
        return as_typed(value)
    if _TYPES[name] is bool:
        return bool(value)
    if _TYPES[name] is str:
        return value or ""
    return _read(name, value or [])


def answer_text(value) -> str:
    """How an answer is stored: text as typed, a number written out (never "1E+2")."""
    from decimal import Decimal

    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, list | tuple):  # several choices, one a line
        return "\n".join(str(item) for item in value)
    return as_typed(str(value))
