import re
from decimal import Context, Decimal, InvalidOperation
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import connection, models, transaction
from django.db.models import Case, Q, Subquery, When
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from livskvalitet.core.text import one_line

from .colours import readable_text_colour
from .logos import LOGO_FOLDER, validate_logo
from .units import unit_label

hex_colour_validator = RegexValidator(
    r"^#[0-9A-Fa-f]{6}$", _("Enter a colour as # followed by six hexadecimal digits.")
)
# Codes as programmes write them: 2.1, A1, B.2, IIa. Letters and digits, parts joined by a
# dot, a hyphen or nothing.
CODE_PATTERN = r"^[0-9A-Za-zÅÄÖåäö]+(?:[.-][0-9A-Za-zÅÄÖåäö]+)*$"
focus_area_code_validator = RegexValidator(
    CODE_PATTERN,
    _(
        "Enter a code as the programme writes it, such as 2.1 or A1: its direction's code "
        "followed by letters or digits."
    ),
)
direction_code_validator = RegexValidator(
    CODE_PATTERN, _("Enter a code as the programme writes it, such as A or II.")
)

# A code's parts (runs of digits or of letters), each written as 21 digits.
CODE_PART_DIGITS = 20
CODE_SORT_KEY_LENGTH = 10 * (CODE_PART_DIGITS + 1)  # a code has at most 10 characters
LETTER_ORDER = "abcdefghijklmnopqrstuvwxyzåäö"


def code_sort_key(code: str) -> str:
    """A focus area's code as digits that sort as people read codes, the same on every
    database and collation: numbers by value (2.2 before 2.10), letters in Swedish order
    (A before B before Å), case aside; the dots and hyphens between parts do not count."""
    key = []
    for part in re.findall(r"\d+|[^\W\d_]+", code):
        if part.isdigit():
            key.append("0" + part.rjust(CODE_PART_DIGITS, "0")[-CODE_PART_DIGITS:])
        else:
            letters = "".join(
                f"{LETTER_ORDER.find(letter) + 1:02d}" for letter in part.lower()[:10]
            )
            key.append("1" + letters.ljust(CODE_PART_DIGITS, "0"))
    return "".join(key)


class Assessment(models.TextChoices):
    """The one scale for contributions, syntheses and indicator trends."""

    POSITIVE = "positive", _("positive development")
    UNCHANGED = "unchanged", pgettext_lazy("assessment", "unchanged")
    NEGATIVE = "negative", _("negative development")
    CANNOT_ASSESS = "cannot_assess", _("cannot be assessed")


# Shown with the words, so that an assessment never rests on colour alone.
ASSESSMENT_SYMBOLS = {
    Assessment.POSITIVE: "▲",
    Assessment.UNCHANGED: "▶",
    Assessment.NEGATIVE: "▼",
    Assessment.CANNOT_ASSESS: "?",
}


class ProgrammeQuerySet(models.QuerySet):
    """An installation serves one municipality: MUNICIPALITY (a setting), or else the one
    whose programme is current. Its pages, API and lists show that municipality's
    programmes and organisations only (of_installation)."""

    def _in_order_of_current(self):
        # The installation's own programme first (PROGRAMME_NAME), then one in force,
        # then the newest.
        today = timezone.localdate()
        programmes = self.filter(published=True)
        if settings.MUNICIPALITY:
            programmes = programmes.filter(municipality__code=settings.MUNICIPALITY)
        return programmes.annotate(
            own=Case(When(name=settings.PROGRAMME_NAME or None, then=1), default=0),
            in_force=Case(When(valid_from__lte=today, valid_until__gte=today, then=1), default=0),
        ).order_by("-own", "-in_force", "-valid_from")

    def current(self):
        """The programme in force today, or else the newest one: one query."""
        found = self.select_related("municipality", "owner")._in_order_of_current().first()
        if found is not None:
            found.is_current = True  # known: no second query when a page asks
        return found

    def installation_municipality(self):
        """The municipality this installation serves, as a subquery."""
        if settings.MUNICIPALITY:
            return Municipality.objects.filter(code=settings.MUNICIPALITY).values("pk")[:1]
        return Programme.objects.all()._in_order_of_current().values("municipality")[:1]

    def of_installation(self):
        """The programmes of the installation's municipality."""
        return of_installation(self)


def of_installation(queryset, path: str = "municipality"):
    """The rows of the municipality this installation serves, reached by ``path``
    (``municipality`` for programmes and organisations, ``programme__municipality`` for a
    direction); one tied to no municipality counts as its own."""
    return queryset.filter(
        Q(**{path: Subquery(Programme.objects.installation_municipality())})
        | Q(**{f"{path}__isnull": True})
    )


def installation_municipality_id() -> int | None:
    """What a new organisation belongs to unless told otherwise."""
    return (
        Municipality.objects.filter(pk=Subquery(Programme.objects.installation_municipality()))
        .values_list("pk", flat=True)
        .first()
    )


class OrganisationQuerySet(models.QuerySet):
    def of_programme(self, programme):
        """The organisations of the programme's municipality (all, for a programme tied to
        none); one not tied to a municipality counts as every municipality's."""
        if programme.municipality_id is None:
            return self
        return self.filter(Q(municipality=programme.municipality_id) | Q(municipality=None))

    def of_installation(self):
        """The organisations of the installation's municipality."""
        return of_installation(self)

    def reporting(self):
        """Those that report, and so may answer for a focus area: committees and companies
        (Organisation.REPORTING_KINDS; Responsibility.clean says so of one row)."""
        return self.filter(kind__in=Organisation.REPORTING_KINDS)


class Organisation(models.Model):
    class Kind(models.TextChoices):
        COMMITTEE = "nämnd", _("committee (nämnd)")
        COMPANY = "bolag", _("municipal company (bolag)")
        ADMINISTRATION = "förvaltning", _("administration (förvaltning)")
        DEPARTMENT = "avdelning", _("department (avdelning)")

    # Committees and companies are the ones the programme binds; they report.
    REPORTING_KINDS = (Kind.COMMITTEE, Kind.COMPANY)
    KIND_PLURALS = {
        Kind.COMMITTEE: _("committees (nämnder)"),
        Kind.COMPANY: _("municipal companies (bolag)"),
        Kind.ADMINISTRATION: _("administrations (förvaltningar)"),
        Kind.DEPARTMENT: _("departments (avdelningar)"),
    }

    name = models.CharField(_("name"), max_length=200, validators=[one_line])
    short_name = models.CharField(
        _("short name"), max_length=100, blank=True, validators=[one_line]
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # Whose organisation it is: an installation shows its own municipality's only, and
    # an import never matches one city's "Kommunstyrelsen" with another's. A company
    # owned jointly with a neighbour is one row per owning municipality.
    municipality = models.ForeignKey(
        "Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        null=True,
        default=installation_municipality_id,
        related_name="organisations",
    )
    served_by = models.ForeignKey(
        "self",
        verbose_name=_("served by"),
        help_text=_("The administration (förvaltning) that does the work for a committee."),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="serves",
    )
    part_of = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        help_text=_("The administration a department belongs to."),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parts",
    )
    active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Retired organisations keep their history but are no longer asked to report."),
    )
    history = HistoricalRecords()

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"],
                name="organisation_name_unique_per_municipality",
                violation_error_message=_(
                    "The municipality already has an organisation of that name."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(served_by=models.F("id")),
                name="organisation_not_served_by_itself",
                violation_error_message=_("An organisation cannot be served by itself."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        errors = {}
        if self.name and self.same_name_exists():
            # The database's rule is exact; "miljönämnden " is the same organisation as
            # "Miljönämnden" to everyone who reads the lists.
            errors["name"] = _("The municipality already has an organisation of that name.")
        for field in ("served_by", "part_of"):
            linked = getattr(self, field)
            seen = set()
            while linked is not None and linked.pk not in seen:
                if self.pk is not None and linked.pk == self.pk:
                    errors[field] = _("An organisation cannot be linked to itself, even in a loop.")
                    break
                seen.add(linked.pk)
                linked = getattr(linked, field)
            direct = getattr(self, field)
            if direct is not None and direct.municipality_id != self.municipality_id:
                errors.setdefault(field, _("Organisations of two municipalities are not linked."))
        if self.served_by is not None and self.served_by.kind != self.Kind.ADMINISTRATION:
            errors.setdefault("served_by", _("Only an administration (förvaltning) serves others."))
        if self.part_of is not None and self.part_of.kind != self.Kind.ADMINISTRATION:
            errors.setdefault(
                "part_of", _("A department is part of an administration (förvaltning).")
            )
        if errors:
            raise ValidationError(errors)

    @property
    def reports(self) -> bool:
        return self.kind in self.REPORTING_KINDS

    def same_name_exists(self) -> bool:
        """Whether another organisation of the municipality has this name, in any case and
        with any spaces around it. Compared in Python: SQLite folds the case of ASCII
        letters only, and Swedish names begin with Å, Ä or Ö too."""
        others = Organisation.objects.filter(municipality=self.municipality_id).exclude(pk=self.pk)
        name = self.name.strip().casefold()
        return any(
            other.strip().casefold() == name for other in others.values_list("name", flat=True)
        )


class Levels(NamedTuple):
    direction: str
    directions: str
    focus_area: str
    focus_areas: str


class Programme(models.Model):
    name = models.CharField(_("name"), max_length=200, validators=[one_line])
    # Unique per municipality: two cities may both have a "2028–2030".
    edition = models.CharField(
        _("edition"), max_length=50, help_text=_("For example 2025–2027."), validators=[one_line]
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    revised_by = models.CharField(
        _("revised by"),
        max_length=200,
        help_text=_("Who decides on the programme's revisions."),
        validators=[one_line],
    )
    owner = models.ForeignKey(
        Organisation,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_programmes",
    )
    follow_up_interval_years = models.PositiveSmallIntegerField(
        _("follow-up interval (years)"), default=2, validators=[MinValueValidator(1)]
    )
    introduction = models.TextField(_("introduction"), blank=True)
    # The edition in the addresses of its pages, e.g. /program/2025-2027/ (made from the
    # edition when empty); the edition in force also has the short addresses.
    slug = models.SlugField(
        _("edition in addresses"),
        max_length=50,
        blank=True,
        help_text=_("For example 2025-2027. Made from the edition when left empty."),
    )
    municipality = models.ForeignKey(
        "Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Whose key figures the programme follows (its own municipality)."),
    )
    logo = models.FileField(
        _("logo"),
        upload_to=f"{LOGO_FOLDER}/",
        max_length=200,
        blank=True,
        validators=[validate_logo],
        help_text=_(
            "An SVG, PNG or JPEG image of at most 1 MB, printed on the cover of the report's "
            "PDF, HTML edition and Word file. Empty: the installation's logo (REPORT_LOGO), "
            "if any."
        ),
    )
    published = models.BooleanField(
        _("published"),
        default=True,
        help_text=_(
            "Shown to the public. A next edition starts unpublished, seen only by the city's "
            "staff, until it has been decided."
        ),
    )
    # What the programme calls its two levels, where not "viljeinriktning" and "fokusområde":
    # used in the headings of its pages and of the report.
    direction_name = models.CharField(
        _("name of a direction"),
        max_length=60,
        blank=True,
        help_text=_("What the programme calls a direction, such as huvudmål. Empty: direction."),
        validators=[one_line],
    )
    directions_name = models.CharField(
        _("name of the directions"),
        max_length=60,
        blank=True,
        help_text=_("The same in the plural. Empty: directions."),
        validators=[one_line],
    )
    focus_area_name = models.CharField(
        _("name of a focus area"),
        max_length=60,
        blank=True,
        help_text=_("What the programme calls a focus area, such as delmål. Empty: focus area."),
        validators=[one_line],
    )
    focus_areas_name = models.CharField(
        _("name of the focus areas"),
        max_length=60,
        blank=True,
        help_text=_("The same in the plural. Empty: focus areas."),
        validators=[one_line],
    )
    previous = models.ForeignKey(
        "self",
        verbose_name=_("previous edition"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_editions",
        help_text=_("The edition this one follows; its focus areas map onto this one's."),
    )
    history = HistoricalRecords()

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-valid_from"]
        # Being an administrator: the one grant the admin and the app's pages both read
        # (programme.permissions.is_administrator); what they may change there is then
        # up to their model permissions.
        permissions = [("administer", _("Can administer Livskvalitet"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")),
                name="programme_valid_until_after_valid_from",
                violation_error_message=_(
                    "The edition cannot end before it takes effect: set “Valid until” to the "
                    "same day as “Valid from” or later."
                ),
            ),
            models.UniqueConstraint(
                fields=["municipality", "edition"],
                name="programme_edition_unique_per_municipality",
                violation_error_message=_("The municipality already has an edition of that name."),
            ),
            models.UniqueConstraint(
                fields=["municipality", "slug"],
                name="programme_slug_unique_per_municipality",
                violation_error_message=_(
                    "The municipality already has an edition with that address."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.name} {self.edition}"

    def save(self, *args, **kwargs):
        self.fill_slug()
        super().save(*args, **kwargs)

    @staticmethod
    def slug_of(edition: str) -> str:
        """An edition's address: "2025–2027" is /program/2025-2027/."""
        return slugify(edition.replace("–", "-").replace("—", "-"))

    def fill_slug(self):
        if not self.slug and self.edition:
            self.slug = self.slug_of(self.edition)

    def clean_fields(self, exclude=None):
        self.fill_slug()  # before the uniqueness check, which then names a taken one
        super().clean_fields(exclude)

    def clean(self):
        super().clean()
        seen, earlier = {self.pk}, self.previous
        while earlier is not None:
            if earlier.pk in seen:
                raise ValidationError(
                    {"previous": _("Editions cannot follow each other round in a circle.")}
                )
            seen.add(earlier.pk)
            earlier = earlier.previous
        if self.previous_id and self.valid_from and self.valid_from <= self.previous.valid_until:
            raise ValidationError(
                {
                    "valid_from": _(
                        "An edition takes effect after the one it follows ends (%(date)s)."
                    )
                    % {"date": date_format(self.previous.valid_until)}
                }
            )
        following = self.next_editions.order_by("valid_from").first() if self.pk else None
        if following and self.valid_until and self.valid_until >= following.valid_from:
            raise ValidationError(
                {
                    "valid_until": _(
                        "An edition ends before the one that follows it takes effect "
                        "(%(edition)s, %(date)s)."
                    )
                    % {"edition": following.edition, "date": date_format(following.valid_from)}
                }
            )

    @property
    def period(self) -> str:
        """ "past", "current" or "future": where today falls in the edition's dates."""
        today = timezone.localdate()
        if self.valid_until < today:
            return "past"
        return "future" if self.valid_from > today else "current"

    @cached_property
    def is_current(self) -> bool:
        """Whether this is the edition in force, which the short addresses show."""
        current = Programme.objects.current()
        return current is not None and current.pk == self.pk

    @property
    def levels(self) -> "Levels":
        """The names of the programme's two levels, in lower case: its own or the usual."""
        return Levels(
            direction=self.direction_name or _("direction"),
            directions=self.directions_name or _("directions"),
            focus_area=self.focus_area_name or _("focus area"),
            focus_areas=self.focus_areas_name or _("focus areas"),
        )

    @property
    def own_municipality_code(self) -> str:
        """The municipality whose values the trends judge: the programme's own; "" (no
        values, nothing judged) for a programme that names none."""
        return self.municipality.code if self.municipality_id else ""

    @property
    def follow_up_owner(self) -> str:
        """Who runs the follow-up, for sentences that name it (mails, the report): the
        programme's owner, or words that name no one."""
        return self.owner.name if self.owner_id else str(_("the municipality"))

    @property
    def own_municipality_name(self) -> str:
        return self.municipality.name if self.municipality_id else str(_("the municipality"))

    @property
    def baseline_year(self) -> int:
        """The year trends start from outside a follow-up cycle: the year before the
        programme took effect (a cycle may name another, Cycle.baseline_year)."""
        return self.valid_from.year - 1

    def follow_up_phrase(self) -> str:
        """How often the programme is followed up, as a Swedish strategist says it: a
        sentence of its own, in the programme's page and the report's introduction."""
        years = self.follow_up_interval_years
        phrases = {
            1: _("The programme is followed up every year."),
            2: _("The programme is followed up every second year."),
            3: _("The programme is followed up every third year."),
            4: _("The programme is followed up every fourth year."),
        }
        every = _("The programme is followed up every %(years)d years.")
        return str(phrases.get(years) or every % {"years": years})


class Direction(models.Model):
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="directions"
    )
    number = models.PositiveSmallIntegerField(
        _("number"), help_text=_("Its place in the programme's order.")
    )
    code = models.CharField(
        _("code"),
        max_length=10,
        blank=True,
        validators=[direction_code_validator],
        help_text=_(
            "As the programme writes it, where that is not its number: A, II. Its focus areas' "
            "codes start with it."
        ),
    )
    title = models.CharField(_("title"), max_length=200, validators=[one_line])
    ambition = models.TextField(_("ambition"), blank=True)
    challenges = models.TextField(_("challenges"), blank=True)
    focus = models.TextField(_("what the city must focus on"), blank=True)
    sdgs = models.ManyToManyField(
        "Sdg",
        verbose_name=_("global goals"),
        blank=True,
        related_name="directions",
        help_text=_(
            "Where the programme ties global goals to the direction as a whole rather than "
            "to its focus areas."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("direction")
        verbose_name_plural = _("directions")
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "number"],
                name="direction_number_unique_in_programme",
                violation_error_message=_(
                    "The programme already has a direction with that number; choose another number."
                ),
            ),
            # clean() says it in words, and also where a code equals another's number.
            models.UniqueConstraint(
                fields=["programme", "code"],
                condition=~Q(code=""),
                name="direction_code_unique_in_programme",
                violation_error_message=_(
                    "The programme already has a direction with that code; choose another code."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.label}. {self.title}"

    def save(self, *args, **kwargs):
        old = getattr(self, "_loaded_label", None)
        with transaction.atomic():
            super().save(*args, **kwargs)
            if old is not None and old != self.label:
                # Followed up as a whole: its one focus area has the direction's own code.
                for area in self.focus_areas.filter(code=old):
                    area.code = self.label
                    area.save()
        self._loaded_label = self.label

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        if "number" in field_names and "code" in field_names:
            instance._loaded_label = instance.label  # what its focus areas' codes follow
        return instance

    @property
    def label(self) -> str:
        """The direction's code as the programme writes it: its own code, else its number."""
        return self.code or str(self.number)

    def clean(self):
        super().clean()
        if not self.programme_id or self.number is None:
            return
        others = Direction.objects.filter(programme_id=self.programme_id).exclude(pk=self.pk)
        if any(other.label == self.label for other in others.only("number", "code")):
            message = _("The programme already has a direction with the code %(code)s.")
            raise ValidationError({"code": message % {"code": self.label}})
        self.check_focus_areas_follow()

    def check_focus_areas_follow(self):
        """A new code must keep its focus areas' codes following it: 2.1 does not follow B.
        The area of a direction followed up as a whole takes the new code with it (save)."""
        old = getattr(self, "_loaded_label", None)
        if old is None or old == self.label:
            return
        stranded = [
            code
            for code in self.focus_areas.values_list("code", flat=True)
            if code != old and not code_follows(code, self.label)
        ]
        if stranded:
            # Said of the field the direction's code comes from: its "Kod", else its
            # "Nummer" (the user changed the number of a direction without a code).
            if self.code:
                field, message = (
                    "code",
                    _(
                        "Direction %(old)s is divided into focus areas whose codes start with "
                        "%(old)s (%(codes)s), so its code cannot become %(new)s."
                    ),
                )
            else:
                field, message = (
                    "number",
                    _(
                        "Direction %(old)s is divided into focus areas whose codes start with "
                        "%(old)s (%(codes)s), so its number cannot become %(new)s."
                    ),
                )
            codes = ", ".join(sorted(stranded, key=code_sort_key))
            raise ValidationError(
                {field: message % {"old": old, "codes": codes, "new": self.label}}
            )


class Sdg(models.Model):
    number = models.PositiveSmallIntegerField(
        _("number"), unique=True, validators=[MinValueValidator(1), MaxValueValidator(17)]
    )
    title_sv = models.CharField(_("Swedish title"), max_length=200, validators=[one_line])
    title_en = models.CharField(_("English title"), max_length=200, validators=[one_line])
    colour = models.CharField(_("colour"), max_length=7, validators=[hex_colour_validator])
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("global goal")
        verbose_name_plural = _("global goals")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=17),
                name="sdg_number_1_to_17",
                violation_error_message=_("Give the global goal a number from 1 to 17."),
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    @property
    def title(self) -> str:
        return self.title_en if (get_language() or "sv").startswith("en") else self.title_sv

    @property
    def text_colour(self) -> str:
        return readable_text_colour(self.colour)


class FocusArea(models.Model):
    # Denormalised from the direction so that the database can keep codes unique
    # within a programme.
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="focus_areas",
        editable=False,
    )
    direction = models.ForeignKey(
        Direction, verbose_name=_("direction"), on_delete=models.PROTECT, related_name="focus_areas"
    )
    code = models.CharField(
        _("code"),
        max_length=10,
        validators=[focus_area_code_validator],
        help_text=_(
            "As the programme writes it: the direction's code followed by letters or digits "
            "(2.1, A1), or the direction's code alone where the direction is not divided "
            "into focus areas and is followed up as a whole."
        ),
    )
    # The code in the order people read it (2.2 before 2.10), kept from the code on save.
    sort_key = models.CharField(max_length=CODE_SORT_KEY_LENGTH, editable=False, default="")
    title = models.CharField(_("title"), max_length=200, validators=[one_line])
    description = models.TextField(_("description"), blank=True)
    sdgs = models.ManyToManyField(
        Sdg, verbose_name=_("global goals"), blank=True, related_name="focus_areas"
    )
    history = HistoricalRecords(m2m_fields=[sdgs])

    class Meta:
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")
        ordering = ["programme", "sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "code"],
                name="focus_area_code_unique_in_programme",
                violation_error_message=_(
                    "The programme already has a focus area with that code; choose another code."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def save(self, *args, **kwargs):
        self.programme_id = self.direction.programme_id
        self.sort_key = code_sort_key(self.code)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.direction_id and self.code:
            # The programme comes from the direction, so a form without it cannot see the
            # database's rule; check it here, for the admin and imports alike.
            self.programme_id = self.direction.programme_id
            taken = FocusArea.objects.filter(programme_id=self.programme_id, code=self.code)
            if taken.exclude(pk=self.pk).exists():
                message = _("The programme already has a focus area with the code %(code)s.")
                raise ValidationError({"code": message % {"code": self.code}})
        if self.direction_id and self.code:
            self.check_code_under_direction()

    @property
    def is_whole_direction(self) -> bool:
        """A direction the programme does not divide into focus areas is followed up as a
        whole: as its one focus area, under the direction's own code (C under C)."""
        return self.code == self.direction.label

    @property
    def level(self) -> str:
        """What the programme calls this focus area: its word for a direction where the
        direction is followed up as a whole ("huvudmål C"), else for a focus area."""
        levels = self.programme.levels
        return levels.direction if self.is_whole_direction else levels.focus_area

    def check_code_under_direction(self):
        label = self.direction.label
        if not code_follows(self.code, label):
            message = _(
                "The code of a focus area under direction %(label)s starts with %(label)s, or "
                "is %(label)s alone for a direction followed up as a whole."
            )
            raise ValidationError({"code": message % {"label": label}})
        others = FocusArea.objects.filter(direction_id=self.direction_id).exclude(pk=self.pk)
        codes = set(others.values_list("code", flat=True))
        if self.code == label and codes:
            message = _(
                "Direction %(label)s is divided into focus areas (%(codes)s): only a direction "
                "without focus areas is followed up as a whole, under its own code."
            )
            raise ValidationError(
                {
                    "code": message
                    % {"label": label, "codes": ", ".join(sorted(codes, key=code_sort_key))}
                }
            )
        if self.code != label and label in codes:
            message = _(
                "Direction %(label)s is followed up as a whole (focus area %(label)s), so it "
                "has no focus areas of its own."
            )
            raise ValidationError({"code": message % {"label": label}})


def code_follows(code: str, label: str) -> bool:
    """Whether a focus area's code fits under its direction's: the direction's own (a
    direction followed up as a whole), or one continuing it (code_continues)."""
    return code == label or code_continues(code, label)


def code_continues(code: str, prefix: str) -> bool:
    """Whether a focus area's code continues its direction's: 2.1 and 2a under 2, A1 and A.1
    under A, IIa under II; not 21.1 under 2, nor AB under A, nor 2 alone. Without a dot or a
    hyphen between them, the next character is of another kind (digit, capital, small)."""
    if not code.startswith(prefix) or len(code) == len(prefix):
        return False
    rest = code[len(prefix) :]
    if rest[0] in ".-":
        return len(rest) > 1

    def kind(character):
        return "digit" if character.isdigit() else character.isupper()

    return kind(rest[0]) != kind(prefix[-1])


class FocusAreaLink(models.Model):
    """How a focus area of one edition continues in the next: one-to-one (one link each
    way), split (several successors), merged (several predecessors) or ended (a link
    without successor). Indicators and previous answers follow these links."""

    previous = models.ForeignKey(
        FocusArea,
        verbose_name=_("focus area of the previous edition"),
        on_delete=models.PROTECT,
        related_name="successor_links",
    )
    successor = models.ForeignKey(
        FocusArea,
        verbose_name=_("continues as"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessor_links",
        help_text=_("Empty: the focus area ends with its edition."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("focus area mapping")
        verbose_name_plural = _("focus area mappings")
        ordering = ["previous", "successor"]
        constraints = [
            models.UniqueConstraint(
                fields=["previous", "successor"],
                name="focus_area_link_unique",
                violation_error_message=_(
                    "The two focus areas are already linked; remove the repeated row."
                ),
            ),
            models.UniqueConstraint(
                fields=["previous"],
                condition=Q(successor__isnull=True),
                name="focus_area_ends_once",
                violation_error_message=_(
                    "The focus area is already marked as ended; remove the repeated row."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.previous.code} → {self.successor.code if self.successor else '–'}"

    def clean(self):
        super().clean()
        # The successor may be a focus area being added on the same form (not saved yet):
        # a link to it is no end.
        successor = self.successor
        if self.previous_id:
            others = FocusAreaLink.objects.filter(previous=self.previous_id).exclude(pk=self.pk)
            if successor is None and others.filter(successor__isnull=False).exists():
                raise ValidationError(_("The focus area continues, so it cannot also end."))
            if successor is not None and others.filter(successor__isnull=True).exists():
                raise ValidationError(_("The focus area is marked as ended; remove that first."))
        if self.previous_id and successor is not None and successor.programme_id:
            next_programme = successor.programme
            if next_programme.previous_id != self.previous.programme_id:
                # Not tied to one field: the admin shows either end of a link as the
                # inline of the other, so the message must show with the row.
                raise ValidationError(
                    _(
                        "A focus area continues in the edition that follows its own "
                        "(%(edition)s follows %(previous)s)."
                    )
                    % {
                        "edition": next_programme.edition,
                        "previous": next_programme.previous.edition
                        if next_programme.previous_id
                        else "–",
                    }
                )


class Responsibility(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("lead")
        CONTRIBUTING = "contributing", _("contributing")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="responsibilities",
    )
    focus_area = models.ForeignKey(
        FocusArea,
        verbose_name=_("focus area"),
        on_delete=models.CASCADE,
        related_name="responsibilities",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.LEAD)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")
        ordering = ["focus_area", "role", "organisation"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "focus_area"],
                name="responsibility_unique",
                violation_error_message=_(
                    "The organisation already has a responsibility for the focus area; change "
                    "that row instead of adding another."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.organisation} – {self.focus_area.code} ({self.get_role_display()})"

    def clean(self):
        """Only an organisation that reports answers for a focus area (the strategists'
        grid offers those only): an administration or a department would show as
        responsible in public but never be asked, nor be removable in the grid. The
        admin's rows and the programme file's table ansvar are refused alike."""
        super().clean()
        organisation = self.organisation if self.organisation_id else None
        if organisation is not None and not organisation.reports:
            raise ValidationError(
                {
                    "organisation": _(
                        "%(name)s is %(kind)s and does not report: only committees "
                        "(nämnder) and municipal companies (bolag) can be responsible for a "
                        "focus area. Choose the committee or company it works for instead."
                    )
                    % {"name": organisation.name, "kind": organisation.get_kind_display()}
                }
            )


class GoverningDocument(models.Model):
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="governing_documents",
    )
    title = models.CharField(_("title"), max_length=300, validators=[one_line])
    url = models.URLField(_("link"), blank=True)
    directions = models.ManyToManyField(
        Direction, verbose_name=_("directions"), blank=True, related_name="governing_documents"
    )
    history = HistoricalRecords(m2m_fields=[directions])

    class Meta:
        verbose_name = _("governing document")
        verbose_name_plural = _("governing documents")
        ordering = ["programme", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "title"],
                name="governing_document_unique_in_programme",
                violation_error_message=_(
                    "The programme already has a governing document of that title; choose "
                    "another title or change that document."
                ),
            ),
        ]

    def __str__(self):
        return self.title


class DocumentFollowUp(models.Model):
    """A follow-up of a governing document (a plan linked to the programme). The latest one
    is cited in the report under the document's directions; earlier ones are kept."""

    document = models.ForeignKey(
        GoverningDocument,
        verbose_name=_("governing document"),
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    date = models.DateField(_("date of the follow-up"))
    url = models.URLField(_("link"), blank=True)
    summary = models.TextField(_("short summary"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up of a governing document")
        verbose_name_plural = _("follow-ups of governing documents")
        ordering = ["document", "-date", "-entered_at"]

    def __str__(self):
        return f"{self.document} – {self.date}"


class Commitment(models.Model):
    """A strategic collaboration, network or commitment (Bilaga 1)."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="commitments"
    )
    title = models.CharField(_("title"), max_length=300, validators=[one_line])
    url = models.URLField(_("link"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["programme", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "title"],
                name="commitment_unique_in_programme",
                violation_error_message=_(
                    "The programme already has a commitment of that title; choose another "
                    "title or change that one."
                ),
            ),
        ]

    def __str__(self):
        return self.title


class Membership(models.Model):
    """A user's place in an organisation, with the role they have there."""

    class Role(models.TextChoices):
        REPORTER = "reporter", _("reporter")
        APPROVER = "approver", _("approver")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.REPORTER)
    is_demo = models.BooleanField(_("demo"), default=False, editable=False)
    # Given by a sign-in mapping: set again, or removed, at each of the user's sign-ins.
    from_sign_in = models.BooleanField(_("from the city's sign-in"), default=False, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                name="membership_unique",
                violation_error_message=_(
                    "The user is already a member of the organisation; change that membership "
                    "instead of adding another."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"


class MunicipalityGroup(models.Model):
    """A group of municipalities from Kolada's metadata (such as an SKR kommungrupp), whose
    median a municipality's values are shown beside."""

    code = models.CharField(_("Kolada group id"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=300)
    members = models.JSONField(_("members (municipality codes)"), default=list, blank=True)
    is_demo = models.BooleanField(_("demo"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("municipality group")
        verbose_name_plural = _("municipality groups")
        ordering = ["title"]

    def __str__(self):
        return f"{self.title} ({self.code})"


class Municipality(models.Model):
    """A municipality: one whose programme this is, or one its key figures are compared with."""

    code = models.CharField(
        _("code"), max_length=4, unique=True, validators=[RegexValidator(r"^\d{4}$")]
    )
    name = models.CharField(_("name"), max_length=100, validators=[one_line])
    comparison_group = models.ForeignKey(
        MunicipalityGroup,
        verbose_name=_("compared with the group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The group whose median its key figures are shown beside."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"


SWEDEN = "0000"


# A Kolada KPI's code: a capital letter and five digits.
KPI_CODE = RegexValidator(
    r"^[A-Z]\d{5}$",
    _("Write the key figure's code as Kolada does: a capital letter and five digits, such as "
      "N00401."),
)  # fmt: skip


class Indicator(models.Model):
    """A key figure followed for a focus area, usually one of Kolada's KPIs."""

    class Better(models.TextChoices):
        HIGHER = "higher", _("higher is better")
        LOWER = "lower", _("lower is better")
        NEITHER = "neither", _("neither higher nor lower is better")

    focus_area = models.ForeignKey(
        FocusArea, verbose_name=_("focus area"), on_delete=models.PROTECT, related_name="indicators"
    )
    title = models.CharField(_("title"), max_length=300, validators=[one_line])
    unit = models.CharField(_("unit"), max_length=100, blank=True, validators=[one_line])
    source = models.CharField(_("source"), max_length=200, default="Kolada", validators=[one_line])
    external_id = models.CharField(
        _("Kolada KPI"),
        max_length=20,
        blank=True,
        validators=[KPI_CODE],
    )
    better = models.CharField(_("better when"), max_length=10, choices=Better.choices)
    gender_split = models.BooleanField(_("split by gender"), default=False)
    comparisons = models.CharField(
        _("compared with (municipality codes)"),
        max_length=200,
        default=SWEDEN,
        blank=True,
        help_text=_("Comma-separated; 0000 is Sweden as a whole."),
    )
    decimals = models.PositiveSmallIntegerField(
        _("decimals shown"),
        default=1,
        validators=[MaxValueValidator(6)],
        help_text=_("How many decimals the indicator's values are shown with, everywhere."),
    )
    confirmed = models.BooleanField(
        _("confirmed"),
        default=False,
        help_text=_("An unconfirmed indicator's Kolada number and name are still to be checked."),
    )
    active = models.BooleanField(_("active"), default=True)
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("continues the indicator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="carried_to",
        help_text=_("The same key figure in the previous edition: its values count as this one's."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["focus_area", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["focus_area", "title"],
                name="indicator_unique_title",
                violation_error_message=_(
                    "The focus area already has an indicator of that title; choose another title."
                ),
            ),
        ]

    def __str__(self):
        return self.title

    MAX_COMPARISONS = 3  # with the programme's own and women/men, a chart shows at most 6 lines

    @property
    def unit_shown(self) -> str:
        """The unit in the active language (programme/units.py)."""
        return unit_label(self.unit)

    def comparison_codes(self) -> list[str]:
        return [code.strip() for code in self.comparisons.split(",") if code.strip()]

    def clean(self):
        super().clean()
        if self.carried_from_id and self.focus_area_id:
            previous = self.focus_area.programme.previous_id
            if previous is None or self.carried_from.focus_area.programme_id != previous:
                raise ValidationError(
                    {
                        "carried_from": _(
                            "An indicator continues one of the previous edition's indicators."
                        )
                    }
                )
        codes = self.comparison_codes()
        if any(len(code) != 4 or not code.isdigit() for code in codes):
            raise ValidationError(
                {"comparisons": _("Give municipality codes of 4 digits, such as 0000.")}
            )
        if len(codes) > self.MAX_COMPARISONS:
            raise ValidationError(
                {
                    "comparisons": _("Compare with at most %(count)d municipalities.")
                    % {"count": self.MAX_COMPARISONS}
                }
            )


class GoalKpi(models.Model):
    """A key figure of an Agenda 2030 indicator set (a Kolada KPI group such as RKA's key
    figures for Agenda 2030), under its global goal; shown on the goal's page."""

    sdg = models.ForeignKey(
        Sdg, verbose_name=_("global goal"), on_delete=models.CASCADE, related_name="kpis"
    )
    kpi = models.CharField(
        _("Kolada KPI"),
        max_length=20,
        validators=[KPI_CODE],
    )
    title = models.CharField(_("title"), max_length=300)
    group = models.CharField(_("Kolada KPI group"), max_length=300, blank=True)
    better = models.CharField(
        _("better when"),
        max_length=10,
        choices=Indicator.Better.choices,
        default=Indicator.Better.NEITHER,
        help_text=_("Set it to rank the municipality among the others."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Agenda 2030 key figure")
        verbose_name_plural = _("Agenda 2030 key figures")
        ordering = ["sdg", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["sdg", "kpi"],
                name="one_kpi_per_goal",
                violation_error_message=_(
                    "The global goal already has a key figure with that KPI; choose another KPI."
                ),
            )
        ]

    def __str__(self):
        return f"{self.sdg.number}: {self.title} ({self.kpi})"


class KpiYear(models.Model):
    """Every municipality's total of a Kolada KPI in one year, as Kolada answers for all
    municipalities at once: what rank, quartile and medians are read from
    (programme/comparison.py). Values are kept as exact decimal text, a missing one as null."""

    kpi = models.CharField(_("Kolada KPI"), max_length=20)
    year = models.PositiveSmallIntegerField(_("year"))
    values = models.JSONField(_("values by municipality code"), default=dict)
    source = models.CharField(_("source"), max_length=200, blank=True)
    is_demo = models.BooleanField(_("demo"), default=False)
    imported_at = models.DateTimeField(_("imported"), auto_now=True)

    class Meta:
        verbose_name = _("all municipalities' values")
        verbose_name_plural = _("all municipalities' values")
        ordering = ["kpi", "year"]
        constraints = [
            models.UniqueConstraint(fields=["kpi", "year"], name="one_kpi_year"),
        ]

    def __str__(self):
        return f"{self.kpi} {self.year}"


SQLITE_DIGITS = 15  # significant digits a decimal keeps on SQLite


def exact_text(value: Decimal) -> str:
    """A decimal written out in full without the zeros the database pads it with:
    "425", "425.5", "0.000000001", not "425.000000000000000000". Nothing is rounded
    (Decimal.normalize would round to its context's 28 digits)."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class IndicatorValue(models.Model):
    class Gender(models.TextChoices):
        TOTAL = "T", _("total")
        WOMEN = "K", _("women")
        MEN = "M", _("men")

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="values"
    )
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    gender = models.CharField(
        _("gender"), max_length=1, choices=Gender.choices, default=Gender.TOTAL
    )
    # A missing value is missing (null), never zero; decimals are kept, never rounded away.
    value = models.DecimalField(_("value"), max_digits=38, decimal_places=18, null=True, blank=True)
    status = models.CharField(_("source status"), max_length=50, blank=True, validators=[one_line])
    source = models.CharField(_("source"), max_length=200, blank=True, validators=[one_line])
    imported_at = models.DateTimeField(_("imported"), auto_now=True)
    is_demo = models.BooleanField(_("demo"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator", "municipality", "year", "gender"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "municipality", "year", "gender"],
                name="one_value_per_cell",
                violation_error_message=_(
                    "The indicator already has a value for that municipality, year and gender; "
                    "change that value instead of adding another."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.indicator} {self.municipality.code} {self.year} {self.gender}"

    @classmethod
    def exact(cls, value: Decimal | None) -> Decimal | None:
        """The value as the database will keep it; ValueError if it would not be exact.

        A value is never rounded on the way in: "1e-09" stays 0.000000001 (not 0), and a
        value with more digits than the field holds, or no number at all, is refused.
        """
        if value is None:
            return None
        field = cls._meta.get_field("value")
        if not value.is_finite():
            raise ValueError(_("“%(value)s” is not a number.") % {"value": value})
        try:
            exact = value.quantize(
                Decimal(1).scaleb(-field.decimal_places), context=Context(prec=field.max_digits)
            )
        except InvalidOperation:
            exact = None
        if exact is None or exact != value:
            raise ValueError(
                _(
                    "%(value)s cannot be stored exactly: at most %(whole)d digits before the "
                    "decimal point and %(places)d after it."
                )
                % {
                    "value": value,
                    "whole": field.max_digits - field.decimal_places,
                    "places": field.decimal_places,
                }
            )
        exact = exact.normalize()
        if connection.vendor == "sqlite" and len(exact.as_tuple().digits) > SQLITE_DIGITS:
            # SQLite keeps a decimal as a floating-point number, which Django reads back
            # with 15 significant digits: more would come back rounded.
            raise ValueError(
                _(
                    "%(value)s cannot be stored exactly in this database (SQLite): at most "
                    "%(digits)d significant digits. PostgreSQL keeps it as it is."
                )
                % {"value": value, "digits": SQLITE_DIGITS}
            )
        return exact


class IndicatorTarget(models.Model):
    """A target an indicator should reach by a year, and what sets it (a governing document
    or the programme's own words). Judged by programme/targets.py."""

    class Direction(models.TextChoices):
        AT_LEAST = "at_least", _("at least")
        AT_MOST = "at_most", _("at most")

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="targets"
    )
    value = models.DecimalField(_("target value"), max_digits=38, decimal_places=18)
    year = models.PositiveSmallIntegerField(
        _("target year"), validators=[MinValueValidator(1950), MaxValueValidator(2100)]
    )
    direction = models.CharField(
        # Whether to reach at least or at most the value: not the programme's direction
        # (viljeinriktning), so a word of its own.
        pgettext_lazy("target", "direction"),
        max_length=10,
        choices=Direction.choices,
        help_text=_("Whether the value should reach at least or at most the target."),
    )
    document = models.ForeignKey(
        GoverningDocument,
        verbose_name=_("set by the governing document"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicator_targets",
    )
    basis = models.CharField(
        _("set by"),
        max_length=300,
        blank=True,
        help_text=_("The words of the programme or decision that set the target, if no document."),
        validators=[one_line],
    )
    is_demo = models.BooleanField(_("demo"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator target")
        verbose_name_plural = _("indicator targets")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"],
                name="one_target_per_year",
                violation_error_message=_(
                    "The indicator already has a target for that year; change that target or "
                    "choose another year."
                ),
            ),
        ]

    def __str__(self):
        value = exact_text(self.value) if isinstance(self.value, Decimal) else self.value
        return f"{self.indicator}: {self.get_direction_display()} {value} ({self.year})"

    def clean(self):
        super().clean()
        if self.value is not None:
            try:
                self.value = IndicatorValue.exact(self.value)
            except ValueError as error:
                raise ValidationError({"value": str(error)}) from None
        if (
            self.document_id
            and self.indicator_id
            and self.document.programme_id != self.indicator.focus_area.programme_id
        ):
            raise ValidationError(
                {"document": _("Choose a governing document of the indicator's programme.")}
            )
        # The indicator may be new too (a target added with it on the admin's page).
        try:
            indicator = self.indicator
        except Indicator.DoesNotExist:
            indicator = None
        programme = (
            indicator.focus_area.programme if indicator and indicator.focus_area_id else None
        )
        if programme is not None and self.year is not None and self.year < programme.baseline_year:
            # The statistics, the chart and the report follow the indicator from the base
            # year on: a target before it would be judged on values the programme never had.
            raise ValidationError(
                {
                    "year": _(
                        "The target year %(year)d is before the programme's base year "
                        "%(base)d (the year before %(edition)s takes effect): choose %(base)d "
                        "or a later year."
                    )
                    % {
                        "year": self.year,
                        "base": programme.baseline_year,
                        "edition": programme.edition,
                    }
                }
            )

    def is_met(self, value: Decimal) -> bool:
        """Whether a value meets the target."""
        if self.direction == self.Direction.AT_MOST:
            return value <= self.value
        return value >= self.value

    @property
    def source(self) -> str:
        return self.document.title if self.document_id else self.basis
