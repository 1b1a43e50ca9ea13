"""What an administrator reads in the admin: Django's own words where the project's would
collide with them, the project's messages in Swedish, numbers as typed."""

import re
from decimal import Decimal

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from tests.factories import page_text

pytestmark = pytest.mark.django_db


def test_the_admin_index_says_andra_and_the_language_button_says_byt(client, administrator):
    """The language switch's "Change" has a context of its own, so Django's admin keeps its
    "Ändra" on every row of the index."""
    client.force_login(administrator)
    page = client.get(reverse("admin:index")).content.decode()
    assert ">Ändra</a>" in page
    assert ">Byt</a>" not in page
    footer = client.get("/").content.decode()
    assert ">Byt</button>" in footer


@pytest.fixture
def target():
    from programme.models import Indicator, IndicatorTarget

    return IndicatorTarget.objects.create(
        indicator=Indicator.objects.get(external_id="N45925"),
        year=2030,
        value=Decimal("425"),
        direction=IndicatorTarget.Direction.AT_LEAST,
    )


def test_a_targets_at_least_or_at_most_is_its_riktning_not_the_programmes_viljeinriktning(
    client, administrator, target
):
    client.force_login(administrator)
    pages = [
        client.get(reverse("admin:programme_indicatortarget_changelist")),
        client.get(reverse("admin:programme_indicatortarget_change", args=[target.pk])),
        client.get(reverse("admin:programme_indicator_change", args=[target.indicator_id])),
    ]
    for response in pages:
        page = response.content.decode()
        assert "Riktning" in page, response.request["PATH_INFO"]
        # (the menu's "Viljeinriktningar" is the programme's directions)
        assert not re.search("Viljeinriktning(?!ar)", page), response.request["PATH_INFO"]


def test_a_programme_ending_before_it_starts_is_refused_with_what_to_do(client, administrator):
    from programme.models import Programme

    programme = Programme.objects.of_installation().first()
    client.force_login(administrator)
    url = reverse("admin:programme_programme_change", args=[programme.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in model_to_dict(programme, fields=list(form.fields)).items()
        if value is not None and name != "logo"
    }
    data |= {"valid_from": "2030-01-01", "valid_until": programme.valid_until.isoformat()}
    response = client.post(url, data)
    assert response.status_code == 200
    errors = " ".join(str(e) for e in response.context["adminform"].form.non_field_errors())
    assert "överträds" not in errors
    assert "Utgåvan kan inte upphöra innan den börjar gälla" in errors
    assert "sätt ”Gäller till och med” till samma dag som ”Gäller från” eller senare" in errors


def test_every_constraint_of_the_admins_models_says_what_to_do_in_swedish():
    """Django's own message for a broken constraint names the constraint
    ("Begränsningen … överträds"); each constraint of a model the admin edits says instead
    what is wrong and what to do."""
    from django.contrib import admin
    from django.db.models import BaseConstraint

    default = BaseConstraint.default_violation_error_message
    missing = [
        f"{model.__name__}.{constraint.name}"
        for model in admin.site._registry
        if model._meta.app_label == "programme"
        for constraint in model._meta.constraints
        if constraint.violation_error_message == default
    ]
    assert missing == []


@pytest.mark.parametrize("name", ["Miljönämnden", "miljönämnden ", "MILJÖNÄMNDEN"])
def test_an_organisation_of_a_name_the_municipality_has_in_any_case_is_refused(
    client, administrator, name
):
    from programme.models import Organisation

    existing = Organisation.objects.get(name="Miljönämnden")
    client.force_login(administrator)
    response = client.post(
        reverse("admin:programme_organisation_add"),
        {
            "name": name,
            "short_name": "",
            "kind": "nämnd",
            "municipality": existing.municipality_id,
            "served_by": "",
            "part_of": "",
            "active": "on",
            "responsibilities-TOTAL_FORMS": "0",
            "responsibilities-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "Kommunen har redan en organisation med det namnet." in str(errors)
    names = Organisation.objects.values_list("name", flat=True)
    assert [n for n in names if n.casefold() == "miljönämnden"] == ["Miljönämnden"]


def test_decimals_show_as_typed_in_the_lists_and_forms(client, administrator, target):
    from programme.models import IndicatorValue, Municipality

    value = IndicatorValue.objects.create(
        indicator=target.indicator,
        municipality=Municipality.objects.get(code="1283"),
        year=2024,
        value=Decimal("425.5"),
    )
    tiny = IndicatorValue.objects.create(
        indicator=target.indicator,
        municipality=Municipality.objects.get(code="1283"),
        year=2023,
        value=Decimal("0.000000001"),
    )
    client.force_login(administrator)
    lists = {
        "admin:programme_indicatortarget_changelist": ["425"],
        "admin:programme_indicatorvalue_changelist": ["425,5", "0,000000001"],
    }
    for name, shown in lists.items():
        page = client.get(reverse(name)).content.decode()
        assert "000000000000" not in page, name
        for number in shown:
            assert re.search(rf"<td class=\"field-value\w*\">{number}</td>", page), (name, number)
    forms = [
        (reverse("admin:programme_indicatortarget_change", args=[target.pk]), 'value="425"'),
        (reverse("admin:programme_indicator_change", args=[target.indicator_id]), 'value="425"'),
        (reverse("admin:programme_indicatorvalue_change", args=[value.pk]), 'value="425.5"'),
        (reverse("admin:programme_indicatorvalue_change", args=[tiny.pk]), 'value="0.000000001"'),
    ]
    for url, shown in forms:
        page = client.get(url).content.decode()
        assert "000000000000" not in page.replace(shown, ""), url
        assert shown in page, url


def test_a_decimal_is_written_without_padding_and_never_rounded():
    from programme.models import exact_text

    assert exact_text(Decimal("425.000000000000000000")) == "425"
    assert exact_text(Decimal("-0.500")) == "-0.5"
    assert exact_text(Decimal("0E-18")) == "0"
    assert exact_text(Decimal("1E+3")) == "1000"
    long = "12345678901234567890.123456789012345678"  # 38 digits, as PostgreSQL keeps it
    assert exact_text(Decimal(long + "0000")) == long


def test_a_kolada_id_not_like_koladas_says_what_it_should_look_like():
    from django.core.exceptions import ValidationError

    from programme.models import Indicator

    indicator = Indicator.objects.filter(external_id__gt="").first()
    indicator.external_id = "n401"
    with pytest.raises(ValidationError) as refused:
        indicator.full_clean()
    assert refused.value.message_dict["external_id"] == [
        "Skriv nyckeltalets kod som Kolada gör: en versal och fem siffror, till exempel N00401."
    ]


def test_an_administrator_opening_a_global_goals_delete_page_is_told_they_are_fixed(
    client, administrator
):
    from programme.models import Sdg

    client.force_login(administrator)
    for method, confirmed in ((client.get, {}), (client.post, {"post": "yes"})):
        response = method(reverse("admin:programme_sdg_delete", args=[15]), confirmed, follow=True)
        assert response.redirect_chain[-1][0] == reverse("admin:programme_sdg_change", args=[15])
        text = page_text(response)
        assert "Fråga en strateg" not in text
        assert "De globala målen är FN:s 17 mål och ligger fast: de kan inte raderas." in text, (
            text[:2000]
        )
    assert Sdg.objects.filter(number=15).exists()


def test_a_directions_new_number_is_refused_in_words_of_the_number(programme_data):
    """The direction has no code of its own: the user changed "Nummer", and the message
    speaks of the number, on that field."""
    from django.core.exceptions import ValidationError

    from programme.models import Direction

    direction = Direction.objects.get(number=3, code="")
    direction.number = 7
    with pytest.raises(ValidationError) as refused:
        direction.full_clean()
    (message,) = refused.value.message_dict["number"]
    assert message.endswith("så dess nummer kan inte bli 7."), message
    assert "kod kan inte" not in message
