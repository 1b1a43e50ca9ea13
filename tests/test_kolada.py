"""Reading Kolada values from saved responses and from a real (local) HTTP server."""

import json
import socket
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import translation

from programme.kolada import (
    KoladaError,
    KoladaOffline,
    KoladaValue,
    fetch,
    parse_files,
    parse_page,
    parse_years,
)
from programme.models import IndicatorValue
from tests.factories import JsonHandler, http_server

DATA = Path(__file__).parent / "data" / "kolada"
PAGES = [DATA / "page1.json", DATA / "page2.json", DATA / "page3.json"]


def error_of(function, *args, **kwargs) -> KoladaError:
    """The KoladaError raised, with its message in English whatever the site language."""
    with translation.override("en"), pytest.raises(KoladaError) as caught:
        function(*args, **kwargs)
    return caught.value


def page(*items, **envelope) -> str:
    return json.dumps({"values": list(items), "count": len(items), **envelope})


def item(**changes) -> dict:
    entry = {"gender": "T", "count": 1, "status": "", "value": 3.1}
    entry.update(changes.pop("entry", {}))
    return {"kpi": "N00401", "municipality": "1283", "period": 2022, "values": [entry], **changes}


# Files


def test_files_with_several_pages():
    values = parse_files(PAGES)

    assert len(values) == 9
    assert values[0] == KoladaValue("N00401", "1283", 2020, "T", Decimal("3.1"), "", 1)
    by_key = {(v.kpi, v.municipality, v.year, v.gender): v for v in values}
    assert len(by_key) == 9
    # N00401 has only a total; U01413 is split by gender.
    assert {v.gender for v in values if v.kpi == "N00401"} == {"T"}
    assert {v.gender for v in values if v.kpi == "U01413"} == {"T", "K", "M"}
    assert by_key["N00401", "0000", 2020, "T"].value == Decimal("4")
    assert by_key["U01413", "1283", 2021, "M"].value == Decimal("31.0")
    assert by_key["U01413", "1283", 2021, "M"].status == "B"
    # A missing or null status is stored as "".
    assert by_key["U01413", "0000", 2021, "K"].status == ""
    assert by_key["U01413", "0000", 2021, "M"].status == ""


def test_null_stays_none_and_zero_stays_zero():
    by_key = {(v.kpi, v.municipality, v.year, v.gender): v.value for v in parse_files(PAGES)}

    assert by_key["N00401", "1283", 2021, "T"] is None
    assert by_key["U01413", "1283", 2021, "K"] is None
    assert by_key["U01413", "0000", 2021, "M"] is None
    assert by_key["U01413", "0000", 2021, "T"] == Decimal("0")


def test_page_returns_next_page_or_none():
    with open(PAGES[0], "rb") as file:
        values, next_page = parse_page(file.read(), source="page1.json")
    assert len(values) == 2
    assert next_page.endswith("per_page=2&page=2")
    assert parse_page(PAGES[2].read_text(), source="page3.json")[1] is None


def test_broken_json_names_the_file(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"values": [{"kpi": "N00401",', encoding="utf-8")

    error = error_of(parse_files, [PAGES[0], broken])

    assert "broken.json" in str(error)
    assert "not valid JSON" in str(error)


@pytest.mark.parametrize(
    "data",
    ["[]", '{"count": 0}', '{"values": {}}', "NaN", b"\xff\xfe{}"],
    ids=["list", "no values", "values not a list", "NaN", "not UTF-8"],
)
def test_not_a_response(data):
    assert "saved.json" in str(error_of(parse_page, data, source="saved.json"))


def test_unknown_looking_kpi_id():
    data = page(item(), item(kpi="X1"))

    message = str(error_of(parse_page, data, source="saved.json"))

    assert message.startswith("saved.json, item 2, field “kpi”:")
    assert '"X1"' in message


def test_municipality_as_a_number():
    message = str(error_of(parse_page, page(item(municipality=1283)), source="saved.json"))

    assert message.startswith("saved.json, item 1, field “municipality”:")
    assert "string of 4 digits" in message
    assert "got 1283." in message


def test_value_as_a_string():
    data = page(item(), item(), item(entry={"value": "3,1"}))

    message = str(error_of(parse_page, data, source="saved.json"))

    assert message.startswith("saved.json, item 3, value 1, field “value”:")
    assert '"3,1"' in message


def test_unknown_gender():
    message = str(error_of(parse_page, page(item(entry={"gender": "X"})), source="saved.json"))

    assert message.startswith("saved.json, item 1, value 1, field “gender”:")
    assert '"X"' in message


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"period": "2022"}, "period"),
        ({"period": True}, "period"),
        ({"values": {"gender": "T"}}, "values"),
        ({"entry": {"value": True}}, "value"),
        ({"entry": {"count": "1"}}, "count"),
        ({"entry": {"status": 0}}, "status"),
    ],
)
def test_other_bad_fields(changes, field):
    message = str(error_of(parse_page, page(item(**changes)), source="saved.json"))

    assert f"field “{field}”" in message


def test_integer_value_and_count_default():
    values, _ = parse_page(page(item(entry={"value": 12, "count": None})), source="saved.json")

    assert values[0].value == Decimal("12")
    assert values[0].count == 1


def test_years():
    assert parse_years("2015-2018") == [2015, 2016, 2017, 2018]
    assert parse_years("2019, 2021") == [2019, 2021]
    assert parse_years("2020") == [2020]
    for nonsense in ["", "twenty", "2020-2015", "20", "2019,,2021", "1900-2000"]:
        assert nonsense in str(error_of(parse_years, nonsense))


# Fetching from a real HTTP server on 127.0.0.1


class KoladaHandler(JsonHandler):
    """Answers /v3/data/kpi/{kpis}/municipality/{ids}/year/{years} with one total per item."""

    def do_GET(self):
        self.server.paths.append(self.path)
        if self.server.status != 200:
            self.send_error(self.server.status)
            return
        url = urlsplit(self.path)
        _, kpis, _, municipalities, _, years = url.path.removeprefix("/v3/data/").split("/")
        query = {key: int(value[0]) for key, value in parse_qs(url.query).items()}
        per_page, number = query["per_page"], query.get("page", 1)
        items = [
            {
                "kpi": kpi,
                "municipality": municipality,
                "period": int(year),
                "values": [{"gender": "T", "count": 1, "status": "", "value": int(year) / 10}],
            }
            for kpi in kpis.split(",")
            for municipality in municipalities.split(",")
            for year in years.split(",")
        ]
        shown = items[(number - 1) * per_page : number * per_page]
        envelope = {"values": shown, "count": len(shown)}
        if number * per_page < len(items):
            host = self.server.next_host or f"127.0.0.1:{self.server.server_port}"
            envelope["next_page"] = f"http://{host}{url.path}?per_page={per_page}&page={number + 1}"
        self.send_json(envelope)


@pytest.fixture
def kolada_server():
    with http_server(KoladaHandler, paths=[], status=200, next_host=None) as server:
        yield server


def test_fetch_follows_every_next_page(kolada_server):
    years = [2018, 2019, 2020, 2021, 2022]

    values = fetch(["N00401"], ["1283"], years, base_url=kolada_server.base_url, per_page=2)

    assert [value.year for value in values] == years
    assert values[0] == KoladaValue("N00401", "1283", 2018, "T", Decimal("201.8"), "", 1)
    path = "/v3/data/kpi/N00401/municipality/1283/year/2018,2019,2020,2021,2022"
    assert kolada_server.paths == [
        f"{path}?per_page=2",
        f"{path}?per_page=2&page=2",
        f"{path}?per_page=2&page=3",
    ]


def test_fetch_splits_long_lists(kolada_server):
    kpis = [f"N{number:05d}" for number in range(1, 31)]
    years = list(range(1990, 2027))

    values = fetch(kpis, ["1283", "0000"], years, base_url=kolada_server.base_url, per_page=1000)

    assert len(values) == 30 * 2 * 37
    assert {(v.kpi, v.municipality, v.year) for v in values} == {
        (kpi, municipality, year)
        for kpi in kpis
        for municipality in ["1283", "0000"]
        for year in years
    }
    first_pages = [path for path in kolada_server.paths if "&page=" not in path]
    assert len(first_pages) == 4  # KPIs 25 + 5, years 25 + 12
    assert len(kolada_server.paths) > 4  # 25 x 2 x 25 = 1250 items need two pages
    for path in kolada_server.paths:
        _, kpi_list, _, municipality_list, _, year_list = path.split("?")[0].split("/")[3:]
        assert 1 <= len(kpi_list.split(",")) <= 25
        assert 1 <= len(municipality_list.split(",")) <= 25
        assert 1 <= len(year_list.split(",")) <= 25


def test_fetch_checks_ids_before_any_request(kolada_server):
    for kpis, municipalities in [(["X1"], ["1283"]), (["N00401"], [1283]), ([], ["1283"])]:
        error = error_of(fetch, kpis, municipalities, [2022], base_url=kolada_server.base_url)
        assert not isinstance(error, KoladaOffline)
    assert kolada_server.paths == []


def test_fetch_http_error_status(kolada_server):
    kolada_server.status = 503

    error = error_of(fetch, ["N00401"], ["1283"], [2022], base_url=kolada_server.base_url)

    assert not isinstance(error, KoladaOffline)
    assert "503" in str(error)


def test_fetch_refuses_a_next_page_on_another_host(kolada_server):
    kolada_server.next_host = "elsewhere.invalid"

    error = error_of(
        fetch, ["N00401"], ["1283"], [2021, 2022], base_url=kolada_server.base_url, per_page=1
    )

    assert "elsewhere.invalid" in str(error)
    assert len(kolada_server.paths) == 1


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
                body = page(item()).encode()
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


@pytest.mark.django_db
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


def test_fetch_from_a_closed_port_is_offline():
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]

    error = error_of(
        fetch, ["N00401"], ["1283"], [2022], base_url=f"http://127.0.0.1:{port}/v3", timeout=5
    )

    assert isinstance(error, KoladaOffline)
    assert f"127.0.0.1:{port}" in str(error)
    assert "Nothing was imported" in str(error)


# Another city fetching its own values


EXEMPEL = Path(__file__).parent.parent / "docs" / "example-programme"


@pytest.mark.django_db
def test_a_fetch_without_municipality_asks_for_the_installations_own(kolada_server, settings):
    """Exempelstad's administrator fetched a key figure and got Helsingborg's (1283): the
    command's default was Helsingborg's code. It is now the installation's own municipality,
    with Sweden as a whole (0000) where the installation knows it."""
    from io import StringIO

    from django.core.management import call_command

    from programme.models import FocusArea, Indicator

    settings.MUNICIPALITY = "9999"
    call_command("import_programme", str(EXEMPEL), stdout=StringIO())
    Indicator.objects.create(
        focus_area=FocusArea.objects.get(code="A1"),
        title="Träd per invånare",
        external_id="N00401",
        better="higher",
    )
    fetch = ["--fetch", "--kpi", "N00401", "--years", "2022", "--base-url"]

    call_command("import_kolada", *fetch, kolada_server.base_url, stdout=StringIO())

    assert [path.split("/")[6] for path in kolada_server.paths] == ["9999,0000"]
    fetched = IndicatorValue.objects.filter(indicator__external_id="N00401", year=2022)
    assert set(fetched.values_list("municipality__code", flat=True)) == {"9999", "0000"}
