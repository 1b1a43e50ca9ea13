"""Editions and other programmes without code changes (issue 13).

The next edition is made from the current one and mapped; indicators and previous answers
follow the mapping; the earlier edition's report is the same before and after; pages name
the edition where it matters. (Another city's programme: tests/test_two_municipalities.py.)
"""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from pypdf import PdfReader

from programme.editions import edition_create_next, edition_mapping
from programme.indicators import indicator_views_by_area, programme_indicator_views
from programme.models import (
    Commitment,
    FocusArea,
    FocusAreaLink,
    GoverningDocument,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    Municipality,
    Organisation,
    Programme,
    Responsibility,
)
from reporting import selectors, services
from reporting.models import Cycle
from reporting.report import pdf
from reporting.report.compile import report_request
from reporting.report.data import report_data
from tests.factories import approve, page_text, report_of

pytestmark = pytest.mark.django_db


def next_edition(administrator, **changes):
    old = Programme.objects.get(edition="2025–2027")
    arguments = {
        "programme": old,
        "edition": "2028–2031",
        "valid_from": datetime.date(2028, 1, 1),
        "valid_until": datetime.date(2031, 12, 31),
        "by": administrator,
        **changes,
    }
    return edition_create_next(**arguments)


def structure(programme):
    """What an edition holds, as comparable values."""
    areas = FocusArea.objects.filter(programme=programme).order_by("code")
    return {
        "directions": list(programme.directions.values_list("number", "title", "ambition")),
        "areas": [(a.code, a.title, a.description, a.direction.number) for a in areas],
        "sdgs": [(a.code, sorted(a.sdgs.values_list("number", flat=True))) for a in areas],
        "responsibilities": sorted(
            Responsibility.objects.filter(focus_area__programme=programme).values_list(
                "organisation_id", "focus_area__code", "role"
            )
        ),
        "documents": sorted(
            GoverningDocument.objects.filter(programme=programme).values_list("title", "url")
        ),
        "commitments": sorted(Commitment.objects.filter(programme=programme).values_list("title")),
        "indicators": sorted(
            Indicator.objects.filter(focus_area__programme=programme).values_list(
                "focus_area__code", "title", "external_id", "better", "decimals", "active"
            )
        ),
    }


def test_the_next_edition_copies_the_structure_and_maps_each_focus_area(administrator):
    old = Programme.objects.get(edition="2025–2027")
    Responsibility.objects.create(
        organisation=Organisation.objects.get(name="Miljönämnden"),
        focus_area=FocusArea.objects.get(programme=old, code="2.1"),
        role=Responsibility.Role.LEAD,
    )
    # A target still ahead when the new edition takes effect goes on; one passed does not.
    carried = Indicator.objects.filter(focus_area__programme=old).first()
    document = GoverningDocument.objects.filter(programme=old).first()
    for year in (2026, 2030):
        IndicatorTarget.objects.create(
            indicator=carried, value=Decimal("40"), year=year, direction="at_most",
            document=document,
        )  # fmt: skip
    before = structure(old)
    new = next_edition(administrator)

    assert new.previous == old and new.slug == "2028-2031"
    assert (new.name, new.owner, new.municipality) == (old.name, old.owner, old.municipality)
    assert structure(new) == before  # copied whole
    assert structure(old) == before  # and the original left as it was
    assert len(before["commitments"]) == 24 and len(before["areas"]) == 13
    mapping = edition_mapping(new)
    assert [(m.area.code, [a.code for a in m.successors], m.kind) for m in mapping] == [
        (code, [code], "same") for code, *_ in before["areas"]
    ]
    for indicator in Indicator.objects.filter(focus_area__programme=new):
        assert indicator.carried_from.focus_area.programme == old
        assert indicator.carried_from.title == indicator.title
    (target,) = IndicatorTarget.objects.filter(indicator__carried_from=carried)
    assert (target.year, target.value, target.direction) == (2030, Decimal("40"), "at_most")
    assert target.document.programme == new and target.document.title == document.title
    # Who made it is kept, as for every structure change.
    assert new.history.first().history_user == administrator


def test_only_an_administrator_makes_an_edition_and_bad_input_changes_nothing(
    administrator, strategist
):
    with pytest.raises(PermissionDenied):
        next_edition(strategist)
    with pytest.raises(ValidationError, match="efter att den som den följer på upphör"):
        next_edition(administrator, valid_from=datetime.date(2026, 6, 1))  # overlaps
    with pytest.raises(ValidationError):
        next_edition(administrator, edition="2025–2027")  # taken
    with pytest.raises(ValidationError):
        next_edition(administrator, edition="2025-2027")  # its address is taken
    assert Programme.objects.count() == 1
    assert not FocusAreaLink.objects.exists()
    new = next_edition(administrator)
    with pytest.raises(ValidationError, match="har redan en nästa utgåva"):
        next_edition(administrator, edition="2028–2032")
    assert Programme.objects.count() == 2
    # Nor can editions be made to follow each other round in a circle.
    old = new.previous
    old.previous = new
    with pytest.raises(ValidationError, match="kan inte följa på varandra i en cirkel"):
        old.full_clean()
    # Nor can an edition be made to run on into the one that follows it.
    old.refresh_from_db()
    old.valid_until = datetime.date(2028, 6, 30)
    with pytest.raises(ValidationError, match="upphör innan den som följer på den"):
        old.full_clean()
    old.valid_until = new.valid_from - datetime.timedelta(days=1)
    old.full_clean()


def test_mappings_and_carried_indicators_stay_within_following_editions(administrator):
    new = next_edition(administrator)
    old_21 = FocusArea.objects.get(programme=new.previous, code="2.1")
    link = FocusAreaLink.objects.get(previous=old_21)
    ended = FocusAreaLink(previous=old_21, successor=None)
    with pytest.raises(ValidationError, match="kan inte också upphöra"):
        ended.full_clean()
    link.delete()
    ended.full_clean()
    ended.save()
    again = FocusAreaLink(
        previous=old_21, successor=FocusArea.objects.get(programme=new, code="2.1")
    )
    with pytest.raises(ValidationError, match="markerat som upphört"):
        again.full_clean()
    carried = Indicator.objects.filter(focus_area__programme=new).first()
    carried.carried_from = Indicator.objects.filter(focus_area__programme=new).last()
    with pytest.raises(ValidationError, match="föregående utgåvans indikatorer"):
        carried.full_clean()


def test_a_next_edition_is_for_the_citys_staff_until_it_is_published(
    client, administrator, reporter_a
):
    new = next_edition(administrator)
    assert not new.published
    assert client.get("/program/2028-2031/").status_code == 404
    assert client.get("/program/2028-2031/fokusomraden/2.1/").status_code == 404
    assert "2028–2031" not in page_text(client.get("/"))
    client.force_login(reporter_a)
    page = client.get("/program/2028-2031/")
    assert page.status_code == 200
    assert "förbereds och är inte publicerad" in page_text(page)
    assert "2028–2031" in page_text(client.get("/"))  # listed among the editions
    client.logout()
    Programme.objects.filter(pk=new.pk).update(published=True)
    page = client.get("/program/2028-2031/")
    assert page.status_code == 200
    assert "som börjar gälla 1 januari 2028" in page_text(page)


def test_the_public_insatser_of_a_focus_area_name_no_unpublished_edition(client, administrator):
    new = next_edition(administrator)
    FocusArea.objects.filter(programme=new, code="2.1").update(title="Ny titel under arbete")
    page = page_text(client.get(reverse("reporting:published-actions", args=["2.1"])))
    assert "Minimera klimatpåverkan" in page
    assert "Ny titel under arbete" not in page
    Programme.objects.filter(pk=new.pk).update(published=True)
    page = page_text(client.get(reverse("reporting:published-actions", args=["2.1"])))
    assert "Ny titel under arbete" in page


def test_split_merged_and_ended_areas_and_indicator_values_across_editions(administrator):
    new = next_edition(administrator)
    old_area = {a.code: a for a in FocusArea.objects.filter(programme=new.previous)}
    new_area = {a.code: a for a in FocusArea.objects.filter(programme=new)}
    # 2.1 splits into 2.1 and a new 2.5; 4.2 merges into 4.1; 3.1 ends.
    area_25 = FocusArea.objects.create(
        direction=new_area["2.1"].direction, code="2.5", title="Klimatanpassning"
    )
    FocusAreaLink.objects.create(previous=old_area["2.1"], successor=area_25)
    FocusAreaLink.objects.filter(previous=old_area["4.2"]).update(successor=new_area["4.1"])
    FocusAreaLink.objects.filter(previous=old_area["3.1"]).update(successor=None)
    kinds = {m.area.code: m.kind for m in edition_mapping(new)}
    assert (kinds["2.1"], kinds["4.1"], kinds["4.2"], kinds["3.1"]) == (
        "split",
        "merged",
        "merged",
        "ended",
    )
    assert kinds["2.2"] == "same"
    # A link across editions that do not follow each other is refused.
    wrong = FocusAreaLink(previous=new_area["2.2"], successor=old_area["2.2"])
    with pytest.raises(ValidationError):
        wrong.full_clean()

    old_indicator = Indicator.objects.filter(focus_area=old_area["2.1"]).first()
    carried = Indicator.objects.get(carried_from=old_indicator)
    helsingborg = Municipality.objects.get(code="1283")
    for year, value in [(2024, "10"), (2026, "9"), (2027, "8")]:
        IndicatorValue.objects.create(
            indicator=old_indicator, municipality=helsingborg, year=year, value=Decimal(value)
        )
    for year, value in [(2027, "7.5"), (2029, "6")]:  # the newer edition's 2027 counts
        IndicatorValue.objects.create(
            indicator=carried, municipality=helsingborg, year=year, value=Decimal(value)
        )
    view = next(
        v
        for v in programme_indicator_views([new_area["2.1"]], new)[new_area["2.1"].pk]
        if v.indicator == carried
    )
    assert dict(view.series[0][1]) == {
        2024: Decimal("10"),
        2026: Decimal("9"),
        2027: Decimal("7.5"),
        2029: Decimal("6"),
    }
    assert view.trend.first_year == 2027 and view.trend.last_year == 2029  # across editions
    # The earlier edition's indicator shows what it always showed.
    old_view = next(
        v
        for v in indicator_views_by_area([old_area["2.1"]])[old_area["2.1"].pk]
        if v.indicator == old_indicator
    )
    assert dict(old_view.series[0][1]) == {2024: 10, 2026: 9, 2027: 8}


def open_cycle(programme, strategist, title, opens_on):
    cycle = Cycle.objects.create(
        programme=programme,
        title=title,
        first_year=opens_on.year - 1,
        last_year=opens_on.year,
        opens_on=opens_on,
        due_on=datetime.date(2099, 3, 31),
    )
    services.cycle_open(cycle=cycle, by=strategist)
    cycle.refresh_from_db()
    return cycle


def report_text(cycle) -> str:
    rendered = pdf.write_pdf(pdf.render_html(report_data(cycle)))
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(rendered.content)).pages)


def test_the_earlier_editions_report_is_the_same_after_the_next_edition_and_both_run(
    administrator, strategist, approver_a, django_capture_on_commit_callbacks
):
    old = Programme.objects.get(edition="2025–2027")
    cycle = open_cycle(old, strategist, "Uppföljning 2026", datetime.date(2026, 1, 15))
    approve(
        cycle.contributions.get(organisation=approver_a.memberships.get().organisation,
                                focus_area__code="2.1"),
        approver_a, strategist, done="Laddplatser vid alla förskolor.",
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        compiled = report_request(cycle=cycle, by=strategist)
    compiled.refresh_from_db()
    stored = compiled.pdf.open("rb").read()
    before_html = pdf.render_html(report_data(cycle), edition=True)
    before_text = report_text(cycle)
    assert "Laddplatser vid alla förskolor." in before_text

    new = next_edition(administrator)
    # The new edition is edited: renamed, an area removed, an indicator retitled.
    FocusArea.objects.filter(programme=new, code="2.1").update(title="Ett nytt namn")
    Responsibility.objects.filter(focus_area__programme=new, focus_area__code="5.3").delete()
    FocusAreaLink.objects.filter(successor__programme=new, successor__code="5.3").delete()
    Indicator.objects.filter(focus_area__programme=new, focus_area__code="5.3").delete()
    FocusArea.objects.filter(programme=new, code="5.3").delete()
    for indicator in Indicator.objects.filter(focus_area__programme=new):
        indicator.title = f"Omdöpt {indicator.pk}"
        indicator.save()

    cycle.refresh_from_db()
    assert pdf.render_html(report_data(cycle), edition=True) == before_html
    assert report_text(cycle) == before_text
    compiled.refresh_from_db()
    assert compiled.pdf.open("rb").read() == stored

    # A cycle in the new edition asks about its own focus areas and compiles its report.
    later = open_cycle(new, strategist, "Uppföljning 2029", datetime.date(2029, 1, 15))
    assert set(later.contributions.values_list("focus_area__programme", flat=True)) == {new.pk}
    assert not later.contributions.filter(focus_area__code="5.3").exists()
    assert later.contributions.filter(focus_area__title="Ett nytt namn").exists()
    text = report_text(later)
    assert "Livskvalitetsprogrammet 2028–2031" in " ".join(text.split())
    assert "Ett nytt namn" in text


def merged_and_asked(administrator, strategist, organisation):
    """The next edition, with the old 4.2 merged into its 4.1, and a cycle of it asking the
    organisation: the old 4.2, the cycle and its contribution on the new 4.1."""
    new = next_edition(administrator)
    old_42 = FocusArea.objects.get(programme__edition="2025–2027", code="4.2")
    new_41 = FocusArea.objects.get(programme=new, code="4.1")
    FocusAreaLink.objects.filter(previous=old_42).update(successor=new_41)  # merged into 4.1
    later = open_cycle(new, strategist, "Uppföljning 2029", datetime.date(2029, 1, 15))
    return old_42, later, later.contributions.get(organisation=organisation, focus_area=new_41)


def test_the_previous_answer_comes_from_the_mapped_area_of_the_previous_edition(
    client, administrator, strategist, approver_a
):
    old = Programme.objects.get(edition="2025–2027")
    organisation = approver_a.memberships.get().organisation
    cycle = open_cycle(old, strategist, "Uppföljning 2026", datetime.date(2026, 1, 15))
    approve(
        cycle.contributions.get(organisation=organisation, focus_area__code="4.2"),
        approver_a, strategist, done="Tidigare svar om 4.2.",
        actions=[{"title": "Läxhjälp", "status": "ongoing"}],
    )  # fmt: skip
    old_42, later, contribution = merged_and_asked(administrator, strategist, organisation)

    (previous,) = selectors.previous_contributions(contribution)
    assert previous.focus_area == old_42 and previous.done == "Tidigare svar om 4.2."
    client.force_login(approver_a)
    page = page_text(client.get(reverse("reporting:contribution-edit", args=[contribution.pk])))
    assert "Tidigare svar om 4.2." in page
    assert "Ert svar i Uppföljning 2026" in page
    assert "för 4.2 Förbättra människors livsmiljö i utgåvan 2025–2027" in page
    # The insats still going on is carried to the area 4.2 merged into (issue 22).
    assert [i.title for i in selectors.open_initiatives(contribution)] == ["Läxhjälp"]
    # An area that only continues itself finds nothing from another area.
    other = later.contributions.get(organisation=organisation, focus_area__code="2.2")
    assert selectors.previous_contributions(other) == []
    assert not selectors.open_initiatives(other).exists()


def test_a_split_areas_insats_is_offered_where_it_has_not_been_continued_yet(
    administrator, strategist, approver_a
):
    """The old 4.2 continues as the new 4.2 and also as the new 4.1 (a split): its ongoing
    insats is offered on both until one of them reports it; then it lives there."""
    old = Programme.objects.get(edition="2025–2027")
    organisation = approver_a.memberships.get().organisation
    cycle = open_cycle(old, strategist, "Uppföljning 2026", datetime.date(2026, 1, 15))
    approve(
        cycle.contributions.get(organisation=organisation, focus_area__code="4.2"),
        approver_a, strategist, actions=[{"title": "Läxhjälp", "status": "ongoing"}],
    )  # fmt: skip
    new = next_edition(administrator)
    old_42 = FocusArea.objects.get(programme=old, code="4.2")
    FocusAreaLink.objects.create(previous=old_42, successor=new.focus_areas.get(code="4.1"))
    later = open_cycle(new, strategist, "Uppföljning 2029", datetime.date(2029, 1, 15))
    on_41 = later.contributions.get(organisation=organisation, focus_area__code="4.1")
    on_42 = later.contributions.get(organisation=organisation, focus_area__code="4.2")
    (insats,) = selectors.open_initiatives(on_42)
    assert list(selectors.open_initiatives(on_41)) == [insats]

    approve(
        on_42, approver_a, strategist,
        actions=[{"title": "Läxhjälp", "status": "ongoing", "initiative": insats.pk}],
    )  # fmt: skip
    assert list(selectors.open_initiatives(on_42)) == [insats]
    assert not selectors.open_initiatives(on_41).exists()


def test_pages_name_the_edition_and_links_keep_their_meaning_when_a_new_one_takes_effect(
    client, administrator, strategist, reporter_a
):
    old = Programme.objects.get(edition="2025–2027")
    new = next_edition(administrator, name="Livskvalitetsprogrammet (ny)")
    Programme.objects.filter(pk=new.pk).update(published=True)
    FocusArea.objects.filter(programme=new, code="2.1").update(title="Nytt 2.1")
    cycle = open_cycle(old, strategist, "Uppföljning 2026", datetime.date(2026, 1, 15))
    contribution = cycle.contributions.get(
        organisation=reporter_a.memberships.get().organisation, focus_area__code="2.1"
    )

    # Today the 2025–2027 edition is in force: the short addresses show it (and say what
    # it continues as).
    short = page_text(client.get("/fokusomraden/2.1/"))
    assert "Nytt 2.1" not in short.split("Fortsätter som")[0]
    assert "Fortsätter som 2.1 Nytt 2.1" in short
    page = client.get("/program/2028-2031/")
    assert page.status_code == 200
    text = page_text(page)
    assert "som börjar gälla 1 januari 2028" in text
    assert 'href="/program/2028-2031/fokusomraden/2.1/"' in page.content.decode()
    assert "Nytt 2.1" in page_text(client.get("/program/2028-2031/fokusomraden/2.1/"))
    statistics = client.get("/program/2028-2031/statistik/")
    assert statistics.status_code == 200
    # Its downloads are that edition's open data (?edition=), not the edition in force's.
    main = statistics.content.decode().split("<main", 1)[1].split("</main>")[0]
    assert 'href="/api/v1/values.csv?edition=2028-2031"' in main
    area = client.get("/program/2028-2031/statistik/2.1/").content.decode()
    assert 'href="/api/v1/values.csv?edition=2028-2031&amp;focus_area=2.1"' in area
    indicator = Indicator.objects.filter(focus_area__programme=new, active=True).first()
    page = client.get(f"/program/2028-2031/statistik/indikatorer/{indicator.pk}/")
    csv_url = f"/api/v1/indicators/{indicator.pk}/values.csv?edition=2028-2031"
    assert f'href="{csv_url.replace("&", "&amp;")}"' in page.content.decode()
    assert client.get(csv_url).status_code == 200
    # In force, the same pages link the plain addresses.
    assert 'href="/api/v1/values.csv"' in client.get("/statistik/").content.decode()
    assert client.get("/program/2099-2100/").status_code == 404
    assert client.get("/program/2028-2031/fokusomraden/9.9/").status_code == 404
    client.force_login(reporter_a)
    form = client.get(reverse("reporting:contribution-edit", args=[contribution.pk]))
    assert 'href="/fokusomraden/2.1/"' in form.content.decode()

    # The new edition takes effect: the short addresses move to it, and what belongs to
    # the earlier edition links to that edition's own pages.
    Programme.objects.filter(pk=old.pk).update(valid_until=datetime.date(2026, 1, 1))
    Programme.objects.filter(pk=new.pk).update(valid_from=datetime.date(2026, 1, 2))
    assert "Nytt 2.1" in page_text(client.get("/fokusomraden/2.1/"))
    form = client.get(reverse("reporting:contribution-edit", args=[contribution.pk]))
    assert 'href="/program/2025-2027/fokusomraden/2.1/"' in form.content.decode()
    old_page = page_text(client.get("/program/2025-2027/fokusomraden/2.1/"))
    assert "Nytt 2.1" not in old_page.split("Fortsätter som")[0]
    assert "som gällde från 1 september 2025 till 1 januari 2026" in old_page


def test_the_admin_asks_before_it_makes_the_next_edition(client, administrator, strategist):
    old = Programme.objects.get(edition="2025–2027")
    url = reverse("admin:programme_programme_next_edition", args=[old.pk])
    client.force_login(strategist)
    assert client.get(url).status_code in (302, 403)
    client.force_login(administrator)
    change = client.get(reverse("admin:programme_programme_change", args=[old.pk]))
    assert url in change.content.decode()
    page = client.get(url)
    assert page.status_code == 200 and Programme.objects.count() == 1  # nothing yet
    assert "börjar som en kopia av den här" in page_text(page)
    refused = client.post(
        url, {"edition": "2028–2031", "name": "X", "valid_from": "2024-01-01",
              "valid_until": "2023-01-01"},
    )  # fmt: skip
    assert refused.status_code == 200 and Programme.objects.count() == 1
    assert "Utgåvan kan inte upphöra innan den börjar gälla." in page_text(refused)
    done = client.post(
        url, {"edition": "2028–2031", "name": "Livskvalitetsprogrammet",
              "valid_from": "2028-01-01", "valid_until": "2031-12-31"},
    )  # fmt: skip
    new = Programme.objects.get(edition="2028–2031")
    assert done.status_code == 302 and done["Location"].endswith(f"/{new.pk}/change/")
    mapping = page_text(client.get(done["Location"]))
    assert "2.1 Minimera klimatpåverkan och resursanvändningen → 2.1 Minimera" in mapping
    assert "(fortsätter)" in mapping
    # Once made, the earlier edition links to it and the page offers no second one.
    change = client.get(reverse("admin:programme_programme_change", args=[old.pk]))
    assert url not in change.content.decode()
    again = page_text(client.get(url))
    assert "2025–2027 har redan sin nästa utgåva: Livskvalitetsprogrammet 2028–2031 ." in again
    assert "Skapa nästa utgåva" not in again.replace("Skapa nästa utgåva av", "")


def test_the_mapping_is_edited_on_the_focus_area_in_the_admin(client, administrator):
    new = next_edition(administrator)
    old_42 = FocusArea.objects.get(programme=new.previous, code="4.2")
    new_41 = FocusArea.objects.get(programme=new, code="4.1")
    new_22 = FocusArea.objects.get(programme=new, code="2.2")
    client.force_login(administrator)
    url = reverse("admin:programme_focusarea_change", args=[new_41.pk])
    existing = FocusAreaLink.objects.get(successor=new_41)

    def post(previous):
        return client.post(
            url,
            {
                "direction": new_41.direction_id,
                "code": "4.1",
                "title": new_41.title,
                "description": new_41.description,
                "sdgs": [str(n) for n in new_41.sdgs.values_list("number", flat=True)],
                "responsibilities-TOTAL_FORMS": "0",
                "responsibilities-INITIAL_FORMS": "0",
                "predecessor_links-TOTAL_FORMS": "2",
                "predecessor_links-INITIAL_FORMS": "1",
                "predecessor_links-0-id": str(existing.pk),
                "predecessor_links-0-previous": str(existing.previous_id),
                "predecessor_links-0-successor": str(new_41.pk),
                "predecessor_links-1-previous": str(previous.pk),
                "predecessor_links-1-successor": str(new_41.pk),
                "successor_links-TOTAL_FORMS": "0",
                "successor_links-INITIAL_FORMS": "0",
            },
        )

    refused = post(new_22)  # an area of the same edition is no predecessor: not offered
    assert refused.status_code == 200
    assert "Välj ett giltigt alternativ" in page_text(refused)
    assert FocusAreaLink.objects.filter(successor=new_41).count() == 1
    FocusAreaLink.objects.filter(previous=old_42).delete()  # no longer its own area
    assert post(old_42).status_code == 302  # 4.2 merged into 4.1
    assert set(
        FocusAreaLink.objects.filter(successor=new_41).values_list("previous__code", flat=True)
    ) == {"4.1", "4.2"}
    assert {m.area.code: m.kind for m in edition_mapping(new)}["4.2"] == "merged"


def test_with_two_editions_the_admins_choices_name_the_edition(client, administrator):
    """Two editions' directions and focus areas have the same codes and titles: each
    choice names its edition, so that the administrator picks the one meant."""
    next_edition(administrator)
    client.force_login(administrator)
    area_form = client.get(reverse("admin:programme_focusarea_add")).content.decode()
    for edition in ("2025–2027", "2028–2031"):
        assert f"2. Vi vill ha ett långsiktigt ansvarstagande ({edition})</option>" in area_form
    indicator_form = client.get(reverse("admin:programme_indicator_add")).content.decode()
    assert "2.1 Minimera klimatpåverkan och resursanvändningen (2028–2031)</option>" in (
        indicator_form
    )


def test_a_taken_edition_name_is_a_form_error_not_a_crash(client, administrator):
    """Issue 24.4: the same name, or one with the same address (– and - alike), is said on
    the form; nothing is made."""
    old = Programme.objects.get(edition="2025–2027")
    url = reverse("admin:programme_programme_next_edition", args=[old.pk])
    client.force_login(administrator)
    for taken in ("2025–2027", "2025-2027"):
        refused = client.post(
            url, {"edition": taken, "name": "X", "valid_from": "2028-01-01",
                  "valid_until": "2031-12-31"},
        )  # fmt: skip
        assert refused.status_code == 200, taken
        assert "finns redan; välj ett annat namn" in page_text(refused)
    assert Programme.objects.count() == 1


def test_the_api_answers_for_the_edition_asked(client, administrator):
    """Issue 24.4: ?edition= (name or address) in the API and its CSV; an unknown or
    unpublished edition is not found, in words."""
    old = Programme.objects.get(edition="2025–2027")
    new = next_edition(administrator)
    FocusArea.objects.filter(programme=new, code="2.1").update(title="Nytt 2.1")
    current = client.get("/api/v1/focus-areas/2.1/").json()
    assert current["title"] != "Nytt 2.1"
    assert client.get("/api/v1/focus-areas/2.1/?edition=2028-2031").status_code == 404  # draft
    Programme.objects.filter(pk=new.pk).update(published=True)
    for asked in ("2028-2031", new.edition):
        shown = client.get("/api/v1/focus-areas/2.1/", {"edition": asked}).json()
        assert shown["title"] == "Nytt 2.1", asked
    csv = client.get("/api/v1/focus-areas.csv", {"edition": "2028-2031"}).content.decode()
    assert "Nytt 2.1" in csv
    assert old.edition.replace("–", "-") == "2025-2027"
    missing = client.get("/api/v1/indicators/", {"edition": "1999-2000"})
    assert missing.status_code == 404 and "1999-2000" in missing.json()["detail"]


def test_the_mapping_on_a_focus_areas_page_offers_the_neighbouring_edition_by_name(
    client, administrator
):
    """Issue 24.4: the choices name their edition, and only the neighbouring edition's
    focus areas are offered."""
    new = next_edition(administrator)
    old_area = FocusArea.objects.get(programme__edition="2025–2027", code="2.1")
    new_area = FocusArea.objects.get(programme=new, code="2.1")
    client.force_login(administrator)
    page = client.get(reverse("admin:programme_focusarea_change", args=[new_area.pk]))
    html = page.content.decode()
    assert f'<option value="{old_area.pk}">2.1 {old_area.title} (2025–2027)</option>' in html
    assert f"{new_area.title} (2028–2031)</option>" not in html
    page = client.get(reverse("admin:programme_focusarea_change", args=[old_area.pk]))
    html = page.content.decode()
    assert f'<option value="{new_area.pk}">2.1 {new_area.title} (2028–2031)</option>' in html
    # No focus area of its own edition (the direction's choices name theirs too).
    for area in FocusArea.objects.filter(programme=old_area.programme):
        assert f"{area.code} {area.title} (2025–2027)</option>" not in html


def test_a_mapping_within_one_edition_is_refused_by_the_model_too(administrator):
    new = next_edition(administrator)
    same = FocusAreaLink(
        previous=FocusArea.objects.get(programme=new, code="2.2"),
        successor=FocusArea.objects.get(programme=new, code="4.1"),
    )
    with pytest.raises(ValidationError) as refused:
        same.full_clean()
    assert "utgåvan närmast efter sin egen" in str(refused.value)


def test_a_focus_area_page_says_what_it_continues_from_and_became(client, administrator):
    """Issue 24.4, read by the public only in published editions."""
    new = next_edition(administrator)
    url_old, url_new = (
        "/program/2025-2027/fokusomraden/2.1/",
        "/program/2028-2031/fokusomraden/2.1/",
    )
    assert "Fortsätter som" not in page_text(client.get(url_old))  # the next one is a draft
    client.force_login(administrator)
    assert "Fortsätter som 2.1" in page_text(client.get(url_old))
    client.logout()
    Programme.objects.filter(pk=new.pk).update(published=True)
    old_page = client.get(url_old).content.decode()
    assert 'href="/program/2028-2031/fokusomraden/2.1/"' in old_page
    assert "Fortsätter från 2.1" in page_text(client.get(url_new))
    FocusAreaLink.objects.filter(previous__programme=new.previous, previous__code="5.3").update(
        successor=None
    )
    assert "Fokusområde 5.3 upphör med den här utgåvan." in page_text(
        client.get("/program/2025-2027/fokusomraden/5.3/")
    )


def test_a_split_is_set_on_the_add_form_of_the_new_focus_area(client, administrator):
    """Issue 24.4: a new focus area of the next edition continues one of the previous
    edition's that also continues as its own copy: a split, set where the area is added."""
    new = next_edition(administrator)
    old_41 = FocusArea.objects.get(programme=new.previous, code="4.1")
    client.force_login(administrator)
    url = reverse("admin:programme_focusarea_add")
    page = page_text(client.get(url))
    assert f"4.1 {old_41.title} (2025–2027)" in page  # labelled with its edition

    def add(code, previous):
        return client.post(
            url,
            {
                "programme": new.pk,
                "direction": new.directions.get(number=4).pk,
                "code": code,
                "title": "Ny del av 4.1",
                "description": "",
                "responsibilities-TOTAL_FORMS": "0",
                "responsibilities-INITIAL_FORMS": "0",
                "predecessor_links-TOTAL_FORMS": "1",
                "predecessor_links-INITIAL_FORMS": "0",
                "predecessor_links-0-previous": str(previous.pk),
                "successor_links-TOTAL_FORMS": "0",
                "successor_links-INITIAL_FORMS": "0",
            },
        )

    same_edition = FocusArea.objects.get(programme=new, code="4.1")
    refused = add("4.8", same_edition)  # not the previous edition's: said in words
    assert refused.status_code == 200
    assert "Välj ett giltigt alternativ" in page_text(refused)
    answer = add("4.9", old_41)
    assert answer.status_code == 302, re.findall(
        r"errorlist[^>]*>(.*?)</ul>", answer.content.decode(), re.S
    )
    added = FocusArea.objects.get(programme=new, code="4.9")
    assert set(
        FocusAreaLink.objects.filter(previous=old_41).values_list("successor__code", flat=True)
    ) == {"4.1", "4.9"}
    assert {m.area.code: m.kind for m in edition_mapping(new)}["4.1"] == "split"
    assert added.predecessor_links.get().previous == old_41


def test_the_apis_addresses_in_an_earlier_edition_answer_for_that_edition(client, administrator):
    """An answer for ?edition= links its focus areas and indicators within that edition:
    followed once another edition is in force, each address gives the same row, not the
    other edition's (or nothing)."""
    old = Programme.objects.get(edition="2025–2027")
    new = next_edition(administrator)
    FocusArea.objects.filter(programme=new, code="2.1").update(title="Nytt 2.1")
    Programme.objects.filter(pk=old.pk).update(valid_until=datetime.date(2026, 1, 1))
    Programme.objects.filter(pk=new.pk).update(valid_from=datetime.date(2026, 1, 2), published=True)
    areas = client.get("/api/v1/focus-areas/", {"edition": "2025-2027"}).json()["results"]
    (area,) = [area for area in areas if area["code"] == "2.1"]
    followed = client.get(area["url"])
    assert followed.status_code == 200
    assert followed.json()["title"] == area["title"] != "Nytt 2.1"
    indicators = client.get("/api/v1/indicators/", {"edition": "2025-2027"}).json()["results"]
    indicator = indicators[0]
    assert indicator["id"] in [i.pk for i in Indicator.objects.filter(focus_area__programme=old)]
    followed = client.get(indicator["url"])
    assert followed.status_code == 200 and followed.json()["id"] == indicator["id"]
    assert client.get(indicator["values_url"]).status_code == 200
    # The edition in force, asked for by no name, keeps the plain addresses.
    current = client.get("/api/v1/focus-areas/2.1/").json()
    assert current["title"] == "Nytt 2.1" and "edition" not in current["url"]


def test_an_earlier_editions_short_address_leads_to_that_edition_once_another_is_in_force(
    client, administrator
):
    """Once the next edition takes effect, a short address of a focus area, its statistics
    or an indicator the new edition no longer has (4.3 merged into 4.2) leads to the
    earlier edition's page, which says what became of it, instead of a dead end."""
    old = Programme.objects.get(edition="2025–2027")
    new = next_edition(administrator)
    old_43 = FocusArea.objects.get(programme=old, code="4.3")
    new_42 = FocusArea.objects.get(programme=new, code="4.2")
    new_43 = FocusArea.objects.get(programme=new, code="4.3")
    Indicator.objects.filter(focus_area=new_43).update(focus_area=new_42)
    FocusAreaLink.objects.filter(successor=new_43).update(successor=new_42)
    new_43.delete()
    indicator = Indicator.objects.filter(focus_area=old_43, active=True).first()
    Programme.objects.filter(pk=old.pk).update(valid_until=datetime.date(2026, 1, 1))
    Programme.objects.filter(pk=new.pk).update(valid_from=datetime.date(2026, 1, 2), published=True)
    for short, earlier in [
        ("/fokusomraden/4.3/", "/program/2025-2027/fokusomraden/4.3/"),
        ("/statistik/4.3/", "/program/2025-2027/statistik/4.3/"),
        (
            f"/statistik/indikatorer/{indicator.pk}/",
            f"/program/2025-2027/statistik/indikatorer/{indicator.pk}/",
        ),
    ]:
        answer = client.get(short)
        assert (answer.status_code, answer.get("Location")) == (302, earlier), short
    assert "Fortsätter som 4.2" in page_text(client.get("/program/2025-2027/fokusomraden/4.3/"))
    # What no edition has is still not found, and the edition in force keeps its own.
    assert client.get("/fokusomraden/9.9/").status_code == 404
    assert client.get("/fokusomraden/4.2/").status_code == 200
    # An unpublished edition is no way on for the public.
    Programme.objects.filter(pk=old.pk).update(published=False)
    assert client.get("/fokusomraden/4.3/").status_code == 404


def test_a_merged_or_split_focus_areas_public_insatser_are_those_of_the_areas_it_continues(
    client, administrator, strategist, approver_a
):
    """The public list of a focus area's insatser follows the mapping, as the contribution
    form does: an area merged from two lists both's published insatser, a new area split
    from another lists that one's, and an earlier edition's area keeps its own."""
    old = Programme.objects.get(edition="2025–2027")
    organisation = approver_a.memberships.get().organisation
    cycle = open_cycle(old, strategist, "Uppföljning 2026", datetime.date(2026, 1, 15))
    versions = []
    for code, title in [("4.2", "Gröna innergårdar"), ("4.3", "Konst i trapphus")]:
        contribution = cycle.contributions.get(organisation=organisation, focus_area__code=code)
        approve(
            contribution, approver_a, strategist, actions=[{"title": title, "status": "ongoing"}]
        )
        versions.append(contribution.versions.get(event="approved"))
    report_of(cycle, strategist, versions)
    new = next_edition(administrator)
    new_42 = FocusArea.objects.get(programme=new, code="4.2")
    new_43 = FocusArea.objects.get(programme=new, code="4.3")
    Indicator.objects.filter(focus_area=new_43).update(focus_area=new_42)
    FocusAreaLink.objects.filter(successor=new_43).update(successor=new_42)  # 4.3 into 4.2
    Responsibility.objects.filter(focus_area=new_43).delete()
    new_43.delete()
    split = FocusArea.objects.create(
        direction=new_42.direction, code="4.4", title="Kultur för alla"
    )  # split from 4.3
    FocusAreaLink.objects.create(
        previous=FocusArea.objects.get(programme=old, code="4.3"), successor=split
    )
    Programme.objects.filter(pk=new.pk).update(published=True)

    def listed(code):
        page = page_text(client.get(reverse("reporting:published-actions", args=[code])))
        return [title for title in ("Gröna innergårdar", "Konst i trapphus") if title in page]

    assert listed("4.2") == ["Gröna innergårdar", "Konst i trapphus"]
    assert listed("4.4") == ["Konst i trapphus"]
    assert listed("4.3") == ["Konst i trapphus"]  # the earlier edition's, which had it


@pytest.mark.parametrize("page", ["reporting:initiative-list", "reporting:review-queue"])
def test_the_strategists_filters_offer_each_code_once_by_its_newest_title(
    page, client, administrator, strategist
):
    """The register and the review queue filter by code, across editions: a code whose
    area was renamed in the next edition is one choice, named as the newest edition names
    it (it was two choices of the same value, one per title)."""
    new = next_edition(administrator)
    FocusArea.objects.filter(programme=new, code="2.1").update(title="Klimat och resurser")
    client.force_login(strategist)
    form = client.get(reverse(page)).content.decode()
    assert form.count('<option value="2.1"') == 1
    assert '<option value="2.1">2.1 Klimat och resurser</option>' in form


def test_an_area_merged_from_two_shows_the_previous_answer_on_each(
    client, administrator, strategist, approver_a
):
    """Where two areas of the previous edition were merged into one, the organisation's
    answers on both are its hints, each named by its area (the first code's alone was)."""
    old = Programme.objects.get(edition="2025–2027")
    organisation = approver_a.memberships.get().organisation
    cycle = open_cycle(old, strategist, "Uppföljning 2026", datetime.date(2026, 1, 15))
    for code in ("4.1", "4.2"):
        approve(
            cycle.contributions.get(organisation=organisation, focus_area__code=code),
            approver_a, strategist, done=f"Tidigare svar om {code}.",
            challenges=f"Utmaningar i {code}.",
            actions=[{"title": f"Insats i {code}", "status": "completed"}],
        )  # fmt: skip
    old_42, later, contribution = merged_and_asked(administrator, strategist, organisation)

    assert [p.focus_area.code for p in selectors.previous_contributions(contribution)] == [
        "4.1",
        "4.2",
    ]
    client.force_login(approver_a)
    page = page_text(client.get(reverse("reporting:contribution-edit", args=[contribution.pk])))
    for code in ("4.1", "4.2"):
        for text in (f"Tidigare svar om {code}.", f"Utmaningar i {code}.", f"Insats i {code}"):
            assert text in page
    # Each hint names its area: as many of 4.1's as of 4.2's.
    of_42 = page.count("för 4.2 Förbättra människors livsmiljö i utgåvan 2025–2027")
    assert of_42 >= 3 and page.count("i utgåvan 2025–2027") == 2 * of_42
