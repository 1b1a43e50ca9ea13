"""Forms and rows are rendered by Django's and crispy's templates and the project's own,
so that overriding one of them changes the page (nothing renders them again in Python)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def rendered(response) -> set[str]:
    return {template.name for template in response.templates}


def test_the_contribution_form_is_rendered_by_django_s_and_crispy_s_templates(
    client, reporter_a, contribution_a
):
    client.force_login(reporter_a)
    url = reverse("reporting:contribution-edit", args=[contribution_a.pk])
    response = client.get(f"{url}?nya=1")  # with a new action: its boxes and its select
    assert {
        "bootstrap5/field.html",
        "django/forms/widgets/textarea.html",
        "django/forms/widgets/select.html",
        "reporting/widgets/form_check_option.html",  # an action's boxes, each by its widget
        "django/forms/widgets/attrs.html",
    } <= rendered(response)


def test_the_matrix_is_rendered_by_its_template(client, strategist, cycle):
    client.force_login(strategist)
    response = client.get(reverse("reporting:cycle-matrix", args=[cycle.pk]))
    assert {"reporting/cycle_matrix.html", "reporting/_state.html"} <= rendered(response)
