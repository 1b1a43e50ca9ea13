"""Numbers keep their precision and imports never mix or guess: attacks and their proof."""

import json
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from programme.demo import demo_values_load
from programme.indicators import values_import
from programme.kolada import KoladaError, KoladaValue, fetch, parse_page
from programme.models import Indicator, IndicatorValue
from programme.transfer import ImportRejected
from reporting.models import Answer, Question
from tests.test_contribution_pages import form_data

pytestmark = pytest.mark.django_db


def envelope(*values, **extra) -> str:
    return json.dumps(
        {
            "values": [
                {
                    "kpi": "N00401",
                    "municipality": municipality,
                    "period": year,
                    "values": [{"gender": "T", "count": 1, "status": "", "value": value}],
                }
                for municipality, year, value in values
            ],
            **extra,
        }
    )


# Decimals are kept exactly.


def test_a_tiny_kolada_value_is_not_stored_as_zero():
    values, _ = parse_page(envelope(("1283", 2024, 1e-09)), source="svar.json")
    values_import(values)
    stored = IndicatorValue.objects.get(indicator__external_id="N00401", year=2024)
    stored.refresh_from_db()
    assert stored.value == Decimal("1E-9") and stored.value != 0


def test_a_value_that_cannot_be_stored_exactly_is_refused_and_nothing_changes():
    values, _ = parse_page(envelope(("1283", 2023, 2.0), ("1283", 2024, 1e-25)), source="s.json")
    with pytest.raises(ImportRejected) as refused:
        values_import(values)
    assert "s.json, post 2, värde 1" in refused.value.messages[0]
    assert "18 efter" in refused.value.messages[0]
    assert not IndicatorValue.objects.exists()


@pytest.mark.parametrize("typed", ["NaN", "Infinity", "1e999999", "1e-40"])
def test_a_spreadsheet_value_that_is_no_exact_number_is_refused(tmp_path, typed):
    from tests.test_indicators import TITLE, VALUE_HEADER

    path = tmp_path / "values.csv"
    path.write_text(VALUE_HEADER + f'2025–2027,2.1,"{TITLE}",1283,2020,totalt,{typed},,SCB\n')
    with pytest.raises(CommandError, match="Rad 2"):
        call_command("import_indicator_values", str(path), stdout=StringIO())
    assert not IndicatorValue.objects.exists()


def test_a_number_answer_is_checked_and_written_out(client, reporter_a, contribution_a):
    question = Question.objects.create(cycle=contribution_a.cycle, text="Hur många?", kind="number")
    client.force_login(reporter_a)
    url = reverse("reporting:contribution-edit", args=[contribution_a.pk])
    response = client.post(
        url, form_data(contribution_a, **{f"question_{question.pk}": "1e999999"})
    )
    assert response.status_code == 200 and "Ingenting sparades" in response.content.decode()
    assert not Answer.objects.exists()
    client.post(url, form_data(contribution_a, **{f"question_{question.pk}": "3,5"}))
    assert Answer.objects.get().value == "3.5"
    contribution_a.refresh_from_db()
    client.post(url, form_data(contribution_a, **{f"question_{question.pk}": "1e2"}))
    assert Answer.objects.get().value == "100"


# One import, one value per cell.


def test_two_different_values_for_one_cell_are_refused_naming_both():
    first, _ = parse_page(envelope(("1283", 2022, 3.1)), source="sida1.json")
    second, _ = parse_page(envelope(("1283", 2022, 3.4)), source="sida2.json")
    with pytest.raises(ImportRejected) as refused:
        values_import(first + second)
    message = refused.value.messages[0]
    assert "N00401, 1283, 2022" in message
    assert "sida1.json, post 1" in message and "sida2.json, post 1" in message
    assert not IndicatorValue.objects.exists()
    # The same value twice is no conflict.
    values_import(first + first)
    assert IndicatorValue.objects.count() == 1


# The fetcher stays on its host, redirects included.


@pytest.fixture
def two_servers():
    """Kolada's stand-in, which redirects, and another host that must never be asked."""
    asked = {"kolada": [], "other": []}

    def handler(name, redirect_to=None):
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                asked[name].append(self.path)
                if redirect_to and "redirected" not in self.path:
                    self.send_response(302)
                    self.send_header("Location", redirect_to() + self.path + "&redirected=1")
                    self.end_headers()
                    return
                body = envelope(("1283", 2022, 3.1)).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        return Handler

    other = ThreadingHTTPServer(("127.0.0.1", 0), handler("other"))
    target = {"url": f"http://localhost:{other.server_address[1]}"}
    kolada = ThreadingHTTPServer(("127.0.0.1", 0), handler("kolada", lambda: target["url"]))
    for server in (other, kolada):
        threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{kolada.server_address[1]}/v3"
    yield base, target, asked
    for server in (other, kolada):
        server.shutdown()


def test_a_redirect_to_another_host_is_not_followed(two_servers):
    base, target, asked = two_servers
    with translation.override("en"), pytest.raises(KoladaError) as refused:
        fetch(["N00401"], ["1283"], [2022], base_url=base)
    assert "redirected" in str(refused.value) and "localhost" in str(refused.value)
    assert asked["other"] == []
    assert not IndicatorValue.objects.exists()


def test_a_redirect_on_the_same_host_is_followed(two_servers):
    base, target, asked = two_servers
    target["url"] = base.removesuffix("/v3")
    values = fetch(["N00401"], ["1283"], [2022], base_url=base)
    assert [v.value for v in values] == [Decimal("3.1")]
    assert len(asked["kolada"]) == 2


# Demo and real values never mix.


def test_real_values_replace_an_indicators_demo_values_whole():
    demo_values_load()
    indicator = Indicator.objects.get(external_id="N00401")
    other = Indicator.objects.get(external_id="U07801")
    assert indicator.values.filter(is_demo=True).count() > 10
    values = [KoladaValue("N00401", "1283", 2024, "T", Decimal("3.3"), "", 1)]
    summary = values_import(values)
    assert summary.demo_replaced > 10
    assert list(indicator.values.values_list("year", "value", "is_demo")) == [
        (2024, Decimal("3.3"), False)
    ]
    assert other.values.filter(is_demo=True).exists()  # other indicators keep theirs
    # Demo values are not added where real ones are.
    demo_values_load()
    assert not indicator.values.filter(is_demo=True).exists()


def test_a_spreadsheet_of_real_values_replaces_demo_values_too(tmp_path):
    from tests.test_indicators import VALUE_HEADER

    demo_values_load()
    indicator = Indicator.objects.get(external_id="N00401")
    path = tmp_path / "values.csv"
    code, title = indicator.focus_area.code, indicator.title
    path.write_text(VALUE_HEADER + f'2025–2027,{code},"{title}",1283,2020,totalt,"4,25",,SCB\n')
    call_command("import_indicator_values", str(path), stdout=StringIO())
    assert list(indicator.values.values_list("year", "value", "is_demo")) == [
        (2020, Decimal("4.25"), False)
    ]
