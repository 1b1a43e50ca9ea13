"""Every admin page renders for an administrator, in Swedish, and keeps history."""

import re

import pytest
from django.contrib import admin
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from programme.models import Direction, FocusArea, GoverningDocument, Organisation, Responsibility
from tests.factories import form_fields, page_text

pytestmark = pytest.mark.django_db


def admin_urls(user):
    request = RequestFactory().get("/")
    request.user = user
    urls = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        if model_admin.has_add_permission(request):
            urls.append(reverse("admin:{}_{}_add".format(*info)))
        obj = model.objects.first()
        if obj is not None:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
            urls.append(reverse("admin:{}_{}_history".format(*info), args=[obj.pk]))
        if hasattr(model_admin, "import_action"):
            if model_admin.has_import_permission(request):  # the programme's: its own page
                urls.append(reverse("admin:{}_{}_import".format(*info)))
            urls.append(reverse("admin:{}_{}_export".format(*info)))
    return urls


def test_every_admin_page_renders(client, cast):
    Responsibility.objects.create(
        organisation=Organisation.objects.get(name="Miljönämnden"),
        focus_area=FocusArea.objects.get(code="2.1"),
    )
    client.force_login(cast["administrator"])
    urls = admin_urls(cast["administrator"])
    assert len(urls) > 40
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert '<html lang="sv"' in page, url
        # Django's yes/no icons say "True" or "False" in English to a screen reader.
        assert not re.search(r'alt="(True|False|None)"', page), url
    # Every section of the index is named in Swedish (django-axes's too).
    index = page_text(client.get(reverse("admin:index")))
    assert "Inloggningsspärr" in index and "Axes" not in index and "AXES" not in index


def test_reporters_cannot_enter_the_admin(client, reporter_a):
    client.force_login(reporter_a)
    response = client.get(reverse("admin:programme_focusarea_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_an_admin_change_is_kept_with_who_and_when(client, administrator):
    area = FocusArea.objects.get(code="3.1")
    original = area.description
    records_before = area.history.count()
    client.force_login(administrator)
    response = client.post(
        reverse("admin:programme_focusarea_change", args=[area.pk]),
        {
            "direction": area.direction_id,
            "code": "3.1",
            "title": "Öka tryggheten",
            "description": "Ny beskrivning",
            "sdgs": ["16"],
            "responsibilities-TOTAL_FORMS": "0",
            "responsibilities-INITIAL_FORMS": "0",
            "predecessor_links-TOTAL_FORMS": "0",
            "predecessor_links-INITIAL_FORMS": "0",
            "successor_links-TOTAL_FORMS": "0",
            "successor_links-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    latest = area.history.first()
    assert area.history.count() > records_before
    assert latest.history_user == administrator
    assert latest.description == "Ny beskrivning"
    # The text before the change is kept too.
    assert area.history.filter(description=original).exists()
    assert latest.history_date is not None
    assert [sdg.sdg.number for sdg in latest.sdgs.all()] == [16]
    # The history list says it in Swedish: who, what changed, how much of a long text
    # is left out of the line; no column of change reasons that says "None" everywhere.
    history = client.get(reverse("admin:programme_focusarea_history", args=[area.pk]))
    text = page_text(history)
    assert "Beskrivning:" in text and "Ny beskrivning" in text
    assert "tecken utelämnade]" in text and "chars]" not in text
    assert "None" not in text and "Anledning" not in text
    assert administrator.username in text


def test_two_tabs_cannot_silently_undo_each_others_changes(client, administrator):
    """Tab A and tab B open the same focus area; A changes the title and saves; B changes
    the description and saves: B is refused, keeps what it typed, and A's title stays.
    Saving B again, knowingly, replaces it."""
    area = FocusArea.objects.get(code="2.1")
    client.force_login(administrator)
    url = reverse("admin:programme_focusarea_change", args=[area.pk])
    tab_a = client.get(url).content.decode()
    tab_b = client.get(url).content.decode()
    response = client.post(url, form_fields(tab_a, "id=focusarea_form", title="Ny titel från A"))
    assert response.status_code == 302
    sent = form_fields(tab_b, "id=focusarea_form", description="Ny beskrivning från B")
    refused = client.post(url, sent)
    assert refused.status_code == 200
    assert "Någon har sparat det här sedan du öppnade sidan" in page_text(refused)
    assert "Ny beskrivning från B" in refused.content.decode()  # what B typed is kept
    area.refresh_from_db()
    assert area.title == "Ny titel från A" and area.description != "Ny beskrivning från B"
    again = form_fields(refused.content.decode(), "id=focusarea_form")
    assert client.post(url, again).status_code == 302
    area.refresh_from_db()
    assert area.description == "Ny beskrivning från B"


def test_organisations_that_are_in_use_are_retired_not_deleted(client, administrator, reporter_a):
    organisation = Organisation.objects.get(name="Miljönämnden")
    client.force_login(administrator)
    response = client.get(
        reverse("admin:programme_organisation_delete", args=[organisation.pk]), follow=True
    )
    assert "kan inte raderas. Avveckla organisationen i stället" in response.content.decode()
    assert Organisation.objects.filter(pk=organisation.pk).exists()
    # Deleting it among others from the list says the same, and deletes none of them.
    unused = Organisation.objects.create(name="Oanvänd nämnd", kind="nämnd")
    changelist = reverse("admin:programme_organisation_changelist")
    selected = {"action": "delete_selected", "_selected_action": [organisation.pk, unused.pk]}
    response = client.post(changelist, selected, follow=True)
    text = page_text(response)
    assert "Används (av användare eller ansvar) och raderas därför inte: Miljönämnden." in text
    assert "behörighet" not in text
    assert Organisation.objects.filter(pk__in=[organisation.pk, unused.pk]).count() == 2
    # An unused one alone is deleted as usual, after the confirmation page.
    response = client.post(changelist, {**selected, "_selected_action": [unused.pk]})
    assert "Nej, ta mig tillbaka" in page_text(response)  # Django's confirmation page
    response = client.post(
        reverse("admin:programme_organisation_changelist"),
        {"action": "retire", "_selected_action": [organisation.pk]},
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.active is False
    assert organisation.history.first().history_user == administrator


def test_retiring_an_organisation_needs_an_administrator_and_is_recorded(
    administrator, reporter_a, organisation_b
):
    from django.core.exceptions import PermissionDenied

    from programme.services import organisation_retire

    with pytest.raises(PermissionDenied):
        organisation_retire(organisation=organisation_b, by=reporter_a)
    organisation_b.refresh_from_db()
    assert organisation_b.active
    organisation_retire(organisation=organisation_b, by=administrator)
    organisation_b.refresh_from_db()
    assert not organisation_b.active
    assert organisation_b.history.latest().history_user == administrator


def test_admin_refuses_a_duplicate_focus_area_code_with_a_message(client, administrator):
    direction = FocusArea.objects.get(code="3.1").direction
    client.force_login(administrator)
    response = client.post(
        reverse("admin:programme_focusarea_add"),
        {
            "direction": direction.pk,
            "code": "3.1",
            "title": "Dubblett",
            "description": "",
            "responsibilities-TOTAL_FORMS": "0",
            "responsibilities-INITIAL_FORMS": "0",
            "predecessor_links-TOTAL_FORMS": "0",
            "predecessor_links-INITIAL_FORMS": "0",
            "successor_links-TOTAL_FORMS": "0",
            "successor_links-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Programmet har redan ett fokusområde med koden 3.1." in response.content.decode()
    assert FocusArea.objects.filter(code="3.1").count() == 1


def test_user_admin_shows_the_users_organisations(client, administrator, reporter_a):
    client.force_login(administrator)
    response = client.get(reverse("admin:auth_user_change", args=[reporter_a.pk]))
    page = response.content.decode()
    assert "Miljönämnden" in page
    assert "Medlemskap" in page
    assert 'alt="Nej"' in page  # the membership was not given by the city's sign-in


def test_yes_and_no_in_lists_are_said_in_swedish_and_still_sort(client, administrator):
    client.force_login(administrator)
    url = reverse("admin:programme_organisation_changelist")
    page = client.get(url).content.decode()
    assert 'alt="Ja"' in page and 'alt="True"' not in page
    assert 'class="sortable column-active' in page
    ordered = client.get(url, {"o": "5"}).content.decode()  # the fifth column: active
    assert 'class="sortable column-active sorted ascending' in ordered


def test_a_staff_member_who_may_only_view_cannot_retire_or_import(client, reporter_a):
    from django.contrib.auth.models import Permission

    reporter_a.is_staff = True
    reporter_a.save()
    reporter_a.user_permissions.add(
        Permission.objects.get(codename="administer"),
        Permission.objects.get(codename="view_organisation"),
        Permission.objects.get(codename="change_focusarea"),
    )
    organisation = Organisation.objects.get(name="Socialnämnden")
    client.force_login(reporter_a)
    client.post(
        reverse("admin:programme_organisation_changelist"),
        {"action": "retire", "_selected_action": [organisation.pk]},
    )
    organisation.refresh_from_db()
    assert organisation.active
    # Changing is not enough to import: an import also adds rows.
    assert client.get(reverse("admin:programme_focusarea_import")).status_code == 403


def test_an_organisation_cannot_serve_itself_or_loop(client, administrator):
    miljo = Organisation.objects.get(name="Miljönämnden")
    client.force_login(administrator)
    url = reverse("admin:programme_organisation_change", args=[miljo.pk])
    data = {
        "name": miljo.name,
        "short_name": "",
        "kind": "nämnd",
        "served_by": miljo.pk,
        "part_of": "",
        "active": "on",
        "responsibilities-TOTAL_FORMS": "0",
        "responsibilities-INITIAL_FORMS": "0",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Bara en förvaltning kan utföra arbete åt andra" in page or "sig själv" in page
    miljo.refresh_from_db()
    assert miljo.served_by is None


def test_the_export_page_names_the_fields_as_the_files_columns(client, administrator):
    client.force_login(administrator)
    text = page_text(client.get(reverse("admin:programme_programme_export")))
    assert "giltig_fran" in text and "Valid From" not in text and "Programme (" not in text


def test_admin_export_names_the_file_in_swedish(client, administrator):
    client.force_login(administrator)
    response = client.post(
        reverse("admin:programme_commitment_export"),
        {
            "format": "1",
            "resource": "0",
            "commitmentresource_title": "on",
            "commitmentresource_programme": "on",
            "commitmentresource_url": "on",
        },
    )
    assert 'filename="ataganden-' in response["Content-Disposition"]
    assert response["Content-Disposition"].endswith('.xlsx"')


def test_the_delete_page_lists_what_goes_in_swedish(client, administrator):
    direction = Direction.objects.first()
    document = GoverningDocument.objects.create(programme=direction.programme, title="Planen")
    document.directions.add(direction)
    client.force_login(administrator)
    url = reverse("admin:programme_governingdocument_delete", args=[document.pk])
    text = page_text(client.get(url))
    assert "Styrdokument: Planen" in text
    # Not Django's class names for the link rows ("GoverningDocument_directions object").
    assert "object (" not in text and "relation" not in text
    client.post(url, {"post": "yes"})
    assert not GoverningDocument.objects.filter(pk=document.pk).exists()
    assert direction in Direction.objects.all()


def test_two_tabs_cannot_silently_undo_each_others_changes_to_the_rows_below(client, administrator):
    """The rows edited on the same page (a focus area's responsibilities) count as the
    focus area's: a tab opened before another saved a change to them is refused too."""
    area = FocusArea.objects.get(code="2.1")
    responsibility = Responsibility.objects.create(
        organisation=Organisation.objects.get(name="Miljönämnden"),
        focus_area=area,
        role=Responsibility.Role.LEAD,
    )
    client.force_login(administrator)
    url = reverse("admin:programme_focusarea_change", args=[area.pk])
    tab_a = client.get(url).content.decode()
    tab_b = client.get(url).content.decode()
    role = {"responsibilities-0-role": "contributing"}
    assert client.post(url, form_fields(tab_a, "id=focusarea_form", **role)).status_code == 302
    responsibility.refresh_from_db()
    assert responsibility.role == Responsibility.Role.CONTRIBUTING
    role_back = {"responsibilities-0-role": "lead", "description": "Ny beskrivning från B"}
    refused = client.post(url, form_fields(tab_b, "id=focusarea_form", **role_back))
    assert refused.status_code == 200
    assert "Någon har sparat det här sedan du öppnade sidan" in page_text(refused)
    responsibility.refresh_from_db()
    area.refresh_from_db()
    assert responsibility.role == Responsibility.Role.CONTRIBUTING
    assert area.description != "Ny beskrivning från B"


def queries_of(client, url) -> int:
    """The queries of a page asked a second time (the first fills what is cached)."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def changing(name, administrator, reporter_a):
    """An object of the model ``name`` and a function that changes it, each change kept in
    its history: a global goal (no links), a focus area (its global goals), a governing
    document (its directions), a membership (its organisation)."""
    from programme.models import Membership, Sdg

    if name == "sdg":
        obj = Sdg.objects.get(number=1)
        edits = [lambda: None]
    elif name == "focusarea":
        obj = FocusArea.objects.order_by("pk").first()
        goals = list(Sdg.objects.order_by("number")[:2])
        edits = [lambda: obj.sdgs.set(goals[:1]), lambda: obj.sdgs.set(goals)]
    elif name == "governingdocument":
        obj = GoverningDocument.objects.create(
            title="Provplan", programme=FocusArea.objects.first().programme
        )
        directions = list(Direction.objects.order_by("pk")[:2])
        edits = [lambda: obj.directions.set(directions[:1]), lambda: obj.directions.set(directions)]
    else:
        obj = Membership.objects.get(user=reporter_a)
        organisations = [obj.organisation, Organisation.objects.exclude(pk=obj.organisation_id)[0]]

        def move(to):
            obj.organisation = to

        edits = [lambda: move(organisations[1]), lambda: move(organisations[0])]

    def change(times):
        for time in range(times):
            edits[time % len(edits)]()
            obj._history_user = administrator
            obj.save()

    return obj, change


@pytest.mark.parametrize("name", ["sdg", "focusarea", "governingdocument", "membership"])
def test_an_objects_history_costs_the_same_queries_whatever_its_length(
    client, administrator, reporter_a, name
):
    """Who made each change, the objects a change links to and the rows of its lists
    (a focus area's global goals) are read with the list of changes, not once per line
    (django-simple-history reads them for each line, and for a model without links to
    others its select_related() without names dropped the user it had just asked for)."""
    obj, change = changing(name, administrator, reporter_a)
    url = reverse(f"admin:programme_{name}_history", args=[obj.pk])
    client.force_login(administrator)
    change(2)
    before = queries_of(client, url)
    change(6)
    assert queries_of(client, url) == before
    said = {  # what changed is said, as django-simple-history says it
        "focusarea": "Globala mål: [1. Ingen fattigdom] → [1. Ingen fattigdom, 2. Ingen hunger]",
        "governingdocument": "Viljeinriktningar: [] → [",
        "membership": "Organisation: Miljönämnden → ",
    }
    assert said.get(name, "") in page_text(client.get(url))


def test_an_organisations_page_costs_the_same_queries_whatever_its_responsibilities(
    client, administrator
):
    """Each line of responsibilities offers the same focus areas: read once for the
    page, not once per line."""
    organisation = Organisation.objects.get(name="Miljönämnden")
    url = reverse("admin:programme_organisation_change", args=[organisation.pk])
    client.force_login(administrator)
    areas = list(FocusArea.objects.order_by("pk")[:6])
    Responsibility.objects.create(organisation=organisation, focus_area=areas[0])
    before = queries_of(client, url)
    for area in areas[1:]:
        Responsibility.objects.create(organisation=organisation, focus_area=area)
    assert queries_of(client, url) == before


def lines_of(name):
    """A page with lines below its form (a focus area's responsibilities, an indicator's
    targets), a function that gives it ``count`` lines, and the names they choose."""
    from programme.models import Indicator, IndicatorTarget

    if name == "focusarea":
        area = FocusArea.objects.get(code="2.1")
        organisations = list(Organisation.objects.order_by("name")[:12])

        def give(count):
            area.responsibilities.all().delete()
            for organisation in organisations[:count]:
                Responsibility.objects.create(organisation=organisation, focus_area=area)

        return area, give, [organisation.name for organisation in organisations]
    indicator = Indicator.objects.order_by("pk").first()
    documents = [
        GoverningDocument.objects.create(
            title=f"Plan {n}", programme=indicator.focus_area.programme
        )
        for n in range(12)
    ]

    def give(count):
        indicator.targets.all().delete()
        for year, document in enumerate(documents[:count], start=2030):
            IndicatorTarget.objects.create(
                indicator=indicator, value=1, year=year, document=document
            )

    return indicator, give, [document.title for document in documents]


@pytest.mark.parametrize("name", ["focusarea", "indicator"])
def test_a_page_with_lines_costs_the_same_queries_however_many_lines_it_has(
    name, client, administrator
):
    """Each responsibility line of a focus area's page, and each target of an indicator's,
    once asked the database for its chosen name, and each of the page's forms whether there
    are several editions; both are read once a page now."""
    obj, give, names = lines_of(name)
    url = reverse(f"admin:programme_{name}_change", args=[obj.pk])
    client.force_login(administrator)
    give(2)
    few = queries_of(client, url)
    give(12)
    many = queries_of(client, url)
    assert few == many
    assert many <= 60, f"{many} queries"
    page = client.get(url).content.decode()
    for chosen in names:  # each line still shows its choice
        assert f">{escape(chosen)}</option>" in page
