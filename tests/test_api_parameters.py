"""The open data API answers every parameter it cannot use as it answers any other: a
number of any length (Python's int() refuses a string of over 4,300 digits) finds what a
number of 4,299 digits finds, never a 500; every refusal is JSON and says what is allowed."""

import pytest
from django.urls import reverse

from programme.models import Indicator

pytestmark = pytest.mark.django_db

LONG = "9" * 4_299  # int() takes it
TOO_LONG = "9" * 4_400  # int() refuses it


def answer(client, url):
    response = client.get(url)
    assert response["Content-Type"].startswith("application/json") or url.count(".csv"), url
    return response.status_code, response.content


@pytest.mark.parametrize("name", ["page", "page_size", "year", "indicator"])
def test_a_number_of_any_length_is_answered_as_a_long_one(client, programme_data, settings, name):
    settings.OPEN_DATA_RATE = "off"
    indicator = Indicator.objects.first()
    urls = [reverse("api:value-list"), reverse("api:indicator-values", args=[indicator.pk])]
    if name.startswith("page"):
        urls += [reverse("api:action-list"), reverse("api:report-list")]
        urls += [reverse("api:value-list-csv")]
    for url in urls:
        expected = answer(client, f"{url}?{name}={LONG}")
        assert expected[0] in (200, 400, 404), (url, name)
        assert answer(client, f"{url}?{name}={TOO_LONG}") == expected, (url, name)
        # Leading zeros count for nothing, as in any number.
        assert (
            answer(client, f"{url}?{name}={'0' * 4_400}1")[0]
            == answer(client, f"{url}?{name}=1")[0]
        )


def test_a_nul_in_a_parameter_is_refused_in_json_with_debug_on(client, programme_data, settings):
    """The refusal comes before any view, as the API's JSON whatever the settings (with
    DEBUG on, Django's own page of a refused request was HTML)."""
    settings.DEBUG = True
    response = client.get(reverse("api:value-list") + "?municipality=%00")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "NUL" in response.json()["detail"]


def test_an_unknown_format_names_each_format_once(client, programme_data):
    response = client.get(reverse("api:openapi") + "?format=csv")
    assert response.status_code == 400
    assert response.json() == {"format": ["Ange något av: json."]}
