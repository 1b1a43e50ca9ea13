"""A published report's files are public but always revalidated, so that withdrawing a
publication takes effect at once, also for shared caches (issue 19); a withdrawn
publication is withdrawn in the open: its page stays and says why, its files are gone
(410), the public list shows it as withdrawn (issue 21)."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from reporting.models import Report
from reporting.report.compile import report_publish, report_unpublish

pytestmark = pytest.mark.django_db

URLS = {
    "pdf": lambda r: reverse("reporting:report-download", args=[r.cycle_id, r.number]),
    "html": lambda r: reverse("reporting:report-edition", args=[r.cycle_id, r.number, "html"]),
    "docx": lambda r: reverse("reporting:report-edition", args=[r.cycle_id, r.number, "docx"]),
}


@pytest.fixture
def published(cycle, strategist):
    report = Report(
        cycle=cycle,
        number=1,
        status=Report.Status.DONE,
        compiled_by=strategist,
        page_count=1,
        checksum="ab" * 32,
    )
    report.pdf.save("r.pdf", ContentFile(b"%PDF-1.7"), save=False)
    report.html_edition.save("r.html", ContentFile(b"<!doctype html><title>r</title>"), save=False)
    report.docx.save("r.docx", ContentFile(b"PK"), save=False)
    report.save()
    report_publish(report=report, by=strategist, accept_gaps=True)
    return report


@pytest.mark.parametrize("edition", URLS)
def test_a_published_file_is_public_but_revalidated_every_time(client, published, edition):
    url = URLS[edition](published)
    response = client.get(url)
    assert response.status_code == 200
    cache = response["Cache-Control"]
    assert "public" in cache and "no-cache" in cache and "max-age" not in cache
    etag = response["ETag"]
    assert published.checksum in etag
    again = client.get(url, headers={"if-none-match": etag})
    assert again.status_code == 304  # the cache's copy is still the one


@pytest.mark.parametrize("edition", URLS)
def test_a_published_file_says_when_it_last_changed_and_answers_if_modified_since(
    client, published, edition
):
    """Its files were written when the version was compiled: that is their Last-Modified,
    whenever it was published; a copy from then or later is still the one (304)."""
    compiled = timezone.now().replace(microsecond=0) - datetime.timedelta(days=3)
    Report.objects.filter(pk=published.pk).update(finished_at=compiled)
    url = URLS[edition](published)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Last-Modified"] == http_date(compiled.timestamp())
    for copy_from in (compiled, compiled + datetime.timedelta(hours=1)):
        again = client.get(url, headers={"if-modified-since": http_date(copy_from.timestamp())})
        assert again.status_code == 304
        assert again["ETag"] == response["ETag"]
        assert again["Last-Modified"] == response["Last-Modified"]
        assert again["Cache-Control"] == response["Cache-Control"]  # public, asked again
        assert again.content == b""
    older = http_date((compiled - datetime.timedelta(seconds=1)).timestamp())
    assert client.get(url, headers={"if-modified-since": older}).status_code == 200
    # If-None-Match decides where both are sent: another ETag is another copy.
    both = {"if-none-match": '"other"', "if-modified-since": response["Last-Modified"]}
    assert client.get(url, headers=both).status_code == 200
    assert client.head(url, headers={"if-none-match": response["ETag"]}).status_code == 304


@pytest.mark.parametrize("edition", URLS)
def test_a_withdrawn_or_private_file_answers_no_conditional_request(
    client, published, strategist, edition
):
    url = URLS[edition](published)
    last_modified = client.get(url)["Last-Modified"]
    report_unpublish(report=published, by=strategist, reason="Fel siffror.")
    gone = client.get(url, headers={"if-modified-since": last_modified})
    assert gone.status_code == 410
    assert not gone.has_header("Last-Modified")
    client.force_login(strategist)  # the strategists still read it: privately, whole
    private = client.get(url, headers={"if-modified-since": last_modified})
    assert private.status_code == 200
    assert not private.has_header("Last-Modified") and not private.has_header("ETag")
    assert private["Cache-Control"] == "private, no-store"


def test_a_version_without_an_edition_is_not_found_however_it_is_asked(
    client, published, strategist
):
    Report.objects.filter(pk=published.pk).update(docx="")
    url = URLS["docx"](published)
    since = http_date(timezone.now().timestamp())
    assert client.get(url, headers={"if-modified-since": since}).status_code == 404


def test_an_edition_there_never_was_is_not_found_even_of_a_withdrawn_version(
    client, published, strategist
):
    """Only a version's files are gone (410) when it is withdrawn: an address that was
    never one of them (.txt, .exe) stays not found, as for any other version."""
    url = reverse("reporting:report-edition", args=[published.cycle_id, published.number, "txt"])
    assert client.get(url).status_code == 404
    report_unpublish(report=published, by=strategist, reason="Fel siffror.")
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("edition", URLS)
def test_after_withdrawal_a_cache_asking_again_gets_nothing(client, published, strategist, edition):
    url = URLS[edition](published)
    etag = client.get(url)["ETag"]
    report_unpublish(report=published, by=strategist, reason="Fel siffror.")
    gone = client.get(url, headers={"if-none-match": etag})
    assert gone.status_code == 410  # gone, not "not found": it was public
    assert not gone.has_header("ETag")
    page = reverse("reporting:published-report", args=[published.cycle_id, published.number])
    assert f'href="{page}"' in gone.content.decode()  # where it says when and why


def test_a_withdrawn_publication_keeps_its_page_saying_when_why_and_what_replaced_it(
    client, published, strategist
):
    from tests.factories import page_text

    report_unpublish(report=published, by=strategist, reason="Fel siffror i 3.2.")
    page = reverse("reporting:published-report", args=[published.cycle_id, published.number])
    text = page_text(client.get(page))
    assert "Publiceringen av den här rapporten är återkallad" in text
    assert "Fel siffror i 3.2." in text and "återkallades" in text
    assert "ersatte den" not in text  # nothing replaced it yet
    listing = page_text(client.get(reverse("reporting:published-reports")))
    assert "version 1: publiceringen är återkallad" in listing
    assert "Ingen rapport är publicerad nu." in listing  # not "never published"
    # A new version published: the withdrawn one's page points to it.
    second = Report.objects.create(
        cycle=published.cycle,
        number=2,
        status=Report.Status.DONE,
        compiled_by=strategist,
        page_count=1,
        checksum="cd" * 32,
    )
    report_publish(report=second, by=strategist, accept_gaps=True)
    response = client.get(page)
    replaced = reverse("reporting:published-report", args=[second.cycle_id, 2])
    assert "Läs version 2, som ersatte den" in page_text(response)
    assert f'href="{replaced}"' in response.content.decode()
    # The list names both by their version: the one in force and the one withdrawn.
    listing = page_text(client.get(reverse("reporting:published-reports")))
    assert f"{published.cycle.title} , version 2 · PDF" in listing
    assert f"{published.cycle.title} , version 1: publiceringen är återkallad" in listing
    # Its contributions' pages are gone too; a never published version stays unknown.
    contribution = reverse(
        "reporting:published-contribution", args=[published.cycle_id, published.number, 1]
    )
    assert client.get(contribution).status_code == 410
    never = Report.objects.create(
        cycle=published.cycle, number=3, status=Report.Status.DONE, compiled_by=strategist
    )
    assert client.get(URLS["pdf"](never)).status_code == 404
    assert (
        client.get(reverse("reporting:published-report", args=[never.cycle_id, 3])).status_code
        == 404
    )


def test_an_unpublished_version_stays_private(client, published, strategist):
    report_unpublish(report=published, by=strategist, reason="Fel siffror.")
    client.force_login(strategist)
    response = client.get(URLS["pdf"](published))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert not response.has_header("ETag")
