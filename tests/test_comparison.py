"""Issue 23, point 2: the city's value beside every municipality's, its group's median and
Sweden's; imported from files shaped as Kolada's answers for all municipalities and from a
local fake Kolada (paging, errors, time-outs)."""

import json
from decimal import Decimal
from io import StringIO
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from programme.comparison import compare
from programme.demo import demo_values_load
from programme.kolada import KoladaOffline, fetch
from programme.models import Indicator, KpiYear, Municipality, MunicipalityGroup
from reporting.report import pdf
from reporting.report.data import report_data
from tests.factories import DEMO_COMPARED, JsonHandler, http_server, page_text

DATA = Path(__file__).parent / "data" / "kolada"
PAGES = sorted(DATA.glob("all_municipalities_N00401_2024_page*.json"))
HIGHER, LOWER, NEITHER = "higher", "lower", "neither"


def group(*members, title="Gruppen"):
    return MunicipalityGroup(code="G1", title=title, members=list(members))


def values(**by_code):
    return {code[1:]: None if v is None else str(v) for code, v in by_code.items()}


def test_rank_quartile_and_better_than_follow_the_better_direction():
    # Five municipalities 1..5; Sweden and a region are not ranked.
    all_values = values(c0101=1, c0102=2, c0103=3, c0104=4, c0105=5, c0000=3, c0001=0)
    up = compare(own_code="0104", year=2024, better=HIGHER, all_values=all_values)
    assert (up.rank, up.count, up.better_than, up.quartile) == (2, 5, 3, 2)
    assert up.others == 4 and up.sweden == Decimal(3)
    down = compare(own_code="0104", year=2024, better=LOWER, all_values=all_values)
    assert (down.rank, down.better_than, down.quartile) == (4, 1, 4)
    assert down.quartile_symbol == "●○○○" and "sämsta" in down.quartile_words


def test_equal_values_share_a_rank_and_missing_values_are_not_counted():
    all_values = values(c0101=7, c0102=7, c0103=7, c0104=None, c0105=1)
    tied = compare(own_code="0102", year=2024, better=HIGHER, all_values=all_values)
    assert (tied.rank, tied.count, tied.better_than, tied.quartile) == (1, 4, 1, 1)
    missing = compare(own_code="0104", year=2024, better=HIGHER, all_values=all_values)
    assert missing.rank is None and missing.value is None and "inget eget värde" in missing.reason
    neither = compare(own_code="0101", year=2024, better=NEITHER, all_values=all_values)
    assert neither.rank is None and "bättre riktning" in neither.reason


def test_the_group_median_counts_the_members_with_a_value():
    all_values = values(c0101=1, c0102=2, c0103=10, c0104=None)
    said = compare(
        own_code="0101",
        year=2024,
        better=HIGHER,
        all_values=all_values,
        group=group("0101", "0102", "0103", "0104", "0199"),
    )
    assert (said.group_median, said.group_count, said.group_size) == (2, 3, 5)
    nobody = compare(
        own_code="0101", year=2024, better=HIGHER, all_values=all_values, group=group("0104")
    )
    assert nobody.group_median is None and nobody.group_count == 0
    assert compare(own_code="0101", year=2024, better=HIGHER, all_values={}).sweden is None


def kolada(*args):
    out = StringIO()
    call_command("import_kolada", *args, stdout=out)
    return out.getvalue()


def test_every_municipalitys_values_import_from_files_page_by_page(programme_data):
    said = kolada("--all-municipalities", *map(str, PAGES))
    assert "nya: 1" in said
    row = KpiYear.objects.get(kpi="N00401", year=2024)
    assert row.values["1283"] == "3.1" and row.values["0115"] is None
    assert len(row.values) == 10  # both pages; women's values are not kept
    assert "oförändrade: 1" in kolada("--all-municipalities", *map(str, PAGES))
    # One page alone adds to what is there: nothing is lost.
    kolada("--all-municipalities", str(PAGES[0]))
    assert len(KpiYear.objects.get(kpi="N00401", year=2024).values) == 10


def test_a_bad_file_changes_nothing(programme_data, tmp_path):
    kolada("--all-municipalities", *map(str, PAGES))
    broken = tmp_path / "broken.json"
    data = json.loads(PAGES[1].read_text())
    data["values"][0]["values"][0]["value"] = "4,0"  # text, not a number
    broken.write_text(json.dumps(data))
    with pytest.raises(CommandError) as refused:
        kolada("--all-municipalities", str(PAGES[0]), str(broken))
    assert "broken.json" in str(refused.value)
    unknown = tmp_path / "unknown.json"
    unknown.write_text(PAGES[0].read_text().replace("N00401", "N99999"))
    with pytest.raises(CommandError, match="N99999"):
        kolada("--all-municipalities", str(unknown))
    assert KpiYear.objects.get(kpi="N00401", year=2024).values["0120"] == "4"


def test_groups_import_and_the_city_chooses_one(programme_data, client):
    assert "nya: 2" in kolada("--groups", str(DATA / "municipality_groups.json"))
    assert "oförändrade: 2" in kolada("--groups", str(DATA / "municipality_groups.json"))
    chosen = MunicipalityGroup.objects.get(code="G124")
    assert chosen.members == ["1283", "1280", "1281", "0115"]
    Municipality.objects.filter(code="1283").update(comparison_group=chosen)
    kolada("--all-municipalities", *map(str, PAGES))
    indicator = Indicator.objects.get(external_id="N00401")
    indicator.values.create(municipality=Municipality.objects.get(code="1283"), year=2024,
                            value=Decimal("3.1"))  # fmt: skip
    text = page_text(client.get(reverse("programme:statistics-indicator", args=[indicator.pk])))
    # Lower is better: 2.5 and 2.8 are better, 3.1 twice shares rank 3 of the 7 municipalities
    # with a value (0012 is a region, 0115 has none); 3.6, 4.0 and 5.2 are worse.
    assert "plats 3 av 7 kommuner med ett värde, bättre än 3 av de 6 andra" in text
    assert "i den näst bästa fjärdedelen" in text
    # Median of 3.1, 2.8 and 3.6 (0115 has no value).
    assert "Median för Större städer och kommuner nära större stad (exempel)" in text
    assert ": 3,1 (3 av gruppens 4 medlemmar har ett värde)" in text
    assert "Riket: 3,4." in text
    assert "Jämförelse: det senaste året med ett värde rangordnas" in text  # the rule
    data = client.get(reverse("api:indicator-detail", args=[indicator.pk])).json()
    assert data["comparison"]["rank"] == 3 and data["comparison"]["group_median"] == "3.1"


def test_the_demo_compares_at_least_three_indicators_and_says_it_is_demo(programme_data, client):
    demo_values_load()
    assert len(DEMO_COMPARED) >= 3
    html = client.get(reverse("programme:statistics")).content.decode()
    text = page_text(html)
    assert text.count("andra kommuner (demo)") >= 3
    for kpi in DEMO_COMPARED:
        indicator = Indicator.objects.get(external_id=kpi)
        page = page_text(client.get(reverse("programme:statistics-indicator", args=[indicator.pk])))
        assert "Jämfört med andra kommuner 2026" in page
        assert "Demojämförelse, inte Koladas siffror." in page


def test_the_report_states_the_comparison_and_its_rule(programme_data, cycle):
    demo_values_load()
    text = page_text(pdf.render_html(report_data(cycle)))
    assert "Jämfört med andra kommuner 2026" in text
    assert "Jämförelse: det senaste året med ett värde rangordnas" in text


# A fake Kolada on 127.0.0.1: answers for all municipalities, in pages.


class AllMunicipalities(JsonHandler):
    def do_GET(self):
        self.server.paths.append(self.path)
        if self.server.delay and self.client_left_within(self.server.delay):
            self.server.left.append(self.path)
            return  # it stopped waiting: there is nobody to answer
        if self.server.status != 200:
            self.send_error(self.server.status)
            return
        url = urlsplit(self.path)
        _, kpi, _, years = url.path.removeprefix("/v3/data/").split("/")
        query = {key: int(value[0]) for key, value in parse_qs(url.query).items()}
        per_page, number = query["per_page"], query.get("page", 1)
        items = [
            {
                "kpi": kpi,
                "municipality": f"{code:04d}",
                "period": int(year),
                "values": [{"gender": "T", "count": 1, "status": "", "value": code / 10}],
            }
            for year in years.split(",")
            for code in [0, 114, 115, 1280, 1283]
        ]
        shown = items[(number - 1) * per_page : number * per_page]
        envelope = {"values": shown, "count": len(shown)}
        if number * per_page < len(items):
            port = self.server.server_port
            envelope["next_page"] = (
                f"http://127.0.0.1:{port}{url.path}?per_page={per_page}&page={number + 1}"
            )
        self.send_json(envelope)


@pytest.fixture
def fake_kolada():
    with http_server(AllMunicipalities, paths=[], left=[], status=200, delay=0) as server:
        yield server


def test_fetch_for_all_municipalities_follows_every_page(fake_kolada):
    found = fetch(["N00401"], None, [2023, 2024], base_url=fake_kolada.base_url, per_page=3)
    assert len(found) == 10 and {v.municipality for v in found} >= {"0000", "1283"}
    assert fake_kolada.paths[0] == "/v3/data/kpi/N00401/year/2023,2024?per_page=3"
    assert len(fake_kolada.paths) == 4


def test_the_command_fetches_all_municipalities_and_an_error_changes_nothing(
    programme_data, fake_kolada
):
    args = ["--fetch", "--all-municipalities", "--kpi", "N00401", "--years", "2024"]
    kolada(*args, "--base-url", fake_kolada.base_url)
    assert KpiYear.objects.get(kpi="N00401", year=2024).values["1283"] == "128.3"
    fake_kolada.status = 500
    with pytest.raises(CommandError, match="HTTP-status 500"):
        kolada(*args[:-1], "2023", "--base-url", fake_kolada.base_url)
    assert not KpiYear.objects.filter(year=2023).exists()


def test_a_kolada_that_does_not_answer_in_time_is_offline():
    slow_kolada = http_server(AllMunicipalities, paths=[], left=[], status=200, delay=1.5)
    with slow_kolada as slow, pytest.raises(KoladaOffline):
        fetch(["N00401"], None, [2024], base_url=slow.base_url, timeout=0.5)
    # Its request handled: the fetch gave up and hung up, and was not answered.
    assert slow.left == slow.paths == ["/v3/data/kpi/N00401/year/2024?per_page=5000"]


class MunicipalityList(JsonHandler):
    """Answers /v3/municipality in two pages, as Kolada pages a long list."""

    def do_GET(self):
        self.server.paths.append(self.path)
        data = json.loads((DATA / "municipalities.json").read_text())
        if "page=2" in self.path:
            self.send_json({"values": data["values"][3:], "count": 5})
        else:
            next_page = f"{self.server.base_url}/municipality?page=2"
            self.send_json({"values": data["values"][:3], "count": 5, "next_page": next_page})


def test_a_fresh_installation_holds_swedens_municipalities_and_takes_the_regions_from_kolada(
    programme_data, tmp_path
):
    """Issue 24.1: every municipality's code and name comes with the installation (migration
    0023, Statistics Sweden's list); the regions and any renaming from Kolada's /municipality,
    a saved answer or fetched."""
    assert Municipality.objects.filter(code__regex=r"^\d{4}$").exclude(code="0000").count() == 290
    assert Municipality.objects.get(code="0114").name == "Upplands Väsby"
    assert Municipality.objects.get(code="2584").name == "Kiruna"
    new = ["0012"]  # Region Skåne; Sweden (0000) comes with the programme
    said = kolada("--municipalities", str(DATA / "municipalities.json"))
    assert "nya: 1, uppdaterade: 0, oförändrade: 4" in said
    assert Municipality.objects.get(code="0012").name == "Region Skåne"
    assert "oförändrade: 5" in kolada("--municipalities", str(DATA / "municipalities.json"))
    broken = tmp_path / "broken.json"
    broken.write_text('{"values": [{"id": "114", "title": "Upplands Väsby"}], "count": 1}')
    with pytest.raises(CommandError, match="broken.json"):
        kolada("--municipalities", str(broken))
    Municipality.objects.filter(code__in=new).delete()
    with http_server(MunicipalityList, paths=[]) as server:
        said = kolada("--municipalities", "--fetch", "--base-url", server.base_url)
    assert "nya: 1" in said
    assert server.paths == ["/v3/municipality", "/v3/municipality?page=2"]
    assert Municipality.objects.filter(code__in=new).count() == 1
