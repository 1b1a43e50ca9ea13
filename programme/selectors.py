"""Functions that read the programme's data."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .models import (
    Direction,
    FocusArea,
    FocusAreaLink,
    Indicator,
    Membership,
    Municipality,
    Organisation,
    Programme,
    Responsibility,
)
from .permissions import sees_unpublished_editions


def current_programme() -> Programme | None:
    """The programme in force today, or else the newest one."""
    return Programme.objects.current()


def current_programme_or_404() -> Programme:
    programme = current_programme()
    if programme is None:
        raise Http404(_("No programme has been loaded yet."))
    return programme


def programme_for_page(edition: str | None, user) -> Programme:
    """The edition a programme page shows: the one in force at the short addresses, the
    one named at /program/<edition>/…; an unpublished one only to the city's staff."""
    if edition is None:
        return current_programme_or_404()
    shown = _readable_editions(user).select_related("municipality", "owner")
    return get_object_or_404(shown, slug=edition)


def edition_holding(user, *, code: str | None = None, indicator: int | None = None):
    """The newest edition the user may read, other than the one in force, that has the
    focus area ``code`` or the active ``indicator``: where a short address of an earlier
    edition leads once another edition, which lacks it, has taken effect. One query."""
    current = current_programme()
    found = _readable_editions(user).exclude(pk=getattr(current, "pk", None))
    if code is not None:
        found = found.filter(focus_areas__code=code)
    if indicator is not None:
        found = found.filter(
            focus_areas__indicators__pk=indicator, focus_areas__indicators__active=True
        )
    return found.order_by("-valid_from").first()


def editions(user):
    """Every programme and edition the user may read, newest first."""
    return list(_readable_editions(user).order_by("-valid_from", "name"))


def _readable_editions(user):
    """An unpublished edition is for the city's staff only."""
    editions = Programme.objects.of_installation()
    if sees_unpublished_editions(user):
        return editions
    return editions.filter(published=True)


def directions_with_focus_areas(programme: Programme):
    focus_areas = FocusArea.objects.order_by("sort_key").prefetch_related("sdgs")
    return programme.directions.order_by("number").prefetch_related(
        "sdgs", Prefetch("focus_areas", queryset=focus_areas)
    )


def demo_data_present() -> bool:
    return Membership.objects.filter(is_demo=True).exists()


@dataclass
class Gap:
    """One kind of missing data, with the names of what lacks it, and where it is filled
    in: a page of the administration (``admin:…``), or the responsibilities grid, which the
    strategy department keeps too; or, for what no page fills in, ``how`` says who does."""

    title: str
    items: list[str]
    where: str = ""
    how: str = ""

    @property
    def by_administrators_only(self) -> bool:
        return self.where.startswith("admin:")


def programme_gaps(programme: Programme) -> list[Gap]:
    """What the programme's data still lacks, for the administrators' completeness panel."""
    focus_areas = programme.focus_areas.order_by("sort_key").annotate(
        sdg_count=Count("sdgs", distinct=True),
        responsible_count=Count(
            "responsibilities",
            filter=Q(responsibilities__organisation__active=True),
            distinct=True,
        ),
    )
    reporting = (
        Organisation.objects.of_programme(programme)
        .filter(active=True, kind__in=Organisation.REPORTING_KINDS)
        .annotate(
            member_count=Count("memberships", distinct=True),
            approver_count=Count(
                "memberships", filter=Q(memberships__role=Membership.Role.APPROVER), distinct=True
            ),
        )
    )
    directions = programme.directions.order_by("number").annotate(
        document_count=Count("governing_documents")
    )
    # The programme's own names for its levels, as the headings of a list.
    levels = {
        "focus_areas": capfirst(programme.levels.focus_areas),
        "directions": capfirst(programme.levels.directions),
    }
    gaps = [
        Gap(
            _("%(focus_areas)s without global goals") % levels,
            [str(area) for area in focus_areas if area.sdg_count == 0],
            "admin:programme_focusarea_changelist",
        ),
        Gap(
            _("%(focus_areas)s without a responsible organisation") % levels,
            [str(area) for area in focus_areas if area.responsible_count == 0],
            "programme:responsibilities",
        ),
        Gap(
            _("%(focus_areas)s without a description") % levels,
            [str(area) for area in focus_areas if not area.description.strip()],
            "admin:programme_focusarea_changelist",
        ),
        Gap(
            _("%(directions)s without governing documents") % levels,
            [str(direction) for direction in directions if direction.document_count == 0],
            "admin:programme_governingdocument_changelist",
        ),
        Gap(
            _("Committees and companies without users"),
            [org.name for org in reporting if org.member_count == 0],
            "admin:auth_user_changelist",
        ),
        Gap(
            _("Committees and companies without an approver"),
            [org.name for org in reporting if org.approver_count == 0],
            "admin:auth_user_changelist",
        ),
        Gap(
            _("Committees without an administration (förvaltning)"),
            [
                org.name
                for org in reporting
                if org.kind == Organisation.Kind.COMMITTEE and org.served_by_id is None
            ],
            "admin:programme_organisation_changelist",
        ),
    ]
    if not settings.MUNICIPALITY:
        gaps.append(other_municipalities_gap(programme))
    return [gap for gap in gaps if gap.items]


def other_municipalities_gap(programme: Programme) -> Gap:
    """Programmes of other municipalities in the database, while no setting says which one
    the installation serves: it serves the programme in force's, which a new programme
    elsewhere could change."""
    others = Municipality.objects.filter(
        pk__in=Programme.objects.exclude(municipality=None).values("municipality")
    ).exclude(pk=programme.municipality_id)
    return Gap(
        _("Programmes of other municipalities in the database"),
        [str(municipality) for municipality in others],
        how=_(
            "This installation serves %(municipality)s because its programme is in force: "
            "the setting MUNICIPALITY is not set. A server administrator sets it to the "
            "municipality's code, so that no other programme can take its place."
        )
        % {"municipality": programme.municipality or programme},
    )


def organisations_with_responsibilities(programme: Programme | None):
    responsibilities = Responsibility.objects.select_related("focus_area").order_by(
        "focus_area__sort_key"
    )
    if programme is not None:
        responsibilities = responsibilities.filter(focus_area__programme=programme)
    organisations = Organisation.objects.of_installation()
    if programme is not None:
        organisations = Organisation.objects.of_programme(programme)
    return organisations.select_related("served_by", "part_of").prefetch_related(
        Prefetch("responsibilities", queryset=responsibilities)
    )


def focus_area_for_page(programme: Programme, code: str) -> FocusArea:
    focus_areas = FocusArea.objects.select_related("direction").prefetch_related(
        "sdgs",
        Prefetch(
            "responsibilities",
            # The lead organisations first ("lead" after "contributing" as text).
            queryset=Responsibility.objects.select_related("organisation").order_by(
                "-role", "organisation__name"
            ),
        ),
        "direction__governing_documents",
    )
    try:
        found = focus_areas.get(programme=programme, code=code)
    except FocusArea.DoesNotExist:
        raise Http404(_("There is no focus area with that code.")) from None
    found.programme = programme  # known: no query when the page names its level
    return found


def indicator_for_page(programme: Programme, pk: int):
    """An active indicator of the programme in force, for its public statistics page."""
    try:
        return Indicator.objects.select_related("focus_area__direction").get(
            pk=pk, active=True, focus_area__programme=programme
        )
    except Indicator.DoesNotExist:
        raise Http404(_("There is no such indicator.")) from None


def direction_for_page(programme: Programme, number: int) -> Direction:
    try:
        return (
            directions_with_focus_areas(programme)
            .prefetch_related("governing_documents")
            .get(number=number)
        )
    except Direction.DoesNotExist:
        raise Http404(_("There is no direction with that number.")) from None


@dataclass
class ResponsibilityGrid:
    """Organisations × focus areas with each cell's role ("" for none)."""

    organisations: list
    focus_areas: list
    roles: dict  # (organisation id, focus area id) → role

    def rows(self):
        for organisation in self.organisations:
            yield (
                organisation,
                [
                    (area, self.roles.get((organisation.pk, area.pk), ""))
                    for area in self.focus_areas
                ],
            )

    def counts(self):
        """Per focus area: how many lead and contribute."""
        return [
            (
                area,
                sum(1 for (o, a), r in self.roles.items() if a == area.pk and r == "lead"),
                sum(1 for (o, a), r in self.roles.items() if a == area.pk and r == "contributing"),
            )
            for area in self.focus_areas
        ]

    def cell_names(self, cells) -> list[str]:
        organisations = {o.pk: o.name for o in self.organisations}
        areas = {a.pk: a.code for a in self.focus_areas}
        return [f"{organisations.get(o, o)} – {areas.get(a, a)}" for o, a in cells]


def responsibility_grid(programme: Programme) -> ResponsibilityGrid:
    """Three queries, whatever the number of organisations and focus areas."""
    return ResponsibilityGrid(
        organisations=list(
            Organisation.objects.of_programme(programme)
            .reporting()
            .filter(active=True)
            .order_by("kind", "name")
        ),
        focus_areas=list(programme.focus_areas.order_by("sort_key")),
        roles={
            (r.organisation_id, r.focus_area_id): r.role
            for r in Responsibility.objects.filter(focus_area__programme=programme)
        },
    )


def documents_with_latest_follow_up(programme) -> list:
    """Governing documents, each with `.latest` (its newest follow-up or None): 2 queries."""
    from .models import DocumentFollowUp

    documents = list(programme.governing_documents.prefetch_related("directions"))
    latest = {}
    for follow_up in DocumentFollowUp.objects.filter(document__programme=programme).select_related(
        "entered_by"
    ):
        latest.setdefault(follow_up.document_id, follow_up)  # ordered newest first
    for document in documents:
        document.latest = latest.get(document.pk)
    return documents


def edition_links(focus_area: FocusArea, user) -> dict:
    """What a focus area continues from in the previous edition and what it became in the
    next, in the editions the user may read; and whether it ends with its edition. Two
    queries."""
    readable = _readable_editions(user)
    came_from = FocusArea.objects.filter(
        successor_links__successor=focus_area, programme__in=readable
    ).select_related("programme")
    links = list(
        FocusAreaLink.objects.filter(previous=focus_area)
        .filter(Q(successor__isnull=True) | Q(successor__programme__in=readable))
        .select_related("successor__programme")
    )
    return {
        "came_from": list(came_from.order_by("sort_key")),
        "became": sorted(
            (link.successor for link in links if link.successor_id), key=lambda a: a.sort_key
        ),
        "ends": any(link.successor_id is None for link in links),
    }
