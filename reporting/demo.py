"""A demo cycle with fictional contributions in every state. Everything is marked demo."""

import datetime
import re

from django.contrib.auth import get_user_model
from django.db import transaction

from programme.models import Organisation, Programme, Sdg

from . import services
from .content import ContributionContent
from .models import Contribution, ContributionVersion, Cycle, Question
from .report import texts as report_texts
from .report.compile import report_text_save, synthesis_save
from .selectors import approved_versions

DEMO_TITLE = "Uppföljning 2026 (demo)"

# (organisation, focus area, state to reach, fields, actions)
DEMO_CONTRIBUTIONS = [
    (
        "Miljönämnden",
        "2.1",
        "approved",
        {
            "done": (
                "(Demo) Vi har infört en tillsynskampanj om energieffektivisering hos 40 "
                "verksamheter och tagit fram vägledning om cirkulärt byggande, https://helsingborg.se."
            ),
            "results": "(Demo) 28 verksamheter har åtgärdsplaner för minskad energianvändning.",
            "assessment": "positive",
            "assessment_motivation": "(Demo) Fler verksamheter arbetar aktivt med energifrågor.",
            "challenges": "(Demo) Svårt att följa upp effekter på utsläppen på kort sikt.",
            "next_steps": (
                "- (Demo) Följa upp åtgärdsplanerna\n- (Demo) Utöka kampanjen till handeln"
            ),
            "collaboration": [
                "Miljöförvaltningen",
                "Öresundskraft AB",
                "(Demo) Energikontor Skåne",
            ],
        },
        [("(Demo) Tillsynskampanj energi", "completed", [7, 13], ["socio_economic"])],
    ),
    (
        "Miljönämnden",
        "2.2",
        "resubmitted",
        {
            "done": "(Demo) Restaurering av två våtmarker och inventering av pollinatörer.",
            "results": "(Demo) Ökad förekomst av groddjur i de restaurerade våtmarkerna.",
            "assessment": "positive",
            "assessment_motivation": "(Demo) Inventeringen visar fler arter än 2024.",
            "collaboration": ["Stadsbyggnadsnämnden", "(Demo) Länsstyrelsen i Skåne län"],
        },
        [("(Demo) Våtmarksrestaurering", "ongoing", [6, 13], [])],
    ),
    (
        "Miljönämnden",
        "2.3",
        "returned",
        {
            "done": "(Demo) Översyn av nämndens krisberedskap.",
            "results": "(Demo) Uppdaterad krisledningsplan.",
            "assessment": "unchanged",
            "assessment_motivation": "(Demo) För tidigt att bedöma.",
        },
        [],
    ),
    (
        "Miljönämnden",
        "4.2",
        "submitted",
        {
            "done": "(Demo) Mätning av luftkvalitet vid fem skolor.",
            "results": "(Demo) Halterna av kvävedioxid låg under miljökvalitetsnormen.",
            "assessment": "cannot_assess",
            "assessment_motivation": "(Demo) Första mätåret; jämförelse saknas.",
        },
        [("(Demo) Luftmätning vid skolor", "completed", [3, 11], ["children"])],
    ),
    (
        "Miljönämnden",
        "3.1",
        "submitted",
        {
            "not_relevant": True,
            "not_relevant_reason": "(Demo) Nämnden har inget uppdrag om trygghet.",
        },
        [],
    ),
    (
        "Miljönämnden",
        "2.4",
        "ready",
        {
            "done": "(Demo) Klimatkrav i nämndens upphandlingar av fordon och tjänster.",
            "results": "(Demo) Tre av fyra nya avtal har klimatkrav.",
            "assessment": "positive",
            "assessment_motivation": "(Demo) Andelen avtal med klimatkrav ökar.",
        },
        [("(Demo) Klimatkrav i upphandling", "ongoing", [12], [])],
    ),
    (
        "Miljönämnden",
        "4.1",
        "draft",
        {"done": "(Demo) Påbörjat: kartläggning av buller i bostadsområden."},
        [],
    ),
    (
        "Helsingborgshem AB",
        "4.2",
        "approved",
        {
            "done": (
                "(Demo) Nya gröna innergårdar i två bostadsområden, planerade med hyresgästerna."
            ),
            "results": "(Demo) 300 hushåll har fått tillgång till odlingslotter.",
            "assessment": "positive",
            "assessment_motivation": "(Demo) Hög nöjdhet i hyresgästenkäten.",
            "collaboration": ["Stadsbyggnadsnämnden", "(Demo) Hyresgästföreningen"],
        },
        [("(Demo) Gröna innergårdar", "completed", [11, 15], ["age", "socio_economic"])],
    ),
    (
        "Helsingborgshem AB",
        "5.1",
        "submitted",
        {
            "done": "(Demo) Sommarjobb för 60 ungdomar i bolagets bostadsområden.",
            "results": "(Demo) 45 ungdomar fullföljde och fick referenser.",
            "assessment": "positive",
            "assessment_motivation": "(Demo) Fler sökande än förra året.",
        },
        [("(Demo) Sommarjobb för unga", "completed", [8], ["children", "ethnicity"])],
    ),
    (
        "Helsingborgshem AB",
        "3.1",
        "draft",
        {"done": "(Demo) Trygghetsvandringar planeras under våren."},
        [("(Demo) Trygghetsvandringar", "planned", [11, 16], ["gender"])],
    ),
]


# More approved contributions, so that the demo's report covers most focus areas:
# (organisation, focus area, what was done, results, own assessment, its motivation,
# an action (title, status, global goals)).
DEMO_APPROVED = [
    (
        "Helsingborgshem AB",
        "2.2",
        "Ängsytor i stället för gräsmattor på sex gårdar.",
        "Fler fjärilsarter på gårdarna än året innan.",
        "positive",
        "Inventeringen visar en tydlig ökning.",
        ("Ängsytor på gårdarna", "ongoing", [15]),
    ),
    (
        "Helsingborgshem AB",
        "2.3",
        "Reservkraft i två fastigheter med trygghetsboenden.",
        "Boendena klarar ett längre strömavbrott.",
        "positive",
        "Beredskapen har förbättrats där behovet är störst.",
        ("Reservkraft", "completed", [11]),
    ),
    (
        "Helsingborgshem AB",
        "2.4",
        "Energieffektivisering vid stambyten.",
        "Energianvändningen minskade med tolv procent i de renoverade husen.",
        "positive",
        "Minskningen följer planen.",
        ("Energieffektivisering vid stambyten", "ongoing", [7, 13]),
    ),
    (
        "Helsingborgshem AB",
        "3.2",
        "Praktikplatser för personer långt från arbetsmarknaden.",
        "Åtta av tjugo praktikanter fick anställning.",
        "unchanged",
        "Samma andel som förra året.",
        ("Praktik i fastighetsskötseln", "ongoing", [8]),
    ),
    (
        "Miljönämnden",
        "3.3",
        "Öppna samråd om nämndens tillsynsplan.",
        "Fler synpunkter från invånare än vid förra samrådet.",
        "positive",
        "Intresset för att påverka ökade.",
        ("Öppna samråd", "completed", [16]),
    ),
    (
        "Helsingborgshem AB",
        "4.1",
        "Utegym och promenadslingor i tre bostadsområden.",
        "Utegymmen används dagligen enligt hyresgästenkäten.",
        "positive",
        "Hög användning.",
        ("Utegym i bostadsområden", "completed", [3]),
    ),
    (
        "Helsingborgshem AB",
        "4.3",
        "Konst i trapphus tillsammans med unga konstnärer.",
        "Fyra trapphus har fått konst som de boende valt.",
        "cannot_assess",
        "För tidigt att säga något om effekten.",
        ("Konst i trapphus", "ongoing", [11]),
    ),
    (
        "Miljönämnden",
        "5.1",
        "Information om miljöregler på flera språk.",
        "Fler företag med utländsk bakgrund följer reglerna vid tillsyn.",
        "positive",
        "Färre anmärkningar vid tillsyn.",
        ("Information på flera språk", "ongoing", [10]),
    ),
    (
        "Miljönämnden",
        "5.2",
        "Jämställdhetsanalys av nämndens tillsyn.",
        "Analysen visar inga skillnader i hur kvinnors och mäns företag granskas.",
        "unchanged",
        "Inga skillnader att åtgärda.",
        ("Jämställdhetsanalys", "completed", [5]),
    ),
    (
        "Helsingborgshem AB",
        "5.3",
        "Läxhjälp i bolagets lokaler i samarbete med föreningar.",
        "Ett hundra barn fick läxhjälp varje vecka.",
        "negative",
        "Färre barn än förra året kom till läxhjälpen.",
        ("Läxhjälp", "ongoing", [4]),
    ),
]

DEMO_TEXTS = {
    "sammanfattning": (
        "(Demo) Arbetet med programmet går framåt inom de flesta fokusområden. Nämnder och "
        "bolag redovisar konkreta insatser, till exempel tillsyn av energianvändning [#{2.1}] "
        "och gröna innergårdar [#{4.2}].\n\n(Demo) Effekterna är ofta svåra att mäta på kort "
        "sikt, och barns uppväxtvillkor är det område där utvecklingen går åt fel håll [#{5.3}]."
    ),
    "inledning": (
        "(Demo) Den här rapporten är byggd på påhittade uppgifter. Den visar hur uppföljningen "
        "av programmet redovisas för kommunfullmäktige, från bidragen till analysen."
    ),
    "fortsatt-arbete": (
        "(Demo) Nästa uppföljning bör be om siffror som går att jämföra mellan åren, så att "
        "effekterna av insatserna syns [#{2.4}]."
    ),
}


def _demo_synthesis(cycle, area, contributions, strategist):
    """The strategist's analysis of a focus area, citing each approved contribution."""
    paragraphs = [
        f"(Demo) {c.organisation.name} redovisar: [#{c.pk}: {c.results.removeprefix('(Demo) ')}]"
        for c in contributions
    ]
    assessments = [c.assessment for c in contributions if c.assessment]
    synthesis_save(
        cycle=cycle,
        focus_area=area,
        analysis="\n\n".join(paragraphs),
        assessment=max(set(assessments), key=assessments.count) if assessments else "",
        highlighted=[],
        by=strategist,
    )


def _demo_report(cycle, strategist):
    """Every focus area with an approved contribution analysed, every report text written
    and marked ready: the report a newcomer compiles is a whole council report."""
    approved = {}
    for contribution in cycle.contributions.filter(
        state=Contribution.State.APPROVED
    ).select_related("organisation", "focus_area"):
        approved.setdefault(contribution.focus_area, []).append(contribution)
    for area, contributions in approved.items():
        _demo_synthesis(cycle, area, contributions, strategist)
    cite = {area.code: contributions[0].pk for area, contributions in approved.items()}
    texts = dict(DEMO_TEXTS)
    for direction in cycle.programme.directions.all():
        codes = [area.code for area in direction.focus_areas.all() if area.code in cite]
        texts[report_texts.direction_key(direction)] = (
            f"(Demo) Under viljeinriktningen har {len(codes)} fokusområden godkända bidrag"
            + (f", till exempel [#{{{codes[0]}}}]." if codes else ".")
        )
    for key, text in texts.items():
        slot = report_texts.slot(cycle, key)
        report_text_save(
            cycle=cycle,
            part=slot.part,
            direction=slot.direction,
            text=re.sub(r"\{([\d.]+)\}", lambda m: str(cite[m.group(1)]), text),
            ready=True,
            revision=slot.revision,
            by=strategist,
        )


def _partners(names):
    """Collaboration from names: one of the city's organisations by its name, any other
    as written (the demo's own are marked "(Demo)")."""
    city = dict(Organisation.objects.filter(name__in=names).values_list("name", "pk"))
    return [{"name": name, "organisation_id": city.get(name)} for name in names]


def _save(contribution, user, fields, actions):
    if "collaboration" in fields:
        fields = {**fields, "collaboration": _partners(fields["collaboration"])}
    content = ContributionContent.of(contribution).replaced(actions=actions, **fields)
    return services.contribution_save(
        contribution=contribution, content=content, expected_version=contribution.version, by=user
    )


def _user(username):
    return get_user_model().objects.get(username=username)


@transaction.atomic
def demo_cycle_load() -> bool:
    """Create the demo cycle once; returns False if it was already there."""
    if Cycle.objects.filter(title=DEMO_TITLE).exists():
        return False
    strategist = _user("strateg")
    cycle = Cycle.objects.create(
        programme=Programme.objects.get(edition="2025–2027"),
        title=DEMO_TITLE,
        first_year=2025,
        last_year=2026,
        opens_on=datetime.date(2026, 10, 1),
        due_on=datetime.date(2027, 1, 29),
        is_demo=True,
    )
    Question.objects.create(
        cycle=cycle,
        text="(Demo) Hur har ni involverat invånarna i arbetet?",
        kind=Question.Kind.LONG_TEXT,
        position=1,
    )
    services.cycle_open(cycle=cycle, by=strategist)
    approvers = {
        "Miljönämnden": _user("miljo.godkannare"),
        "Helsingborgshem AB": _user("hem.godkannare"),
    }
    reporters = {
        "Miljönämnden": _user("miljo.rapportor"),
        "Helsingborgshem AB": _user("hem.rapportor"),
    }
    sdgs = {sdg.number: sdg for sdg in Sdg.objects.all()}
    for organisation, code, state, fields, actions in DEMO_CONTRIBUTIONS:
        contribution = Contribution.objects.get(
            cycle=cycle,
            organisation=Organisation.objects.get(name=organisation),
            focus_area__code=code,
        )
        action_data = [
            {"title": title, "status": status, "sdgs": [sdgs[n] for n in goals], "groups": groups}
            for title, status, goals, groups in actions
        ]
        contribution = _save(contribution, reporters[organisation], fields, action_data)
        if state == "draft":
            continue
        if state == "ready":
            services.contribution_mark_ready(
                contribution=contribution,
                by=reporters[organisation],
                note="(Demo) Klart från min sida – titta gärna på resultaten.",
            )
            continue
        services.contribution_submit(contribution=contribution, by=approvers[organisation])
        if state in ("returned", "resubmitted"):
            services.contribution_return(
                contribution=contribution,
                comment="(Demo) Beskriv gärna resultaten med siffror.",
                by=strategist,
            )
        if state == "resubmitted":
            contribution.refresh_from_db()
            more = {"results": fields["results"] + " (Demo) 14 arter jämfört med 9 år 2024."}
            contribution = _save(contribution, reporters[organisation], more, action_data)
            services.contribution_submit(contribution=contribution, by=approvers[organisation])
        if state == "approved":
            services.contribution_approve(contribution=contribution, by=strategist)
    for organisation, code, done, results, assessment, motivation, action in DEMO_APPROVED:
        contribution = Contribution.objects.get(
            cycle=cycle, organisation__name=organisation, focus_area__code=code
        )
        title, status, goals = action
        contribution = _save(
            contribution,
            reporters[organisation],
            {
                "done": f"(Demo) {done}",
                "results": f"(Demo) {results}",
                "assessment": assessment,
                "assessment_motivation": f"(Demo) {motivation}",
            },
            [{"title": f"(Demo) {title}", "status": status, "sdgs": [sdgs[n] for n in goals]}],
        )
        services.contribution_submit(contribution=contribution, by=approvers[organisation])
        services.contribution_approve(contribution=contribution, by=strategist)
    _demo_report(cycle, strategist)
    return True


def demo_more_organisations(cycle: Cycle, count: int, name: str = "Exempelbolag") -> None:
    """The cycle's approved contributions again for ``count`` more (demo) companies, each
    approved as it is: to see and measure a report of many organisations
    (bench/report.py, tests/test_report_pages.py)."""
    versions = list(approved_versions(cycle))
    for index in range(count):
        organisation = Organisation.objects.create(
            name=f"{name} {index + 1} (demo)", kind=Organisation.Kind.COMPANY
        )
        for version in versions:
            contribution = Contribution.objects.create(
                cycle=cycle,
                organisation=organisation,
                focus_area=version.contribution.focus_area,
                state=Contribution.State.APPROVED,
                version=1,
            )
            ContributionVersion.objects.create(
                contribution=contribution,
                number=1,
                state=Contribution.State.APPROVED,
                data=version.data,
                event=ContributionVersion.Event.APPROVED,
            )
