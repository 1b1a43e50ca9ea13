"""A strategist's step pages of a cycle (open it, start the review, close it, change it, ask
an organisation, change a question, withdraw a request) share one frame: the breadcrumb,
the heading, the workflow's reason where the step cannot be taken now, and the form with
its confirm and cancel buttons. Each page is read here as a reader meets it, where the
step may be taken and where the workflow refuses it."""

import lxml.html
import pytest
from django.urls import reverse

from reporting import services
from tests.factories import new_cycle, page_text

pytestmark = pytest.mark.django_db


def _text(element) -> str:
    return page_text(lxml.html.tostring(element, encoding="unicode"))


def _frame(response) -> dict:
    """What the frame shows: title, breadcrumb (text, link), heading, the refusal (its
    class, text and link) and the form (its attributes, buttons, links and fields)."""
    assert response.status_code == 200
    page = lxml.html.fromstring(response.content)
    main = page.xpath("//main")[0]
    refusals = main.xpath(".//p[contains(@class, 'alert')]")
    forms = main.xpath(".//form[@method='post']")
    assert len(refusals) + len(forms) == 1, "either the reason or the form"
    frame = {
        "title": _text(page.xpath("//title")[0]),
        "trail": [
            (_text(item), item.xpath("string(.//a/@href)") or None)
            for item in main.xpath(".//ol[@class='breadcrumb']/li")
        ],
        "heading": _text(main.xpath(".//h1")[0]),
    }
    if refusals:
        (refusal,) = refusals
        frame["refusal"] = (
            refusal.get("class"),
            _text(refusal),
            refusal.xpath("string(.//a/@href)"),
        )
    else:
        (form,) = forms
        frame["form"] = {
            "class": form.get("class"),
            "novalidate": form.get("novalidate") is not None,
            "buttons": [(_text(b), b.get("class")) for b in form.xpath(".//button")],
            "links": [(_text(a), a.get("href")) for a in form.xpath(".//a[@class='btn btn-link']")],
            "fields": sorted(
                {f.get("name") for f in form.xpath(".//input|.//select|.//textarea")}
                - {"csrfmiddlewaretoken"}
            ),
        }
    return frame


def _detail(cycle):
    return reverse("reporting:cycle-detail", args=[cycle.pk])


def _trail(cycle, current, *more):
    return [
        ("Uppföljningar", reverse("reporting:cycle-list")),
        (cycle.title, _detail(cycle)),
        *more,
        (current, None),
    ]


def _confirm(cycle, button, *, fields=(), kind="btn btn-primary", back=None, **extra):
    return {
        "class": "card card-body",
        "novalidate": bool(fields),
        "buttons": [(button, kind)],
        "links": [("Avbryt", back or _detail(cycle))],
        "fields": sorted(fields),
        **extra,
    }


def _refused(cycle, reason, *, back=None, label="Tillbaka till uppföljningen"):
    return ("alert alert-info", f"{reason} {label}", back or _detail(cycle))


@pytest.fixture
def planned(programme_data):
    return new_cycle()


@pytest.fixture
def question(planned, strategist):
    return services.question_add(cycle=planned, by=strategist, text="Egen?", kind="short_text")


def _get(client, strategist, name, *args):
    """The frame of the page, as the strategist sees it."""
    client.force_login(strategist)
    return _frame(client.get(reverse(f"reporting:{name}", args=[arg.pk for arg in args])))


def test_opening_the_cycle(client, strategist, planned, cycle):
    assert _get(client, strategist, "cycle-open", planned) == {
        "title": "Öppna uppföljningen – Uppföljning 2028 – Livskvalitet",
        "trail": _trail(planned, "Öppna uppföljningen"),
        "heading": "Öppna uppföljningen",
        "form": _confirm(
            planned,
            "Bekräfta",
            fields=["confirm", "plan", "when"],
            **{"class": "card card-body mb-4"},
        ),
    }
    assert _get(client, strategist, "cycle-open", cycle) == {
        "title": "Öppna uppföljningen – Uppföljning 2026 – Livskvalitet",
        "trail": _trail(cycle, "Öppna uppföljningen"),
        "heading": "Öppna uppföljningen",
        "refusal": _refused(
            cycle, "Uppföljningen är redan öppen: dess förfrågningar har skickats."
        ),
    }


def test_starting_the_review(client, strategist, planned, cycle):
    assert _get(client, strategist, "cycle-start-review", cycle) == {
        "title": "Påbörja granskning – Uppföljning 2026 – Livskvalitet",
        "trail": _trail(cycle, "Påbörja granskning"),
        "heading": "Påbörja granskning",
        "form": _confirm(cycle, "Påbörja granskning"),
    }
    assert _get(client, strategist, "cycle-start-review", planned) == {
        "title": "Påbörja granskning – Uppföljning 2028 – Livskvalitet",
        "trail": _trail(planned, "Påbörja granskning"),
        "heading": "Påbörja granskning",
        "refusal": _refused(
            planned,
            "Uppföljningen har inte öppnats än; granskningen påbörjas när organisationerna har "
            "rapporterat.",
        ),
    }


def test_closing_the_cycle(client, strategist, cycle):
    assert _get(client, strategist, "cycle-close", cycle) == {
        "title": "Avsluta uppföljningen – Uppföljning 2026 – Livskvalitet",
        "trail": _trail(cycle, "Avsluta uppföljningen"),
        "heading": "Avsluta uppföljningen",
        "refusal": _refused(
            cycle,
            "Rapporteringen är fortfarande öppen: påbörja granskningen först, avsluta sedan "
            "uppföljningen.",
        ),
    }
    services.cycle_start_review(cycle=cycle, by=strategist)
    assert _get(client, strategist, "cycle-close", cycle)["form"] == _confirm(
        cycle, "Avsluta uppföljningen", kind="btn btn-danger"
    )


def test_changing_the_cycle(client, strategist, planned, cycle):
    assert _get(client, strategist, "cycle-edit", planned) == {
        "title": "Ändra uppföljningen – Uppföljning 2028 – Livskvalitet",
        "trail": _trail(planned, "Ändra uppföljningen"),
        "heading": "Ändra uppföljningen",
        "form": _confirm(
            planned,
            "Spara ändringarna",
            fields=[
                "baseline_year",
                "due_on",
                "first_year",
                "instructions",
                "last_year",
                "opens_on",
                "title",
            ],
        ),
    }
    assert _get(client, strategist, "cycle-edit", cycle) == {
        "title": "Ändra uppföljningen – Uppföljning 2026 – Livskvalitet",
        "trail": _trail(cycle, "Ändra uppföljningen"),
        "heading": "Ändra uppföljningen",
        "refusal": _refused(cycle, "Uppföljningen har öppnat: nu kan bara dess sista dag ändras."),
    }


def test_asking_an_organisation(client, strategist, cycle):
    heading = "Lägg till en förfrågan (organisation och fokusområde)"
    assert _get(client, strategist, "request-add", cycle) == {
        "title": f"{heading} – Uppföljning 2026 – Livskvalitet",
        "trail": _trail(cycle, "Lägg till en förfrågan"),
        "heading": heading,
        "form": _confirm(cycle, "Fråga", fields=["focus_area", "organisation"]),
    }
    services.cycle_start_review(cycle=cycle, by=strategist)
    services.cycle_close(cycle=cycle, by=strategist)
    assert _get(client, strategist, "request-add", cycle) == {
        "title": f"{heading} – Uppföljning 2026 – Livskvalitet",
        "trail": _trail(cycle, "Lägg till en förfrågan"),
        "heading": heading,
        "refusal": _refused(cycle, "Uppföljningen är avslutad."),
    }


def test_changing_a_question(client, strategist, planned, question):
    fields = ["choices", "help_text", "kind", "position", "required", "text"]
    assert _get(client, strategist, "question-edit", planned, question) == {
        "title": "Ändra frågan – Uppföljning 2028 – Livskvalitet",
        "trail": _trail(planned, "Ändra frågan"),
        "heading": "Ändra frågan",
        "form": _confirm(planned, "Spara ändringarna", fields=fields),
    }
    services.cycle_open(cycle=planned, by=strategist)
    assert _get(client, strategist, "question-edit", planned, question) == {
        "title": "Ändra frågan – Uppföljning 2028 – Livskvalitet",
        "trail": _trail(planned, "Ändra frågan"),
        "heading": "Ändra frågan",
        "refusal": _refused(
            planned,
            "Uppföljningen har öppnat: dess frågor är ställda och kan inte längre ändras eller "
            "tas bort.",
        ),
    }


def test_withdrawing_a_request(client, strategist, cycle, contribution_a):
    organisation = contribution_a.organisation
    back = reverse("reporting:cycle-organisation", args=[cycle.pk, organisation.pk])
    page = {
        "title": "Återkalla förfrågan – Miljönämnden – Uppföljning 2026 – Livskvalitet",
        "trail": _trail(cycle, "Återkalla förfrågan", ("Miljönämnden", back)),
        "heading": "Återkalla förfrågan",
    }
    assert _get(client, strategist, "request-withdraw", cycle, contribution_a) == {
        **page,
        "form": _confirm(cycle, "Återkalla förfrågan", back=back),
    }
    services.request_withdraw(contribution=contribution_a, by=strategist)
    assert _get(client, strategist, "request-withdraw", cycle, contribution_a) == {
        **page,
        "refusal": _refused(
            cycle, "Förfrågan är redan återkallad.", back=back, label="Tillbaka till organisationen"
        ),
    }


def test_every_page_of_a_cycle_is_found_the_same_way(client, strategist, cycle):
    """The cycle's other pages (the overview, the report and its texts, the synthesis) have
    the same breadcrumb as its step pages: the cycles, the cycle, then where the page is."""
    client.force_login(strategist)
    page = lxml.html.fromstring
    reports = reverse("reporting:report-list", args=[cycle.pk])
    texts = reverse("reporting:report-text-list", args=[cycle.pk])
    syntheses = reverse("reporting:synthesis-list", args=[cycle.pk])
    expected = {
        reverse("reporting:cycle-matrix", args=[cycle.pk]): _trail(cycle, "Inlämningsöversikt"),
        reports: _trail(cycle, "Sammanställda rapporter"),
        texts: _trail(cycle, "Rapportens texter", ("Sammanställda rapporter", reports)),
        reverse("reporting:report-text-edit", args=[cycle.pk, "sammanfattning"]): _trail(
            cycle,
            "Sammanfattning",
            ("Sammanställda rapporter", reports),
            ("Rapportens texter", texts),
        ),
        syntheses: _trail(cycle, "Syntes"),
        reverse("reporting:synthesis-edit", args=[cycle.pk, "2.1"]): _trail(
            cycle, "2.1", ("Syntes", syntheses)
        ),
    }
    for url, trail in expected.items():
        main = page(client.get(url).content).xpath("//main")[0]
        assert [
            (_text(item), item.xpath("string(.//a/@href)") or None)
            for item in main.xpath(".//ol[@class='breadcrumb']/li")
        ] == trail, url
