"""Functions that change the programme's data."""

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import (
    Commitment,
    Direction,
    FocusArea,
    GoverningDocument,
    Indicator,
    Municipality,
    Organisation,
    Programme,
    Responsibility,
    Sdg,
)
from .permissions import administers, can_set_responsibilities

DEFAULT_DATA_DIR = Path(settings.BASE_DIR) / "fixtures"
DEFAULT_PROGRAMME_FILE = "programme_2025_2027.json"


@dataclass
class LoadSummary:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    differing: Counter = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _ensure(model, lookup: dict, values: dict, *, reset: bool, summary: LoadSummary):
    """Create the row if missing; with reset, bring an existing row back to ``values``.

    Without reset an existing row is left as an administrator may have edited it, and
    only counted when it differs from the default data.
    """
    name = model._meta.verbose_name_plural
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean()
        obj.save()
        summary.created[name] += 1
        return obj, True
    differing = [key for key, value in values.items() if getattr(obj, key) != value]
    if differing:
        if reset:
            for key in differing:
                setattr(obj, key, values[key])
            obj.full_clean()
            obj.save()
            summary.updated[name] += 1
        else:
            summary.differing[name] += 1
    return obj, False


def _ensure_m2m(obj, attribute: str, wanted: list, *, created: bool, reset: bool, summary):
    manager = getattr(obj, attribute)
    current = {item.pk for item in manager.all()}
    if current == {item.pk for item in wanted}:
        return
    name = obj._meta.verbose_name_plural
    if created or reset:
        manager.set(wanted)
        if not created:
            summary.updated[name] += 1
    else:
        summary.differing[name] += 1


def _read(data_dir: Path, name: str) -> dict:
    with open(data_dir / name, encoding="utf-8") as handle:
        return json.load(handle)


@transaction.atomic
def programme_load_default(
    *, data_dir: Path = DEFAULT_DATA_DIR, reset: bool = False
) -> LoadSummary:
    """Load the global goals, the organisations and the 2025–2027 programme.

    Idempotent: rows that exist are matched on their natural keys and not created again.
    """
    summary = LoadSummary()

    sdgs = {}
    for row in _read(data_dir, "sdgs.json")["sdgs"]:
        number = row.pop("number")
        sdgs[number], _ = _ensure(Sdg, {"number": number}, row, reset=reset, summary=summary)

    indicators = _read(data_dir, "indicators.json")
    municipalities = {}
    for row in indicators["municipalities"]:
        municipalities[row["code"]], _ = _ensure(
            Municipality, {"code": row["code"]}, {"name": row["name"]}, reset=reset, summary=summary
        )

    organisations = {}
    organisation_file = _read(data_dir, "organisations.json")
    owned_by = municipalities[organisation_file["municipality"]]
    for row in organisation_file["organisations"]:
        # A name that is not defined above is an error in the data file, not a blank link.
        served_by_name, part_of_name = row.pop("served_by"), row.pop("part_of")
        served_by = organisations[served_by_name] if served_by_name else None
        part_of = organisations[part_of_name] if part_of_name else None
        name = row.pop("name")
        organisations[name], _ = _ensure(
            Organisation,
            {"municipality": owned_by, "name": name},
            {**row, "served_by": served_by, "part_of": part_of},
            reset=reset,
            summary=summary,
        )

    data = _read(data_dir, DEFAULT_PROGRAMME_FILE)
    meta = data["programme"]
    programme, _ = _ensure(
        Programme,
        {"edition": meta["edition"]},
        {
            "name": meta["name"],
            "valid_from": date.fromisoformat(meta["valid_from"]),
            "valid_until": date.fromisoformat(meta["valid_until"]),
            "revised_by": meta["revised_by"],
            "owner": organisations[meta["owner"]],
            "follow_up_interval_years": meta["follow_up_interval_years"],
            "introduction": meta["introduction"],
            "municipality": municipalities[meta["municipality"]],
        },
        reset=reset,
        summary=summary,
    )

    documents: dict[str, list[Direction]] = {}
    for row in data["directions"]:
        direction, _ = _ensure(
            Direction,
            {"programme": programme, "number": row["number"]},
            {key: row[key] for key in ("title", "ambition", "challenges", "focus")},
            reset=reset,
            summary=summary,
        )
        for title in row["governing_documents"]:
            documents.setdefault(title, []).append(direction)
        for area in row["focus_areas"]:
            focus_area, created = _ensure(
                FocusArea,
                {"programme": programme, "code": area["code"]},
                {
                    "direction": direction,
                    "title": area["title"],
                    "description": area["description"],
                },
                reset=reset,
                summary=summary,
            )
            wanted = [sdgs[number] for number in area["sdgs"]]
            _ensure_m2m(focus_area, "sdgs", wanted, created=created, reset=reset, summary=summary)

    for title, directions in documents.items():
        document, created = _ensure(
            GoverningDocument,
            {"programme": programme, "title": title},
            {},
            reset=reset,
            summary=summary,
        )
        _ensure_m2m(
            document, "directions", directions, created=created, reset=reset, summary=summary
        )

    for title in data["commitments"]:
        _ensure(
            Commitment, {"programme": programme, "title": title}, {}, reset=reset, summary=summary
        )

    areas = {area.code: area for area in FocusArea.objects.filter(programme=programme)}
    for row in indicators["indicators"]:
        # Candidates, not facts: they ship unconfirmed and with no values.
        _ensure(
            Indicator,
            {"focus_area": areas[row["focus_area"]], "title": row["title"]},
            {
                "external_id": row["external_id"],
                "unit": row["unit"],
                "better": row["better"],
                "confirmed": False,
            },
            reset=reset,
            summary=summary,
        )

    return summary


def organisation_retire(*, organisation: Organisation, by) -> None:
    """Retire an organisation: it keeps its history but is no longer asked to report.

    Administrators keep the programme's structure; the history records who retired it.
    """
    if not administers(by, "programme.change_organisation"):
        raise PermissionDenied
    if organisation.active:
        organisation.active = False
        organisation._history_user = by
        organisation.save(update_fields=["active"])


class ResponsibilityConflict(Exception):
    """Someone changed some of the same cells since the grid was opened."""

    def __init__(self, cells):
        super().__init__("responsibilities changed meanwhile")
        self.cells = cells  # (organisation, focus area) pairs


@transaction.atomic
def responsibilities_set(*, programme: Programme, changes: dict, seen: dict, by) -> int:
    """Set who answers for what: ``changes`` maps (organisation id, focus area id) to a
    role ("lead", "contributing") or "" for none; ``seen`` holds each changed cell's value
    when the grid was opened. Only changed cells are written, so two people editing other
    cells do not overwrite each other; a cell someone else changed meanwhile refuses the
    whole save (ResponsibilityConflict). Returns how many cells changed.
    """
    if not can_set_responsibilities(by):
        raise PermissionDenied
    # A cell nobody answers for has no row to lock: the programme's row is locked first, so
    # that two saves of the same new cell at the same moment do not both insert one (the
    # second finds the first's and is refused as changed meanwhile, not an IntegrityError).
    Programme.objects.select_for_update().get(pk=programme.pk)
    areas = set(programme.focus_areas.values_list("pk", flat=True))
    # Those that report only (Responsibility.clean), as the grid offers.
    organisations = set(
        Organisation.objects.of_programme(programme).reporting().values_list("pk", flat=True)
    )
    current = {
        (r.organisation_id, r.focus_area_id): r
        for r in Responsibility.objects.select_for_update().filter(focus_area__programme=programme)
    }
    roles = {"", *Responsibility.Role.values}
    conflicts = []
    for (organisation_id, area_id), role in changes.items():
        if organisation_id not in organisations or area_id not in areas or role not in roles:
            raise ValueError(f"not a cell of the grid: {organisation_id}, {area_id}, {role!r}")
        existing = current.get((organisation_id, area_id))
        if (existing.role if existing else "") != seen.get((organisation_id, area_id), ""):
            conflicts.append((organisation_id, area_id))
    if conflicts:
        raise ResponsibilityConflict(conflicts)
    changed = 0
    for (organisation_id, area_id), role in changes.items():
        existing = current.get((organisation_id, area_id))
        if existing and not role:
            existing._history_user = by
            existing.delete()
        elif existing and existing.role != role:
            existing.role = role
            existing._history_user = by
            existing.save(update_fields=["role"])
        elif not existing and role:
            created = Responsibility(
                organisation_id=organisation_id, focus_area_id=area_id, role=role
            )
            created._history_user = by
            created.save()
        else:
            continue
        changed += 1
    return changed


@transaction.atomic
def document_follow_up_add(*, document, date, url: str, summary: str, by):
    """Record the latest follow-up of a governing document, with who entered it."""
    from livskvalitet.core.text import as_typed

    from .models import DocumentFollowUp
    from .permissions import can_enter_document_follow_ups

    if not can_enter_document_follow_ups(by):
        raise PermissionDenied
    summary = as_typed(summary)
    if not summary.strip():
        raise ValidationError({"summary": _("Write a short summary of the follow-up.")})
    follow_up = DocumentFollowUp(
        document=document, date=date, url=url, summary=summary, entered_by=by
    )
    follow_up.full_clean()
    follow_up.save()
    return follow_up
