"""Publishing a report is a decision: what it holds and lacks is shown, it is confirmed,
and a publication can be withdrawn with who, when and why kept."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime

from reporting import services
from reporting.models import Report
from reporting.report.compile import report_unpublish
from reporting.services import WorkflowError
from tests.factories import (
    approve,
    compile_report,
    fill,
    make_user,
    page_text,
    publish_on_the_page,
    write_report_text,
)

pytestmark = pytest.mark.django_db

# The cycle fixture is open, its 208 requests not submitted: publishing in it accepts that.
CONFIRMED = {"confirm": "on", "accept_gaps": "on"}


def test_the_publish_page_shows_what_the_version_lacks(client, strategist, report):
    client.force_login(strategist)
    page = page_text(client.get(reverse("reporting:report-publish", args=[report.cycle_id, 1])))
    assert "0 av 208 förfrågningar är besvarade och godkända." in page
    assert "Ingen analys är skriven för: 2.1, 2.2" in page
    assert "indikatorer har inte kontrollerats mot sin källa" in page
    # In the report's own words: its overview says "Besvarade och godkända", "0 av 16".
    assert "Fokusområde Besvarade och godkända Analys Samlad bedömning" in page
    assert "2.1 Minimera klimatpåverkan och resursanvändningen 0 av 16 inte skriven" in page
    report.refresh_from_db()
    assert not report.published  # looking publishes nothing


def test_the_publish_page_is_a_step_of_the_cycle_like_the_others(client, strategist, report):
    """In the frame of the cycle's steps (cycle_step.html): the trail leads to the cycle and
    its compiled reports, and where the step is refused, the reason leads back to them."""
    client.force_login(strategist)
    url = reverse("reporting:report-publish", args=[report.cycle_id, 1])
    response = client.get(url)
    html = response.content.decode()
    assert f'href="{reverse("reporting:cycle-detail", args=[report.cycle_id])}"' in html
    assert (
        "Uppföljningar " + report.cycle.title + " Sammanställda rapporter Publicera version 1"
        in (page_text(response))
    )
    publish_on_the_page(client, url)
    refused = client.get(url)
    back = reverse("reporting:report-list", args=[report.cycle_id])
    assert "Den här versionen är redan publicerad. Tillbaka till de sammanställda rapporterna" in (
        page_text(refused)
    )
    assert f'href="{back}"' in refused.content.decode()


def test_publishing_needs_the_confirmation(client, strategist, report):
    client.force_login(strategist)
    url = reverse("reporting:report-publish", args=[report.cycle_id, 1])
    response = client.post(url, {})
    assert "Kryssa i rutan för att bekräfta publiceringen." in page_text(response)
    report.refresh_from_db()
    assert not report.published
    publish_on_the_page(client, url)
    report.refresh_from_db()
    assert report.published and report.published_by == strategist
    client.logout()
    assert (
        client.get(reverse("reporting:report-download", args=[report.cycle_id, 1])).status_code
        == 200
    )


def test_a_publication_is_withdrawn_with_who_when_and_why(client, strategist, reporter_a, report):
    client.force_login(strategist)
    publish_on_the_page(client, reverse("reporting:report-publish", args=[report.cycle_id, 1]))
    unpublish = reverse("reporting:report-unpublish", args=[report.cycle_id, 1])
    client.post(unpublish, {"reason": ""})
    report.refresh_from_db()
    assert report.published  # not without a reason
    with pytest.raises(WorkflowError):
        report_unpublish(report=report, by=reporter_a, reason="Fel siffror")
    client.post(unpublish, {"reason": "Fel siffror i 3.2."})
    report.refresh_from_db()
    assert not report.published
    events = list(report.publications.values_list("action", "by__username", "reason"))
    assert events == [
        ("published", "strategist", ""),
        ("withdrawn", "strategist", "Fel siffror i 3.2."),
    ]
    page = page_text(client.get(reverse("reporting:report-list", args=[report.cycle_id])))
    assert "Publiceringen återkallad" in page and "Fel siffror i 3.2." in page
    client.logout()
    assert (
        client.get(reverse("reporting:report-download", args=[report.cycle_id, 1])).status_code
        == 410
    )
    listing = page_text(client.get(reverse("reporting:published-reports")))
    assert "Uppföljning 2026 , version 1: publiceringen är återkallad" in listing


def test_the_checklist_counts_approved_contributions(
    strategist, approver_a, contribution_a, report
):
    from reporting.report.compile import publication_checklist
    from reporting.services import contribution_approve, contribution_submit

    fill(contribution_a, approver_a)
    contribution_submit(contribution=contribution_a, by=approver_a)
    contribution_approve(contribution=contribution_a, by=strategist)
    checklist = publication_checklist(report)
    assert (checklist["approved"], checklist["asked"]) == (1, 208)
    row = next(r for r in checklist["areas"] if r["area"].code == "2.1")
    assert (row["approved"], row["asked"]) == (1, 16)


def test_publishing_records_who_published(strategist, reporter_a, cycle, settings, tmp_path):

    from reporting.models import Report
    from reporting.report.compile import report_publish

    settings.MEDIA_ROOT = tmp_path
    report = Report(cycle=cycle, number=1, status=Report.Status.DONE, compiled_by=strategist)
    report.pdf.save("r.pdf", ContentFile(b"%PDF"), save=True)
    with pytest.raises(services.WorkflowError):
        report_publish(report=report, by=reporter_a, accept_gaps=True)
    report_publish(report=report, by=strategist, accept_gaps=True)
    report.refresh_from_db()
    assert (report.published, report.published_by) == (True, strategist)


def test_a_version_keeps_what_the_strategists_own_parts_lacked_when_compiled(
    client, cycle, strategist, django_capture_on_commit_callbacks
):
    """Issue 21.5: the publish page lists the texts not written or not marked ready and the
    focus areas without analysis or assessment, as the version printed them."""
    from tests.factories import compile_report

    write_report_text(cycle, strategist, "sammanfattning", "Arbetet går framåt.", ready=False)
    write_report_text(
        cycle, strategist, "inledning", "Rapporten beskriver uppföljningen.", ready=True
    )
    report = compile_report(cycle, strategist, django_capture_on_commit_callbacks)
    kinds = {(gap["kind"], gap.get("text") or gap.get("code")) for gap in report.gaps}
    assert ("not_ready", "sammanfattning") in kinds
    assert ("not_written", "fortsatt-arbete") in kinds
    assert ("not_written", "viljeinriktning-2") in kinds
    assert ("no_analysis", "2.1") in kinds and ("no_assessment", "5.3") in kinds
    assert not any(text == "inledning" for _, text in kinds)
    # Written afterwards: this version still lacked it, and the page says so.
    write_report_text(cycle, strategist, "fortsatt-arbete", "Nästa uppföljning 2029.", ready=True)
    client.force_login(strategist)
    page = page_text(client.get(reverse("reporting:report-publish", args=[cycle.pk, 1])))
    assert "Rapportens egna texter:" in page
    assert "Skriven men inte markerad som klar: Sammanfattning." in page
    assert "Inte skriven: Fortsatt arbete." in page
    assert "Inte skriven: 2. Vi vill ha ett långsiktigt ansvarstagande." in page
    assert "Ingen analys för 2.1." in page and "Ingen samlad bedömning för 5.3." in page
    # The cycle is open too: what is accepted is said to be the contributions' as well.
    assert "Jag godtar det som saknas enligt listan ovan, också att bidrag" in page


def test_publishing_with_gaps_needs_them_accepted_and_keeps_them(
    client, cycle, strategist, django_capture_on_commit_callbacks
):
    from reporting.models import Publication
    from tests.factories import compile_report

    report = compile_report(cycle, strategist, django_capture_on_commit_callbacks)
    assert report.gaps
    published_only_once_accepted(
        client, report, strategist, "Publicera den bara genom att godta dem"
    )
    publication = Publication.objects.get()
    # With the version's own gaps, the cycle's: still open, none of its requests submitted.
    open_gap = {"kind": "open", "due": "2099-03-31", "overdue": False, "count": 208, "asked": 208}
    assert publication.accepted_gaps == [*report.gaps, open_gap]
    assert publication.by == strategist
    listing = page_text(client.get(reverse("reporting:report-list", args=[cycle.pk])))
    # Which gaps were accepted, from the publication, not only how many.
    assert f"{len(report.gaps)} egna brister godtogs Inte skriven: Sammanfattning." in listing
    assert "Ingen analys för 2.1." in listing and "Ingen samlad bedömning för 5.3." in listing
    # The publication is told once: in the list of what happened to the version.
    when = date_format(localtime(publication.at), "DATETIME_FORMAT")
    assert listing.count(f"ublicerad {when}") == 1


def test_a_version_lacking_nothing_of_its_own_is_published_with_the_confirmation_alone(
    client, approved, strategist, django_capture_on_commit_callbacks
):
    from reporting.models import Publication
    from reporting.report import texts as report_texts
    from reporting.report.compile import synthesis_save
    from tests.factories import compile_report

    cycle = approved.cycle
    for slot in report_texts.slots(cycle):
        write_report_text(cycle, strategist, slot.key, f"Text för {slot.title}.", ready=True)
    for area in cycle.programme.focus_areas.all():
        synthesis_save(
            cycle=cycle,
            focus_area=area,
            analysis=f"Analys [#{approved.pk}].",  # each paragraph citing what it rests on
            assessment="unchanged",
            highlighted=[],
            by=strategist,
        )
    report = compile_report(cycle, strategist, django_capture_on_commit_callbacks)
    assert report.gaps == []
    # Nor its cycle: in review, nothing waiting, nothing being corrected.
    services.cycle_start_review(cycle=cycle, by=strategist)
    client.force_login(strategist)
    url = reverse("reporting:report-publish", args=[cycle.pk, 1])
    assert "egna brister" not in page_text(client.get(url))
    client.post(url, {"confirm": "on"})
    report.refresh_from_db()
    assert report.published and Publication.objects.get().accepted_gaps == []


def test_the_report_list_links_a_published_version_to_its_public_page(client, strategist, report):
    """Where the strategist publishes, the page the public reads is a link away; a withdrawn
    publication keeps its page (it says why), so the link stays."""
    client.force_login(strategist)
    listing = reverse("reporting:report-list", args=[report.cycle_id])
    public = reverse("reporting:published-report", args=[report.cycle_id, 1])
    assert f'href="{public}"' not in client.get(listing).content.decode()
    publish_on_the_page(client, reverse("reporting:report-publish", args=[report.cycle_id, 1]))
    page = client.get(listing).content.decode()
    assert f'href="{public}">Den offentliga sidan' in page
    client.post(
        reverse("reporting:report-unpublish", args=[report.cycle_id, 1]), {"reason": "Fel."}
    )
    assert f'href="{public}">Den offentliga sidan' in client.get(listing).content.decode()


def test_withdrawing_says_the_public_page_stays_and_the_files_go(client, strategist, report):
    """The withdrawn version's public page stays up and says when and why; only its files
    are gone (410): the message said 'it is no longer public', which is not what happens."""
    client.force_login(strategist)
    publish_on_the_page(client, reverse("reporting:report-publish", args=[report.cycle_id, 1]))
    response = client.post(
        reverse("reporting:report-unpublish", args=[report.cycle_id, 1]),
        {"reason": "Fel."},
        follow=True,
    )
    text = page_text(response)
    assert "inte längre offentlig" not in text
    assert (
        "Publiceringen av version 1 är återkallad: filerna går inte längre att hämta. "
        "Den offentliga sidan finns kvar och berättar när och varför den återkallades."
    ) in text
    client.logout()
    public = reverse("reporting:published-report", args=[report.cycle_id, 1])
    assert client.get(public).status_code == 200
    download = reverse("reporting:report-download", args=[report.cycle_id, 1])
    assert client.get(download).status_code == 410


def test_the_publish_page_offers_no_publishing_the_service_would_refuse(client, strategist, report):
    """A version already published, or not compiled, is not offered for publishing: the
    page says the workflow's reason instead of a form the service would refuse."""
    client.force_login(strategist)
    url = reverse("reporting:report-publish", args=[report.cycle_id, 1])
    publish_on_the_page(client, url)
    response = client.get(url)
    assert "Den här versionen är redan publicerad." in page_text(response)
    assert 'name="confirm"' not in response.content.decode()
    report.published = False
    report.status = Report.Status.FAILED
    report.save()
    response = client.get(url)
    assert "Bara en färdig rapport kan publiceras." in page_text(response)
    assert 'name="confirm"' not in response.content.decode()


def test_the_publish_page_says_what_was_approved_after_the_version_was_compiled(
    client,
    strategist,
    approver_a,
    contribution_a,
    reporter_b,
    contribution_b,
    django_capture_on_commit_callbacks,
):
    approve(contribution_a, approver_a, strategist)
    report = compile_report(contribution_a.cycle, strategist, django_capture_on_commit_callbacks)
    url = reverse("reporting:report-publish", args=[report.cycle_id, report.number])
    client.force_login(strategist)
    assert "efter att versionen sammanställdes" not in page_text(client.get(url))
    approve(contribution_b, reporter_b, strategist)
    page = " ".join(page_text(client.get(url)).split())
    assert (
        "1 bidrag som godkändes efter att versionen sammanställdes finns inte med i den: "
        "sammanställ en ny version för att få med det."
    ) in page
    # Its counts are the version's own, as it states them; the difference is said above.
    assert "1 av 208 förfrågningar är besvarade och godkända." in page
    assert "2.1 Minimera klimatpåverkan och resursanvändningen 1 av 16" in page


def test_too_long_a_withdrawal_reason_is_refused_with_the_limit_and_kept(
    client, strategist, report
):
    """A reason over the limit is not 'no reason': the page comes again with the reason as
    typed and the limit said, and the publication stays."""
    client.force_login(strategist)
    publish_on_the_page(client, reverse("reporting:report-publish", args=[report.cycle_id, 1]))
    reason = "Felaktiga siffror i avsnitt 4. " * 33
    assert len(reason) == 1023
    response = client.post(
        reverse("reporting:report-unpublish", args=[report.cycle_id, 1]), {"reason": reason}
    )
    assert response.status_code == 200
    text = page_text(response)
    assert "Säkerställ att detta värde har som mest 1000 tecken (den har 1023)" in text
    assert "Skriv varför publiceringen återkallas." not in text
    assert f">\n{reason}</textarea>" in response.content.decode()  # as typed, to the last space
    assert "<details open>" in response.content.decode()  # the form is shown, not folded
    report.refresh_from_db()
    assert report.published
    assert list(report.publications.values_list("action", flat=True)) == ["published"]


def test_an_empty_withdrawal_reason_is_refused_on_the_page(client, strategist, report):
    client.force_login(strategist)
    publish_on_the_page(client, reverse("reporting:report-publish", args=[report.cycle_id, 1]))
    response = client.post(
        reverse("reporting:report-unpublish", args=[report.cycle_id, 1]), {"reason": "  "}
    )
    assert response.status_code == 200
    assert "Skriv varför publiceringen återkallas." in page_text(response)
    report.refresh_from_db()
    assert report.published


def test_withdrawing_a_version_not_published_says_why_not(client, strategist, report):
    """The page offers no form for it, so the reason cannot be shown there: a message."""
    client.force_login(strategist)
    response = client.post(
        reverse("reporting:report-unpublish", args=[report.cycle_id, 1]),
        {"reason": ""},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse(
        "reporting:report-list", args=[report.cycle_id]
    )
    assert "inte publicerad" in page_text(response)
    report.refresh_from_db()
    assert not report.published and not report.publications.exists()


def test_the_publish_page_lists_an_analysis_older_than_an_approval_and_paragraphs_citing_nothing(
    client, approved, contribution_b, strategist, django_capture_on_commit_callbacks
):
    """What the synthesis list says of an analysis (new approved contributions since it was
    written) and what the preview says of its paragraphs citing nothing: the publish page
    lists them too, as the version had them when compiled, from the same list."""
    from programme.models import Membership
    from reporting.report.compile import synthesis_save

    cycle = approved.cycle
    synthesis_save(
        cycle=cycle,
        focus_area=approved.focus_area,
        analysis=f"Elbilar ersätter bensinbilar [#{approved.pk}].\n\nMer behöver göras.",
        assessment="positive",
        highlighted=[],
        by=strategist,
    )
    approver_b = make_user(
        "approver_b", organisation=contribution_b.organisation, role=Membership.Role.APPROVER
    )
    approve(contribution_b, approver_b, strategist)  # after the analysis was written
    client.force_login(strategist)
    outdated = "Analysen av 2.1 har nya godkända bidrag sedan den skrevs."
    uncited = "1 stycke i analysen av 2.1 hänvisar inte till något bidrag."
    preview = page_text(client.get(reverse("reporting:report-preview", args=[cycle.pk])))
    assert outdated in preview and uncited in preview
    report = compile_report(cycle, strategist, django_capture_on_commit_callbacks)
    assert {"kind": "outdated", "code": "2.1"} in report.gaps
    assert {"kind": "uncited", "code": "2.1", "count": 1} in report.gaps
    url = reverse("reporting:report-publish", args=[cycle.pk, 1])
    page = page_text(client.get(url))
    assert outdated in page and uncited in page
    assert "2.1 Minimera klimatpåverkan och resursanvändningen 2 av 16 skriven – ses över" in page
    # Put right afterwards: this version still has them, as it printed them.
    synthesis_save(
        cycle=cycle,
        focus_area=approved.focus_area,
        analysis=f"Elbilar ersätter bensinbilar [#{approved.pk}] [#{contribution_b.pk}].",
        assessment="positive",
        highlighted=[],
        by=strategist,
        revision=cycle.syntheses.get().revision,
    )
    preview = page_text(client.get(reverse("reporting:report-preview", args=[cycle.pk])))
    assert outdated not in preview and uncited not in preview
    page = page_text(client.get(url))
    assert outdated in page and uncited in page


def _submit(contribution, approver):
    from reporting.services import contribution_submit

    fill(contribution, approver)
    contribution_submit(contribution=contribution, by=approver)


def test_the_preview_and_the_publish_page_say_what_the_cycle_still_waits_for(
    client, strategist, approver_a, contribution_a, report
):
    """Contributions submitted but not reviewed, and a cycle still open for reporting: the
    report would go to the council without them. Both pages say how many and until when,
    and lead to the cycle's review queue."""
    _submit(contribution_a, approver_a)
    client.force_login(strategist)
    queue = f"{reverse('reporting:review-queue')}?cycle={report.cycle_id}"
    waiting = "1 bidrag väntar på granskning."
    still_open = (
        "Rapporteringen är öppen till 31 mars 2099: 207 av 208 begärda bidrag är inte "
        "inskickade ännu."
    )
    preview = client.get(reverse("reporting:report-preview", args=[report.cycle_id]))
    assert waiting in page_text(preview) and still_open in page_text(preview)
    assert f'<a href="{queue}">{waiting}</a>' in preview.content.decode()
    publish = client.get(reverse("reporting:report-publish", args=[report.cycle_id, 1]))
    page = " ".join(page_text(publish).split())
    assert waiting in page and still_open in page
    assert f'href="{queue}"' in publish.content.decode()
    # To be accepted, as the report's own gaps are.
    assert "också att bidrag ännu inte är granskade eller inskickade" in page


def test_publishing_while_contributions_wait_needs_it_accepted_and_keeps_it(
    client, strategist, approver_a, contribution_a, report
):
    from reporting.models import Publication

    _submit(contribution_a, approver_a)
    assert report.gaps is None  # nothing of its own recorded: only the cycle's are asked
    published_only_once_accepted(
        client, report, strategist, "Publicera den bara genom att godta det"
    )
    assert Publication.objects.get().accepted_gaps == [
        {"kind": "waiting", "count": 1},
        {"kind": "open", "due": "2099-03-31", "overdue": False, "count": 207, "asked": 208},
    ]
    listing = " ".join(
        page_text(client.get(reverse("reporting:report-list", args=[report.cycle_id]))).split()
    )
    assert "Godtaget om bidragen 1 bidrag väntar på granskning." in listing


def test_in_review_the_pages_count_the_contributions_being_corrected(
    client, strategist, approver_a, contribution_a, contribution_b, reporter_b, report
):
    """Once reporting has ended, the drafts never submitted will not come; a contribution
    returned for correction will, and is reviewed again."""
    from reporting.services import contribution_return, cycle_start_review

    _submit(contribution_a, approver_a)
    cycle_start_review(cycle=report.cycle, by=strategist)
    contribution_return(contribution=contribution_a, by=strategist, comment="Komplettera.")
    client.force_login(strategist)
    url = reverse("reporting:report-publish", args=[report.cycle_id, 1])
    page = " ".join(page_text(client.get(url)).split())
    assert "1 bidrag som återsänts för rättelse är inte inskickat igen ännu." in page
    assert "väntar på granskning" not in page and "Rapporteringen är öppen" not in page


def test_the_cycles_gaps_cost_one_query_whatever_the_contributions(
    strategist, approver_a, contribution_a, contribution_b, reporter_b, cycle
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reporting.report.data import cycle_gaps

    with CaptureQueriesContext(connection) as few:
        cycle_gaps(cycle)
    _submit(contribution_a, approver_a)
    _submit(contribution_b, reporter_b)
    with CaptureQueriesContext(connection) as many:
        found = cycle_gaps(cycle)
    assert len(few) == len(many) == 1
    assert found[0] == {"kind": "waiting", "count": 2}


def test_what_was_accepted_is_what_was_seen(
    client, strategist, approver_a, contribution_a, reporter_b, contribution_b, report
):
    """A contribution submitted between looking and publishing: the strategist accepted
    what the page showed, not that; nothing is published until they have seen it."""
    import re

    _submit(contribution_a, approver_a)
    client.force_login(strategist)
    url = reverse("reporting:report-publish", args=[report.cycle_id, 1])
    seen = re.search(r'name="seen" value="(\w+)"', client.get(url).content.decode())[1]
    _submit(contribution_b, reporter_b)
    response = client.post(url, {**CONFIRMED, "seen": seen}, follow=True)
    assert "har ändrats sedan du tittade" in page_text(response)
    report.refresh_from_db()
    assert not report.published
    seen = re.search(r'name="seen" value="(\w+)"', client.get(url).content.decode())[1]
    client.post(url, {**CONFIRMED, "seen": seen})
    report.refresh_from_db()
    assert report.published
    assert report.publications.get().accepted_gaps[0] == {"kind": "waiting", "count": 2}


def published_only_once_accepted(client, report, strategist, refusal):
    """The service refuses to publish without the gaps accepted (``refusal``), whatever
    calls it, changing nothing; the page too, when only confirmed; then, accepted, the
    version is published."""
    import re

    from reporting.models import Publication
    from reporting.report.compile import report_publish

    with pytest.raises(WorkflowError, match=refusal):
        report_publish(report=report, by=strategist)
    report.refresh_from_db()
    assert not report.published and not Publication.objects.exists()
    client.force_login(strategist)
    url = reverse("reporting:report-publish", args=[report.cycle_id, report.number])
    response = client.post(url, {"confirm": "on"})
    assert "Kryssa i rutan för att godta det som versionen saknar." in page_text(response)
    report.refresh_from_db()
    assert not report.published
    seen = re.search(r'name="seen" value="(\w+)"', response.content.decode())[1]
    client.post(url, {"confirm": "on", "accept_gaps": "on", "seen": seen})
    report.refresh_from_db()
    assert report.published


def test_gaps_are_accepted_only_as_the_page_showed_them(
    client, strategist, approver_a, contribution_a, report
):
    """A request that does not carry what the page showed (an old page, a hand-made
    request) publishes nothing, whatever it ticks; the page shown again carries it."""
    import re

    _submit(contribution_a, approver_a)
    client.force_login(strategist)
    url = reverse("reporting:report-publish", args=[report.cycle_id, 1])
    for sent in ({**CONFIRMED}, {**CONFIRMED, "seen": ""}):
        response = client.post(url, sent)
        assert response.status_code == 200
        assert "Sidan du skickade visade inte vad versionen saknar." in page_text(response)
        report.refresh_from_db()
        assert not report.published
    seen = re.search(r'name="seen" value="(\w+)"', response.content.decode())[1]
    client.post(url, {**CONFIRMED, "seen": seen})
    report.refresh_from_db()
    assert report.published


def test_a_publish_page_shown_again_carries_what_it_shows_now(
    client, strategist, approver_a, contribution_a, report
):
    """Refused for a box not ticked, the page is shown again with the gaps as they are now
    and their fingerprint: ticking the box there publishes, rather than being told the
    gaps changed since the page was looked at."""
    import re

    client.force_login(strategist)
    url = reverse("reporting:report-publish", args=[report.cycle_id, 1])
    seen = re.search(r'name="seen" value="(\w+)"', client.get(url).content.decode())[1]
    _submit(contribution_a, approver_a)  # one more gap since the page was opened
    response = client.post(url, {"confirm": "on", "seen": seen})
    assert response.status_code == 200 and "1 bidrag väntar på granskning" in page_text(response)
    shown = re.search(r'name="seen" value="(\w+)"', response.content.decode())[1]
    assert shown != seen
    client.post(url, {**CONFIRMED, "seen": shown})
    report.refresh_from_db()
    assert report.published
