"""The open data API has a fair-use limit per address (issue 19): 429 with Retry-After,
counted across processes, not dodged by a made-up X-Forwarded-For; the public pages'
caching stays."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def limit(settings):
    settings.OPEN_DATA_RATE = "5/min"


def get(client, url, address="203.0.113.7", **headers):
    return client.get(url, REMOTE_ADDR=address, headers=headers)


def test_one_address_is_refused_with_429_and_retry_after(client, programme_data, limit):
    url = reverse("api:focus-area-list")
    for _ in range(5):
        response = get(client, url)
        assert response.status_code == 200
        assert "public" in response["Cache-Control"]
    refused = get(client, url)
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "För många förfrågningar" in refused.json()["detail"]
    assert "public" not in refused["Cache-Control"]  # a refusal is nobody's to keep
    # Another list, as CSV, counts too: the limit is the address's, not one per address.
    assert get(client, reverse("api:sdg-list-csv")).status_code == 429
    # Another address is not affected.
    assert get(client, url, address="198.51.100.9").status_code == 200


def test_a_made_up_forwarded_for_does_not_dodge_the_limit(client, programme_data, limit):
    url = reverse("api:sdg-list")
    statuses = [get(client, url, x_forwarded_for=f"192.0.2.{n}").status_code for n in range(6)]
    assert statuses == [200] * 5 + [429]


def test_the_count_is_kept_where_every_process_sees_it(client, programme_data, limit):
    from django.core.cache import caches

    get(client, reverse("api:sdg-list"))
    assert caches["shared"].get("throttle_opendata_203.0.113.7")  # the database's table
