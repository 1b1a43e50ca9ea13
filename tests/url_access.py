"""Who may use each URL, and the rules every response keeps: the table the URL walk
(test_url_walk.py) and the English pages (test_english_pages.py) go through.

A new view is described here in ACCESS: the ways of filling in its URL (Variant) and who
may GET and POST each. The world (build_world) is the data the walk runs against;
`world_kwargs` names its attributes.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver

from programme.models import Membership, Organisation
from reporting import services
from reporting.models import ContributionVersion, Initiative, Report
from reporting.report.word import write_docx
from tests.factories import (
    COMPLETE,
    ORGANISATION_A,
    ORGANISATION_B,
    fill,
    make_strategist,
    make_user,
    open_cycle,
    other_date_styles,
    page_text,
    save,
)

# "staff": a staff account without the administrator's grant (issue 19), which may change
# nothing an administrator may.
ROLES = [
    "anonymous", "reporter_a", "approver_a", "reporter_b", "approver_b", "strategist", "admin",
    "staff",
]  # fmt: skip
MEMBERS = {"a": {"reporter_a", "approver_a"}, "b": {"reporter_b", "approver_b"}}
AUTHENTICATED = set(ROLES) - {"anonymous"}
EVERYONE = set(ROLES)
STRATEGIST = {"strategist"}
NOBODY: set[str] = set()
SECRETS = {
    "a": ["HEMLIGT-A-UTKAST", "HEMLIGT-A-RADERAT", "HEMLIGT-A-UTKAST-BILAGA"],
    "b": ["HEMLIGT-B-UTKAST"],
}
MISSING = 999_999


@dataclass
class Variant:
    """One way of filling in a URL's parameters, and who may use it so filled in."""

    label: str
    kwargs: object  # a function of the world, returning the URL's kwargs
    get: set = field(default_factory=set)
    post: set = field(default_factory=set)
    public: set = field(default_factory=set)  # whose GET may be cached and shared


@dataclass
class Access:
    variants: list
    methods: tuple = ("GET", "POST")  # the methods the view accepts at all
    login: bool = True  # anonymous visitors are sent to the login page
    ends_at_login: bool = False  # logging out leads to the login page, as it should


EDITION = "2025-2027"  # the programme's edition in addresses (/program/2025-2027/…)
FORGED_EDITION = "1999-2000"


def world_kwargs(**names):
    """kwargs from attributes of the world: pk="draft_a" gives the pk of world.draft_a."""

    def build(world):
        def value_of(value):
            if isinstance(value, str) and hasattr(world, value):
                return getattr(world, value)
            return value

        return {key: value_of(value) for key, value in names.items()}

    return build


def none(world):
    return {}


def first_document_pk():
    from programme.models import GoverningDocument

    return GoverningDocument.objects.order_by("pk").values_list("pk", flat=True)[0]


def indicator_of(name, *, own=True):
    """The kwargs of a contribution (world.<name>) and an indicator of its focus area, or
    with own=False of another focus area."""

    def build(world):
        from programme.models import Indicator
        from reporting.models import Contribution

        contribution = Contribution.objects.get(pk=getattr(world, name))
        indicators = Indicator.objects.filter(active=True).order_by("pk")
        if own:
            indicators = indicators.filter(focus_area=contribution.focus_area)
        else:
            indicators = indicators.exclude(focus_area=contribution.focus_area)
        return {"pk": contribution.pk, "indicator": indicators.values_list("pk", flat=True)[0]}

    return build


A = MEMBERS["a"]
B = MEMBERS["b"]

CONTRIBUTION_READ = [
    Variant("own draft", world_kwargs(pk="draft_a"), get=A),
    Variant("other organisation's draft", world_kwargs(pk="draft_b"), get=B),
    Variant("submitted", world_kwargs(pk="submitted_a"), get=A | STRATEGIST),
    Variant("approved", world_kwargs(pk="approved_b"), get=B | STRATEGIST),
    Variant("withdrawn", world_kwargs(pk="withdrawn_a")),
    Variant("forged id", world_kwargs(pk=MISSING)),
]
# A contribution's page: strategists follow every one (state and thread), and read its
# content once it is handed over; the leak check proves they never see a draft's text.
CONTRIBUTION_PAGE = [
    Variant("own draft", world_kwargs(pk="draft_a"), get=A | STRATEGIST),
    Variant("other organisation's draft", world_kwargs(pk="draft_b"), get=B | STRATEGIST),
    Variant("submitted", world_kwargs(pk="submitted_a"), get=A | STRATEGIST),
    Variant("approved", world_kwargs(pk="approved_b"), get=B | STRATEGIST),
    Variant("withdrawn", world_kwargs(pk="withdrawn_a")),
    Variant("forged id", world_kwargs(pk=MISSING)),
]
EDITORS = {"strategist", "admin"}  # who sets responsibilities

ANONYMOUS = {"anonymous"}


def first_indicator_pk():
    from programme.models import Indicator

    return Indicator.objects.filter(active=True).order_by("pk").values_list("pk", flat=True)[0]


ACCESS = {
    # The public side: the programme, its statistics, published reports and what they were
    # built from. Only an anonymous visitor's copy may be cached and shared.
    "programme:overview": Access(
        [
            Variant("", none, get=EVERYONE, public=ANONYMOUS),
            Variant("edition", world_kwargs(edition=EDITION), get=EVERYONE, public=ANONYMOUS),
            Variant("forged edition", world_kwargs(edition=FORGED_EDITION)),
        ],
        methods=("GET",),
        login=False,
    ),
    "programme:direction-detail": Access(
        [
            Variant("exists", world_kwargs(number=2), get=EVERYONE, public=ANONYMOUS),
            Variant("forged", world_kwargs(number=99)),
            Variant(
                "edition",
                world_kwargs(edition=EDITION, number=2),
                get=EVERYONE,
                public=ANONYMOUS,
            ),
            Variant("forged edition", world_kwargs(edition=FORGED_EDITION, number=2)),
        ],
        methods=("GET",),
        login=False,
    ),
    "programme:focus-area-detail": Access(
        [
            Variant("exists", world_kwargs(code="2.1"), get=EVERYONE, public=ANONYMOUS),
            Variant("forged", world_kwargs(code="9.9")),
            Variant(
                "edition", world_kwargs(edition=EDITION, code="2.1"), get=EVERYONE, public=ANONYMOUS
            ),
            Variant("forged edition", world_kwargs(edition=FORGED_EDITION, code="2.1")),
        ],
        methods=("GET",),
        login=False,
    ),
    "programme:statistics": Access(
        [
            Variant("", none, get=EVERYONE, public=ANONYMOUS),
            Variant("edition", world_kwargs(edition=EDITION), get=EVERYONE, public=ANONYMOUS),
            Variant("forged edition", world_kwargs(edition=FORGED_EDITION)),
        ],
        methods=("GET",),
        login=False,
    ),
    "programme:statistics-focus-area": Access(
        [
            Variant("exists", world_kwargs(code="2.1"), get=EVERYONE, public=ANONYMOUS),
            Variant("forged", world_kwargs(code="9.9")),
            Variant(
                "edition", world_kwargs(edition=EDITION, code="2.1"), get=EVERYONE, public=ANONYMOUS
            ),
            Variant("forged edition", world_kwargs(edition=FORGED_EDITION, code="2.1")),
        ],
        methods=("GET",),
        login=False,
    ),
    "programme:statistics-indicator": Access(
        [
            Variant(
                "exists", lambda world: {"pk": first_indicator_pk()}, get=EVERYONE, public=ANONYMOUS
            ),
            Variant("forged", world_kwargs(pk=MISSING)),
            Variant(
                "edition",
                lambda world: {"edition": EDITION, "pk": first_indicator_pk()},
                get=EVERYONE,
                public=ANONYMOUS,
            ),
            Variant(
                "forged edition",
                lambda world: {"edition": FORGED_EDITION, "pk": first_indicator_pk()},
            ),
        ],
        methods=("GET",),
        login=False,
    ),
    "reporting:published-report": Access(
        [
            Variant(
                "published",
                world_kwargs(pk="published_cycle", number=1),
                get=EVERYONE,
                public=ANONYMOUS,
            ),
            Variant("unpublished", world_kwargs(pk="cycle", number=1)),
            Variant("forged number", world_kwargs(pk="published_cycle", number=MISSING)),
        ],
        methods=("GET",),
        login=False,
    ),
    "reporting:published-contribution": Access(
        [
            Variant(
                "built from",
                world_kwargs(pk="published_cycle", number=1, version_pk="published_version"),
                get=EVERYONE,
                public=ANONYMOUS,
            ),
            Variant(
                "a submitted version, not in the report",
                world_kwargs(pk="published_cycle", number=1, version_pk="unlisted_version"),
            ),
            Variant(
                # The strategists read an unpublished version's HTML edition, which links
                # its citations here (its page says it is not published).
                "through an unpublished report",
                world_kwargs(pk="cycle", number=1, version_pk="published_version"),
                get=STRATEGIST,
            ),
            Variant("forged id", world_kwargs(pk="published_cycle", number=1, version_pk=MISSING)),
        ],
        methods=("GET",),
        login=False,
    ),
    "reporting:published-actions-index": Access(
        [Variant("", none, get=EVERYONE, public=ANONYMOUS)], methods=("GET",), login=False
    ),
    "reporting:published-actions": Access(
        [
            Variant("a focus area", world_kwargs(code="2.2"), get=EVERYONE, public=ANONYMOUS),
            Variant("forged code", world_kwargs(code="9.9")),
        ],
        methods=("GET",),
        login=False,
    ),
    "reporting:sdg-list": Access(
        [Variant("", none, get=EVERYONE, public=ANONYMOUS)], methods=("GET",), login=False
    ),
    "reporting:sdg-detail": Access(
        [
            Variant("a goal", world_kwargs(number=13), get=EVERYONE, public=ANONYMOUS),
            Variant("forged number", world_kwargs(number=99)),
        ],
        methods=("GET",),
        login=False,
    ),
    "reporting:published-action": Access(
        [
            Variant(
                "in a published report",
                world_kwargs(pk="published_initiative"),
                get=EVERYONE,
                public=ANONYMOUS,
            ),
            Variant("in the register only", world_kwargs(pk="unpublished_initiative")),
            Variant("forged id", world_kwargs(pk=MISSING)),
        ],
        methods=("GET",),
        login=False,
    ),
    "accessibility-statement": Access(
        [Variant("", none, get=EVERYONE, public=ANONYMOUS)], methods=("GET",), login=False
    ),
    # For load balancers: no data, never cached.
    "healthz": Access([Variant("", none, get=EVERYONE)], methods=("GET",), login=False),
    "icon": Access(
        [Variant("", none, get=EVERYONE, public=ANONYMOUS)], methods=("GET",), login=False
    ),
    "programme:organisation-list": Access([Variant("", none, get=AUTHENTICATED)], ("GET",)),
    "reporting:my-tasks": Access([Variant("", none, get=AUTHENTICATED)], methods=("GET",)),
    "reporting:contribution-detail": Access(CONTRIBUTION_PAGE, methods=("GET",)),
    "reporting:thread-post": Access(
        [
            Variant("own draft", world_kwargs(pk="draft_a"), post=A | STRATEGIST),
            Variant("other's draft", world_kwargs(pk="draft_b"), post=B | STRATEGIST),
            Variant("withdrawn", world_kwargs(pk="withdrawn_a")),
            Variant("forged id", world_kwargs(pk=MISSING)),
        ],
        methods=("POST",),
    ),
    "reporting:contribution-ready": Access(
        [
            Variant("own draft", world_kwargs(pk="draft_a"), post=A),
            Variant("other organisation's draft", world_kwargs(pk="draft_b"), post=B),
            Variant("forged id", world_kwargs(pk=MISSING)),
        ],
        methods=("POST",),
    ),
    "reporting:contribution-send-back": Access(
        [
            Variant("own draft", world_kwargs(pk="draft_a"), post=A),
            Variant("other organisation's draft", world_kwargs(pk="draft_b"), post=B),
            Variant("forged id", world_kwargs(pk=MISSING)),
        ],
        methods=("POST",),
    ),
    "reporting:attachment-download": Access(
        [
            Variant(
                "handed over",
                world_kwargs(pk="submitted_a", attachment_pk="submitted_file"),
                get=A | STRATEGIST,
            ),
            Variant("in a draft", world_kwargs(pk="draft_a", attachment_pk="draft_file"), get=A),
            Variant(
                "another contribution's file",
                world_kwargs(pk="submitted_a", attachment_pk="draft_file"),
            ),
            Variant("forged id", world_kwargs(pk="submitted_a", attachment_pk=MISSING)),
        ],
        methods=("GET",),
    ),
    "programme:responsibilities": Access([Variant("", none, get=EDITORS, post=EDITORS)]),
    "programme:document-follow-ups": Access([Variant("", none, get=EDITORS)], methods=("GET",)),
    "programme:document-follow-up-add": Access(
        [
            Variant(
                "a document", lambda world: {"pk": first_document_pk()}, get=EDITORS, post=EDITORS
            ),
            Variant("forged id", world_kwargs(pk=MISSING)),
        ]
    ),
    "programme:responsibilities-import": Access(
        [Variant("", none, post=EDITORS)], methods=("POST",)
    ),
    "programme:responsibilities-export": Access(
        [
            Variant("csv", world_kwargs(file_format="csv"), get=EDITORS),
            Variant("xlsx", world_kwargs(file_format="xlsx"), get=EDITORS),
            Variant("unknown format", world_kwargs(file_format="exe")),
        ],
        methods=("GET",),
    ),
    "reporting:contribution-history": Access(CONTRIBUTION_READ, methods=("GET",)),
    "reporting:contribution-version": Access(
        [
            Variant("own draft", world_kwargs(pk="draft_a", number=1), get=A),
            Variant("other's draft", world_kwargs(pk="draft_b", number=1), get=B),
            Variant("draft before submission", world_kwargs(pk="submitted_a", number=1), get=A),
            Variant(
                "the submitted version",
                world_kwargs(pk="submitted_a", number="submitted_a_number"),
                get=A | STRATEGIST,
            ),
            Variant("forged number", world_kwargs(pk="submitted_a", number=MISSING)),
            Variant("forged id", world_kwargs(pk=MISSING, number=1)),
        ],
        methods=("GET",),
    ),
    "reporting:contribution-edit": Access(
        [
            Variant("own draft", world_kwargs(pk="draft_a"), get=A, post=A),
            Variant("other organisation's draft", world_kwargs(pk="draft_b"), get=B, post=B),
            # Readable but not editable: the form sends its members back to the page.
            Variant("submitted", world_kwargs(pk="submitted_a"), get=A, post=A),
            Variant("forged id", world_kwargs(pk=MISSING)),
        ]
    ),
    # An indicator's chart and figures for the form, as its contribution is read.
    "reporting:contribution-indicator": Access(
        [
            Variant("own draft", indicator_of("draft_a"), get=A),
            Variant("other organisation's draft", indicator_of("draft_b"), get=B),
            Variant("submitted", indicator_of("submitted_a"), get=A | STRATEGIST),
            Variant("another focus area's indicator", indicator_of("draft_a", own=False)),
            Variant("forged indicator", world_kwargs(pk="draft_a", indicator=MISSING)),
            Variant("forged id", world_kwargs(pk=MISSING, indicator=MISSING)),
        ],
        methods=("GET",),
    ),
    "reporting:contribution-submit": Access(
        [
            Variant("own draft", world_kwargs(pk="draft_a"), post=A),
            Variant("other organisation's draft", world_kwargs(pk="draft_b"), post=B),
            Variant("forged id", world_kwargs(pk=MISSING)),
        ],
        methods=("POST",),
    ),
    "reporting:contribution-review": Access(
        [
            Variant("submitted", world_kwargs(pk="submitted_a"), get=STRATEGIST, post=STRATEGIST),
            Variant("draft", world_kwargs(pk="draft_b")),
            Variant("forged id", world_kwargs(pk=MISSING)),
        ]
    ),
    "reporting:review-queue": Access([Variant("", none, get=STRATEGIST)], methods=("GET",)),
    "reporting:cycle-list": Access([Variant("", none, get=STRATEGIST)], methods=("GET",)),
    # The action register holds approved reports only; it is the strategy department's.
    "reporting:initiative-list": Access([Variant("", none, get=STRATEGIST)], methods=("GET",)),
    "reporting:initiative-detail": Access(
        [
            Variant("an entry", world_kwargs(pk="published_initiative"), get=STRATEGIST),
            Variant("forged id", world_kwargs(pk=MISSING)),
        ],
        methods=("GET",),
    ),
    "reporting:initiative-export": Access(
        [
            Variant("csv", world_kwargs(file_format="csv"), get=STRATEGIST),
            Variant("xlsx", world_kwargs(file_format="xlsx"), get=STRATEGIST),
            Variant("unknown format", world_kwargs(file_format="exe")),
        ],
        methods=("GET",),
    ),
    "reporting:cycle-create": Access([Variant("", none, get=STRATEGIST, post=STRATEGIST)]),
    "reporting:published-reports": Access(
        [Variant("", none, get=EVERYONE, public={"anonymous"})], methods=("GET",), login=False
    ),
    "reporting:report-edition": Access(
        [
            Variant(
                "published, HTML",
                world_kwargs(pk="published_cycle", number=1, edition="html"),
                get=EVERYONE,
                public=EVERYONE,
            ),
            Variant(
                "published, Word",
                world_kwargs(pk="published_cycle", number=1, edition="docx"),
                get=EVERYONE,
                public=EVERYONE,
            ),
            Variant(
                "unpublished", world_kwargs(pk="cycle", number=1, edition="html"), get=STRATEGIST
            ),
            Variant("unknown edition", world_kwargs(pk="published_cycle", number=1, edition="exe")),
            Variant("forged number", world_kwargs(pk="cycle", number=MISSING, edition="docx")),
        ],
        methods=("GET",),
        login=False,
    ),
    "reporting:report-download": Access(
        [
            Variant(
                "published",
                world_kwargs(pk="published_cycle", number=1),
                get=EVERYONE,
                public=EVERYONE,
            ),
            Variant("unpublished", world_kwargs(pk="cycle", number=1), get=STRATEGIST),
            Variant("forged number", world_kwargs(pk="cycle", number=MISSING)),
        ],
        methods=("GET",),
        login=False,
    ),
    "login": Access([Variant("", none, get=EVERYONE, post=EVERYONE)], login=False),
    "logout": Access(
        [Variant("", none, post=EVERYONE)], methods=("POST",), login=False, ends_at_login=True
    ),
    # The city's sign-in is off here (no OIDC_RP_CLIENT_ID): not found for everybody.
    # tests/test_oidc.py goes through both with a real provider.
    "oidc_authentication_init": Access([Variant("", none)], methods=("GET",), login=False),
    "oidc_authentication_callback": Access([Variant("", none)], methods=("GET",), login=False),
    # Django's language switch only redirects on GET; it changes the language on POST.
    "set_language": Access([Variant("", none, get=EVERYONE, post=EVERYONE)], login=False),
}


def _strategist_cycle_page(name, methods=("GET",), extra=None):
    """A page of one cycle that only strategists use, tried on a real and a forged cycle."""
    extra = extra or {}
    allowed_post = STRATEGIST if "POST" in methods else NOBODY
    allowed_get = STRATEGIST if "GET" in methods else NOBODY
    ACCESS[name] = Access(
        [
            Variant("cycle", world_kwargs(pk="cycle", **extra), get=allowed_get, post=allowed_post),
            Variant("forged cycle", world_kwargs(pk=MISSING, **extra)),
        ],
        methods=methods,
    )


for _name in [
    "reporting:cycle-detail",
    "reporting:cycle-matrix",
    "reporting:synthesis-list",
    "reporting:report-list",
    "reporting:report-preview",
]:
    _strategist_cycle_page(_name)
for _name in [
    "reporting:cycle-due-date",
    "reporting:question-add",
    "reporting:report-compile",
]:
    _strategist_cycle_page(_name, methods=("POST",))
_strategist_cycle_page("reporting:cycle-transition", ("POST",), {"action": "unschedule"})
_strategist_cycle_page("reporting:cycle-close", ("GET", "POST"))
_strategist_cycle_page("reporting:cycle-edit", ("GET", "POST"))
_strategist_cycle_page("reporting:request-add", ("GET", "POST"))
_strategist_cycle_page("reporting:cycle-start-review", ("GET", "POST"))
_strategist_cycle_page("reporting:cycle-reopen", ("POST",))
_strategist_cycle_page("reporting:report-publish", ("GET", "POST"), {"number": 1})
_strategist_cycle_page("reporting:report-unpublish", ("POST",), {"number": 1})
_strategist_cycle_page("reporting:cycle-open", ("GET", "POST"))
_strategist_cycle_page("reporting:synthesis-edit", ("GET", "POST"), {"code": "2.1"})
_strategist_cycle_page("reporting:report-text-list", ("GET", "POST"))
_strategist_cycle_page("reporting:report-text-edit", ("GET", "POST"), {"key": "sammanfattning"})
_strategist_cycle_page("reporting:cycle-export", extra={"file_format": "csv"})
ACCESS["reporting:cycle-export"].variants.append(
    Variant("xlsx", world_kwargs(pk="cycle", file_format="xlsx"), get=STRATEGIST)
)
ACCESS["reporting:cycle-export"].variants.append(
    Variant("unknown format", world_kwargs(pk="cycle", file_format="exe"))
)
ACCESS["reporting:cycle-transition"].variants.append(
    Variant("unknown action", world_kwargs(pk="cycle", action="delete"))
)
ACCESS["reporting:cycle-transition"].variants.append(
    Variant("confirmed on its own page", world_kwargs(pk="cycle", action="review"))
)
for _name, _methods in (
    ("reporting:question-edit", ("GET", "POST")),
    ("reporting:question-remove", ("POST",)),
):
    ACCESS[_name] = Access(
        [
            Variant(
                "question",
                world_kwargs(pk="cycle", question_pk="question"),
                get=STRATEGIST if "GET" in _methods else NOBODY,
                post=STRATEGIST,
            ),
            Variant(
                "another cycle's question",
                world_kwargs(pk="published_cycle", question_pk="question"),
            ),
            Variant("forged question", world_kwargs(pk="cycle", question_pk=MISSING)),
            Variant("forged cycle", world_kwargs(pk=MISSING, question_pk="question")),
        ],
        methods=_methods,
    )
ACCESS["reporting:cycle-organisation"] = Access(
    [
        Variant(
            "organisation asked",
            world_kwargs(pk="cycle", organisation_pk="organisation_a"),
            get=STRATEGIST,
        ),
        Variant("organisation not asked", world_kwargs(pk="cycle", organisation_pk="not_asked")),
        Variant("forged organisation", world_kwargs(pk="cycle", organisation_pk=MISSING)),
        Variant("forged cycle", world_kwargs(pk=MISSING, organisation_pk="organisation_a")),
    ],
    methods=("GET",),
)
# The indicator's spreadsheet is reached exactly as its page is.
ACCESS["programme:statistics-indicator-workbook"] = ACCESS["programme:statistics-indicator"]
ACCESS["reporting:organisation-remind"] = Access(
    [
        Variant(
            "organisation asked",
            world_kwargs(pk="cycle", organisation_pk="organisation_a"),
            post=STRATEGIST,
        ),
        Variant("organisation not asked", world_kwargs(pk="cycle", organisation_pk="not_asked")),
        Variant("forged organisation", world_kwargs(pk="cycle", organisation_pk=MISSING)),
        Variant("forged cycle", world_kwargs(pk=MISSING, organisation_pk="organisation_a")),
    ],
    methods=("POST",),
)
ACCESS["reporting:synthesis-edit"].variants.append(
    Variant("forged code", world_kwargs(pk="cycle", code="9.9"))
)
ACCESS["reporting:report-text-edit"].variants.append(
    Variant("forged key", world_kwargs(pk="cycle", key="viljeinriktning-99"))
)
ACCESS["reporting:request-withdraw"] = Access(
    [
        Variant(
            "request of the cycle",
            world_kwargs(pk="cycle", contribution_pk="draft_b"),
            get=STRATEGIST,
            post=STRATEGIST,
        ),
        Variant(
            "request of another cycle",
            world_kwargs(pk="cycle", contribution_pk="other_cycle_request"),
        ),
    ],
)

# The open data API: read-only and the same for everybody, so every role's answer may be
# cached and shared; unknown, unpublished and forged ids are not found, for strategists
# too. Its documentation page shows the site's menu: only anonymous copies are shared.
_API_LISTS = [
    "focus-area-list",
    "sdg-list",
    "organisation-list",
    "governing-document-list",
    "indicator-list",
    "value-list",
    "report-list",
    "action-list",
]


def _api_report(cycle_attribute):
    def build(world):
        report = Report.objects.get(cycle_id=getattr(world, cycle_attribute), number=1)
        return {"pk": report.pk}

    return build


def _api_indicator(world):
    from programme.models import Indicator

    return {"pk": Indicator.objects.filter(active=True).order_by("pk").values("pk")[0]["pk"]}


for _name in ["root", "openapi", "programme", *_API_LISTS, *(f"{n}-csv" for n in _API_LISTS)]:
    ACCESS[f"api:{_name}"] = Access(
        [Variant("", none, get=EVERYONE, public=EVERYONE)], methods=("GET",), login=False
    )
ACCESS["api:docs"] = Access(
    [Variant("", none, get=EVERYONE, public={"anonymous"})], methods=("GET",), login=False
)
ACCESS["api:focus-area-detail"] = Access(
    [
        Variant("exists", world_kwargs(code="2.1"), get=EVERYONE, public=EVERYONE),
        Variant("forged code", world_kwargs(code="9.9")),
    ],
    methods=("GET",),
    login=False,
)
ACCESS["api:sdg-detail"] = Access(
    [
        Variant("exists", world_kwargs(number=13), get=EVERYONE, public=EVERYONE),
        Variant("forged number", world_kwargs(number=99)),
    ],
    methods=("GET",),
    login=False,
)
for _name in ["indicator-detail", "indicator-values", "indicator-values-csv"]:
    ACCESS[f"api:{_name}"] = Access(
        [
            Variant("active indicator", _api_indicator, get=EVERYONE, public=EVERYONE),
            Variant("forged id", world_kwargs(pk=MISSING)),
        ],
        methods=("GET",),
        login=False,
    )
for _name in [
    "report-detail",
    "report-contributions",
    "report-contributions-csv",
    "report-focus-areas",
    "report-focus-areas-csv",
]:
    ACCESS[f"api:{_name}"] = Access(
        [
            Variant("published", _api_report("published_cycle"), get=EVERYONE, public=EVERYONE),
            Variant("unpublished", _api_report("cycle")),
            Variant("forged id", world_kwargs(pk=MISSING)),
        ],
        methods=("GET",),
        login=False,
    )


# The URLs the resolver knows, and the world the walk runs against.


def url_patterns():
    """(name, pattern) of every URL the resolver knows, admin included."""

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(
                    pattern.url_patterns,
                    prefix + str(pattern.pattern),
                    pattern.namespace or namespace,
                )
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                yield name, prefix + str(pattern.pattern)

    return list(walk(get_resolver().url_patterns, "/", None))


class World:
    """The data every cell of the walk runs against."""


def build_world() -> World:
    """The cast of seven roles, an open cycle with drafts of both organisations, a
    submitted, an approved and a withdrawn contribution, attachments, a question, and a
    second cycle with a published report."""
    organisation_a = Organisation.objects.get(name=ORGANISATION_A)
    organisation_b = Organisation.objects.get(name=ORGANISATION_B)
    approver = Membership.Role.APPROVER
    strategist = make_strategist()
    approver_a = make_user("approver_a", organisation=organisation_a, role=approver)
    reporter_b = make_user("reporter_b", organisation=organisation_b)
    world = World()
    world.users = {
        "reporter_a": make_user("reporter_a", organisation=organisation_a),
        "approver_a": approver_a,
        "reporter_b": reporter_b,
        "approver_b": make_user("approver_b", organisation=organisation_b, role=approver),
        "strategist": strategist,
        "admin": make_user("administrator", is_staff=True, is_superuser=True),
        "staff": make_user("personal", is_staff=True),
    }
    cycle = open_cycle(strategist)
    contributions = {
        (c.organisation_id, c.focus_area.code): c
        for c in cycle.contributions.select_related("focus_area")
    }

    def contribution(organisation, code):
        return contributions[(organisation.pk, code)]

    world.cycle = cycle.pk
    world.organisation_a = organisation_a.pk
    world.not_asked = Organisation.objects.get(name="Kulturförvaltningen").pk
    draft_a = contribution(organisation_a, "2.1")
    fill(draft_a, approver_a, **{**COMPLETE, "done": "HEMLIGT-A-UTKAST"})
    draft_b = contribution(organisation_b, "2.1")
    fill(draft_b, reporter_b, **{**COMPLETE, "done": "HEMLIGT-B-UTKAST"})
    submitted_a = contribution(organisation_a, "2.2")
    fill(submitted_a, approver_a, **{**COMPLETE, "done": "HEMLIGT-A-RADERAT"})
    fill(submitted_a, approver_a, **{**COMPLETE, "done": "Inskickat av A"})
    world.submitted_file = _attach(submitted_a, approver_a, "A-BILAGA.pdf").pk
    services.contribution_submit(contribution=submitted_a, by=approver_a)
    approved_b = contribution(organisation_b, "2.2")
    published_action = {"title": "Publicerad insats", "status": "ongoing"}
    save(approved_b, world.users["approver_b"], actions=[published_action], **COMPLETE)
    services.contribution_submit(contribution=approved_b, by=world.users["approver_b"])
    services.contribution_approve(contribution=approved_b, by=strategist)
    world.published_initiative = Initiative.objects.get(title="Publicerad insats").pk
    # In the register (approved), in no published report: not the public's.
    world.unpublished_initiative = Initiative.objects.create(
        organisation=organisation_a, title="HEMLIG-INSATS", status="ongoing"
    ).pk
    withdrawn_a = contribution(organisation_a, "2.3")
    services.request_withdraw(contribution=withdrawn_a, by=strategist)
    world.draft_a, world.draft_b = draft_a.pk, draft_b.pk
    world.submitted_a, world.approved_b, world.withdrawn_a = (
        submitted_a.pk,
        approved_b.pk,
        withdrawn_a.pk,
    )
    world.submitted_a_number = submitted_a.versions.get(event="submitted").number
    world.draft_file = _attach(draft_a, approver_a, "HEMLIGT-A-UTKAST-BILAGA.pdf").pk
    world.question = services.question_add(
        cycle=cycle, by=strategist, text="Hur gick det?", kind="short_text"
    ).pk

    # A second cycle: its request is a forged id for the first; its report is published.
    other = services.cycle_create(
        by=strategist,
        programme=cycle.programme,
        title="Uppföljning 2024",
        first_year=2025,
        last_year=2026,
        opens_on=datetime.date(2024, 1, 15),
        due_on=datetime.date(2024, 3, 31),
    )
    world.other_cycle_request = services.request_add(
        cycle=other, organisation=organisation_a, focus_area=draft_a.focus_area, by=strategist
    ).pk
    world.published_cycle = other.pk
    for report_cycle, published in ((cycle, False), (other, True)):
        report = Report(
            cycle=report_cycle,
            number=1,
            status=Report.Status.DONE,
            compiled_by=strategist,
            published=published,
            page_count=1,
            checksum="0" * 64,
        )
        report.pdf.save("report-1.pdf", ContentFile(b"%PDF-1.7 test file"), save=False)
        report.html_edition.save("report-1.html", ContentFile(b"<p>test</p>"), save=False)
        word = write_docx("<h1>Test</h1><p>test</p>", title="Test", author="Test")
        report.docx.save("report-1.docx", ContentFile(word), save=False)
        report.save()
        approved = ContributionVersion.objects.get(contribution_id=approved_b.pk, event="approved")
        report.built_from.add(approved)
    world.published_version = approved.pk
    world.unlisted_version = submitted_a.versions.get(event="submitted").pk
    return world


def _attach(contribution, user, name):
    """Attach a file the way the form does: a saved version then lists it."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from reporting.content import ContributionContent

    contribution.refresh_from_db()
    services.contribution_save(
        contribution=contribution,
        content=ContributionContent.of(contribution),
        files=[SimpleUploadedFile(name, b"%PDF-1.7 test", "application/pdf")],
        expected_version=contribution.version,
        by=user,
    )
    return contribution.attachments.get(name=name)


# Rules for every response.


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


def check_page(response, *, public=False):
    """Rules for every response, so that a new view, form or field cannot break them."""
    policy = response.get("Content-Security-Policy", "")
    script_source = next(
        (part for part in policy.split(";") if part.strip().startswith("script-src")), ""
    )
    assert "script-src 'self'" in script_source, f"no script-src in the CSP: {policy!r}"
    assert "unsafe" not in script_source, "the CSP lets inline script run"
    assert "camera=()" in response.get("Permissions-Policy", ""), "no Permissions-Policy"
    cache = response.get("Cache-Control", "")
    if public:
        assert "public" in cache, f"a public response is not cacheable: {cache!r}"
    else:
        assert "private" in cache and "no-store" in cache, f"may be stored: {cache!r}"
    if response.get("Content-Type", "").startswith("text/html"):
        page = response.content.decode()
        assert " maxlength=" not in page, "a field lets the browser cut text"
        assert not INLINE_SCRIPT.search(page), "an inline script (move it to a static file)"
        assert not INLINE_HANDLER.search(page), "an inline event handler"
        dates = other_date_styles(page_text(page))
        assert not dates, f"dates in another style than the pages' one: {dates[:3]}"
