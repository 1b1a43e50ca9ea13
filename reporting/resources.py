"""Export of a cycle's contributions and of the action register as CSV or XLSX (tablib),
formula-safe.

Columns have fixed Swedish names; the content columns are those of content.py.
"""

import tablib

from livskvalitet.core.text import xlsx_text
from programme.resources import escape_formula

from .content import FIELDS, PARTS, ContributionContent
from .models import Action, Contribution


def _cell(content: ContributionContent, name: str) -> str:
    """A field as the export writes it: yes and no in the columns' language, whatever the
    user's; the rest as people read it (content.display)."""
    value = getattr(content, name)
    if isinstance(value, bool):
        return "ja" if value else "nej"
    return content.display(name)


def _row(contribution: Contribution, questions) -> list:
    row = [
        contribution.organisation.name,
        contribution.focus_area.code,
        contribution.display_state_label,
    ]
    if contribution.state not in Contribution.SHARED_STATES:
        # Not handed over yet: who and what state, but not the organisation's text.
        return row + [""] * (len(FIELDS) + 2 + len(questions))
    content = ContributionContent.of(contribution)
    row += [_cell(content, name) for name in FIELDS]
    row.append("\n".join(f"{a.title} ({a.status_label()})" for a in content.actions))
    row.append("\n".join(a.name for a in content.attachments))
    row += [content.answers.get(str(q.pk), "") for q in questions]
    return row


def export_cycle(cycle, file_format: str) -> bytes | str:
    questions = list(cycle.questions.all())
    contributions = (
        cycle.contributions.filter(withdrawn=False)
        .select_related("organisation", "focus_area")
        .prefetch_related("actions__sdgs", "answers", "indicator_comments", "attachments")
        .order_by("organisation__name", "focus_area__sort_key")
    )
    headers = ["organisation", "fokusomrade", "status"]
    headers += [PARTS[name].column for name in FIELDS]
    headers += ["insatser", "bilagor", *(q.text for q in questions)]
    dataset = tablib.Dataset(headers=[_written(header, file_format) for header in headers])
    for contribution in contributions:
        dataset.append([_written(value, file_format) for value in _row(contribution, questions)])
    return dataset.export(file_format)


def export_initiatives(initiatives, file_format: str) -> bytes | str:
    """The action register's entries (selectors.with_codes), one a row."""
    statuses = dict(Action.Status.choices)
    dataset = tablib.Dataset(
        headers=[
            "id",
            "organisation",
            "insats",
            "status",
            "fokusomraden",
            "globala_mal",
            "beskrivning",
            "vad_har_hant",
            "styrande_dokument",
            "referens",
            "start",
            "slut",
            "senast_rapporterad",
        ]
    )
    for initiative in initiatives:
        reported = initiative.reported_in
        row = [
            initiative.pk,
            initiative.organisation.name,
            initiative.title,
            str(statuses.get(initiative.status, initiative.status)),
            ", ".join(initiative.area_codes),
            ", ".join(str(number) for number in initiative.sdg_numbers),
            initiative.description,
            initiative.progress,
            "; ".join(initiative.document_titles),
            initiative.reference,
            initiative.starts_on.isoformat() if initiative.starts_on else "",
            initiative.ends_on.isoformat() if initiative.ends_on else "",
            reported.cycle.title if reported else "",
        ]
        dataset.append([_written(value, file_format) for value in row])
    return dataset.export(file_format)


def _written(value, file_format: str):
    """A cell formula-safe and, in an XLSX file, with any control character stored text may
    hold written so that Excel reads it back (xlsx_text)."""
    value = escape_formula(value)
    return xlsx_text(value) if file_format == "xlsx" else value
