"""Editions of a programme: the next one made from the one before, and how they map.

The next edition starts as a copy of the structure (directions, focus areas with their
global goals, responsibilities, governing documents, commitments, indicators), each
focus area linked one-to-one to the one it was copied from. Administrators then edit it:
a link added is a split (one old area, several new) or a merge (several old, one new); a
link without successor ends an area. Indicators are carried over as new indicators that
continue the old ones, so their value history and trends run across editions, while the
earlier edition's own rows, cycles, contributions and reports are left exactly as they
were.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import (
    Commitment,
    Direction,
    FocusArea,
    FocusAreaLink,
    GoverningDocument,
    Indicator,
    IndicatorTarget,
    Programme,
    Responsibility,
)
from .permissions import can_create_edition


def _copied_fields(model, *own) -> list[str]:
    """Every stored field of ``model`` but its id and those the new edition sets itself, so
    that a field added later is copied too."""
    return [f.name for f in model._meta.concrete_fields if not f.primary_key and f.name not in own]


COPIED_PROGRAMME_FIELDS = _copied_fields(
    Programme, "edition", "valid_from", "valid_until", "slug", "published", "previous"
)
COPIED_INDICATOR_FIELDS = _copied_fields(Indicator, "focus_area", "carried_from")
COPIED_TARGET_FIELDS = _copied_fields(IndicatorTarget, "indicator", "document")


def _saved(instance, by):
    instance._history_user = by
    instance.full_clean(validate_unique=False)
    instance.save()
    return instance


@transaction.atomic
def edition_create_next(
    *, programme: Programme, edition: str, valid_from, valid_until, by, name: str = ""
) -> Programme:
    """The next edition of ``programme``, its structure copied and mapped one-to-one."""
    if not can_create_edition(by):
        raise PermissionDenied
    if programme.next_editions.exists():
        raise ValidationError(
            _("%(programme)s already has a next edition: %(next)s.")
            % {"programme": programme, "next": programme.next_editions.first()}
        )
    slug = Programme.slug_of(edition)
    taken = Programme.objects.filter(municipality=programme.municipality_id)
    if taken.filter(Q(edition=edition) | Q(slug=slug)).exists():
        raise ValidationError(
            {
                "edition": _(
                    "An edition named %(edition)s (in addresses %(slug)s) already exists; "
                    "choose another name."
                )
                % {"edition": edition, "slug": slug}
            }
        )
    following = Programme(
        edition=edition,
        valid_from=valid_from,
        valid_until=valid_until,
        previous=programme,
        published=False,  # until it has been decided; the city's staff read it meanwhile
        **{key: getattr(programme, key) for key in COPIED_PROGRAMME_FIELDS},
    )
    if name:
        following.name = name
    following._history_user = by
    following.full_clean()
    following.save()

    directions = {}
    for direction in programme.directions.order_by("number").prefetch_related("sdgs"):
        directions[direction.pk] = _saved(
            Direction(
                programme=following,
                number=direction.number,
                code=direction.code,
                title=direction.title,
                ambition=direction.ambition,
                challenges=direction.challenges,
                focus=direction.focus,
            ),
            by,
        )
        directions[direction.pk].sdgs.set(direction.sdgs.all())
    areas = {}
    for area in programme.focus_areas.order_by("sort_key").prefetch_related("sdgs"):
        copy = _saved(
            FocusArea(
                direction=directions[area.direction_id],
                code=area.code,
                title=area.title,
                description=area.description,
            ),
            by,
        )
        copy.sdgs.set(area.sdgs.all())
        areas[area.pk] = copy
        _saved(FocusAreaLink(previous=area, successor=copy), by)
    for responsibility in Responsibility.objects.filter(focus_area__programme=programme):
        _saved(
            Responsibility(
                organisation_id=responsibility.organisation_id,
                focus_area=areas[responsibility.focus_area_id],
                role=responsibility.role,
            ),
            by,
        )
    documents = {}
    for document in programme.governing_documents.prefetch_related("directions"):
        copy = _saved(
            GoverningDocument(programme=following, title=document.title, url=document.url), by
        )
        copy.directions.set([directions[d.pk] for d in document.directions.all()])
        documents[document.pk] = copy
    for commitment in programme.commitments.all():
        _saved(Commitment(programme=following, title=commitment.title, url=commitment.url), by)
    indicators = Indicator.objects.filter(focus_area__programme=programme)
    for indicator in indicators.prefetch_related("targets"):
        copy = _saved(
            Indicator(
                focus_area=areas[indicator.focus_area_id],
                carried_from=indicator,
                **{key: getattr(indicator, key) for key in COPIED_INDICATOR_FIELDS},
            ),
            by,
        )
        # The targets still ahead when the edition takes effect (a 2030 target goes on
        # applying), set by the copy of the same document.
        for target in indicator.targets.all():
            if target.year >= valid_from.year:
                _saved(
                    IndicatorTarget(
                        indicator=copy,
                        document=documents.get(target.document_id),
                        **{key: getattr(target, key) for key in COPIED_TARGET_FIELDS},
                    ),
                    by,
                )
    return following


@dataclass
class AreaMapping:
    """One focus area of the earlier edition and what became of it."""

    area: FocusArea
    successors: list = field(default_factory=list)
    kind: str = ""

    KINDS = {
        "same": _("continues"),
        "split": _("split"),
        "merged": _("merged"),
        "ended": _("ended"),
        "unmapped": _("not mapped yet"),
    }

    @property
    def kind_label(self) -> str:
        return str(self.KINDS[self.kind])


def continued_areas(focus_area: FocusArea) -> list[int]:
    """The ids of the focus area and of every area of earlier editions it continues (the
    same area, or those split from or merged into it, edition by edition back): what was
    reported on it before it had its present edition."""
    return continued_areas_of([focus_area])[focus_area.pk]


def continued_areas_of(areas) -> dict[int, list[int]]:
    """continued_areas of each focus area, by its id: one query for every link."""
    previous = {}
    for successor, before in FocusAreaLink.objects.filter(successor__isnull=False).values_list(
        "successor", "previous"
    ):
        previous.setdefault(successor, set()).add(before)
    continued = {}
    for area in areas:
        found, frontier = {area.pk}, {area.pk}
        while frontier:
            frontier = {pk for each in frontier for pk in previous.get(each, ())} - found
            found |= frontier
        continued[area.pk] = sorted(found)
    return continued


def edition_mapping(programme: Programme) -> list[AreaMapping]:
    """How the previous edition's focus areas map onto ``programme``'s. Two queries."""
    if not programme.previous_id:
        return []
    links = list(
        FocusAreaLink.objects.filter(previous__programme=programme.previous_id)
        .filter(Q(successor__isnull=True) | Q(successor__programme=programme))
        .select_related("successor")
    )
    predecessors = {}
    for link in links:
        if link.successor_id:
            predecessors.setdefault(link.successor_id, set()).add(link.previous_id)
    mappings = []
    for area in FocusArea.objects.filter(programme=programme.previous_id).order_by("sort_key"):
        own = [link for link in links if link.previous_id == area.pk]
        successors = [link.successor for link in own if link.successor_id]
        if not own:
            kind = "unmapped"
        elif not successors:
            kind = "ended"
        elif len(successors) > 1:
            kind = "split"
        elif len(predecessors[successors[0].pk]) > 1:
            kind = "merged"
        else:
            kind = "same"
        mappings.append(AreaMapping(area=area, successors=successors, kind=kind))
    return mappings
