"""The city's sign-in in Chromium: the login page with both ways in passes axe-core, and
a user signs in at the real test provider (tests/oidc_provider/) and lands logged in."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_signing_in_with_the_city_account_in_a_browser(
    page, check_accessibility, city_sign_in, programme_data, settings
):
    from django.contrib.auth import get_user_model

    from livskvalitet.accounts.models import SignInMapping
    from programme.models import Organisation

    SignInMapping.objects.create(
        claim_value="lk-miljo", organisation=Organisation.objects.get(name="Miljönämnden")
    )
    city_sign_in.user("hanna.webb", "lk-miljo")
    page.goto("/konto/logga-in/")
    check_accessibility(page)  # both ways in: the city's account and the password form
    settings.LOCAL_LOGIN = False
    page.goto("/konto/logga-in/")
    assert page.get_by_label("Lösenord").count() == 0
    check_accessibility(page)
    page.get_by_role("link", name="Logga in med kommunens konto").click()
    page.wait_for_url(f"{city_sign_in.url}/login/**")
    page.get_by_label("Username").fill("hanna.webb")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()
    page.goto("/mina-uppgifter/")
    assert page.url.endswith("/mina-uppgifter/")
    user = get_user_model().objects.get(username="hanna.webb")
    assert user.memberships.get().organisation.name == "Miljönämnden"
    # Logging out goes through the provider's end-session endpoint and back.
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url("**/konto/logga-in/")
    page.get_by_role("link", name="Logga in med kommunens konto").click()
    page.wait_for_url(f"{city_sign_in.url}/login/**")  # the provider asks again
