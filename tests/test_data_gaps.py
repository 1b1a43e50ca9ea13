"""The data-quality panel points each gap to someone who can fix it (issue 20): the
strategist is sent to the responsibilities grid, and told that an administrator fills in
the rest; an administrator gets links into the administration."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def panel(client, user):
    client.force_login(user)
    page = client.get(reverse("programme:overview")).content.decode()
    return page.split('id="completeness-heading"')[1].split("</section>")[0]


def test_a_strategist_is_sent_where_they_can_fix_it_and_told_who_fixes_the_rest(client, strategist):
    shown = panel(client, strategist)
    assert f'href="{reverse("programme:responsibilities")}"' in shown
    assert "En administratör fyller i det, i administrationen." in shown
    assert "/admin/" not in shown  # no link to a door that is closed to them
    assert "via administrationen" not in shown


def test_an_administrator_gets_links_into_the_administration(client, administrator):
    shown = panel(client, administrator)
    assert f'href="{reverse("admin:programme_focusarea_changelist")}"' in shown
    assert f'href="{reverse("admin:auth_user_changelist")}"' in shown
