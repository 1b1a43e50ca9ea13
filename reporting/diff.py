"""Field-by-field differences between two saved versions of a contribution."""

from django.utils.translation import gettext as _

from .models import Action, Assessment, Contribution
from .services import CONTENT_FIELDS


def _label(field: str) -> str:
    return str(Contribution._meta.get_field(field).verbose_name)


def _display(field: str, value) -> str:
    if field == "assessment":
        return str(dict(Assessment.choices).get(value, "")) if value else ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value or "")


def _action_text(action: dict) -> str:
    statuses = dict(Action.Status.choices)
    groups = dict(Action.Group.choices)
    parts = [
        action["title"],
        str(statuses.get(action["status"], action["status"])),
        action.get("description", ""),
    ]
    if action.get("groups"):
        parts.append(", ".join(str(groups.get(g, g)) for g in action["groups"]))
    if action.get("sdgs"):
        parts.append(_("Goals: %s") % ", ".join(str(n) for n in action["sdgs"]))
    if action.get("reference"):
        parts.append(action["reference"])
    return " – ".join(part for part in parts if part)


def snapshot_diff(old: dict, new: dict, questions=(), indicators=()) -> list[dict]:
    """What changed from ``old`` to ``new``: a label and both values per changed field."""
    changes = []
    for field in CONTENT_FIELDS:
        before, after = old.get(field, ""), new.get(field, "")
        if before != after:
            changes.append(
                {
                    "label": _label(field),
                    "old": _display(field, before),
                    "new": _display(field, after),
                }
            )
    old_actions = [_action_text(a) for a in old.get("actions", [])]
    new_actions = [_action_text(a) for a in new.get("actions", [])]
    if old_actions != new_actions:
        changes.append(
            {
                "label": _("Actions"),
                "old": "\n".join(old_actions),
                "new": "\n".join(new_actions),
            }
        )
    for question in questions:
        key = str(question.pk)
        before, after = old.get("answers", {}).get(key, ""), new.get("answers", {}).get(key, "")
        if before != after:
            changes.append({"label": question.text, "old": before, "new": after})
    for indicator in indicators:
        key = str(indicator.pk)
        before = old.get("indicator_comments", {}).get(key, "")
        after = new.get("indicator_comments", {}).get(key, "")
        if before != after:
            label = _("Comment on %(indicator)s") % {"indicator": indicator.title}
            changes.append({"label": label, "old": before, "new": after})
    return changes


def snapshot_fields(data: dict, questions=(), indicators=()) -> list[dict]:
    """Every field of a saved version, labelled, for reading that version whole."""
    rows = [
        {"label": _label(field), "value": _display(field, data.get(field, ""))}
        for field in CONTENT_FIELDS
    ]
    rows.append(
        {
            "label": _("Actions"),
            "value": "\n".join(_action_text(a) for a in data.get("actions", [])),
        }
    )
    answers = data.get("answers", {})
    rows.extend({"label": q.text, "value": answers.get(str(q.pk), "")} for q in questions)
    comments = data.get("indicator_comments", {})
    rows.extend(
        {
            "label": _("Comment on %(indicator)s") % {"indicator": i.title},
            "value": comments.get(str(i.pk), ""),
        }
        for i in indicators
        if str(i.pk) in comments
    )
    return rows
