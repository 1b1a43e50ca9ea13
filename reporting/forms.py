import functools
from dataclasses import asdict

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db.models import Exists, OuterRef, Q
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from livskvalitet.core.forms import LengthCounted, TypedText, show_again, typed_formfield
from livskvalitet.core.text import as_typed, content_language, one_line
from programme.models import FocusArea, Organisation, Programme, Sdg

from . import content
from .attachments import AttachmentRefused, check_upload, check_uploads
from .content import AttachmentRef
from .models import MESSAGE_LIMIT, STATES, Action, Assessment, Contribution, Cycle, Question
from .permissions import installation_cycles

TEXT_HELP = _(
    "Write as in an e-mail: a blank line starts a new paragraph, lines that start with "
    "“- ” make a list, and web addresses become links. Your text is kept exactly as you "
    "write it."
)

# Long enough for any report text; a limit keeps a runaway paste from being lost whole.
MAX_TEXT = 20_000
# An organisation outside the city, one line of the collaboration field.
MAX_PARTNER_NAME = 300


def limit_length(field: forms.Field, limit: int = MAX_TEXT) -> None:
    field.max_length = limit
    field.validators.append(MaxLengthValidator(limit))
    field.widget.attrs["data-maxlength"] = str(limit)


class RevisionChecked:
    """A form with the hidden revision (``revision_field``) its page was opened at. A page
    never sends a wrong one unless it is broken or forged; then nothing is saved and the form
    says so where it is seen (a hidden field's own error is shown nowhere, or as "Version:
    enter a whole number"), keeping what was typed."""

    revision_field = "revision"

    def clean(self):
        cleaned = super().clean()
        if self.errors.pop(self.revision_field, None):
            self.add_error(
                None,
                _(
                    "The page is out of date and nothing was saved. Copy what you typed, "
                    "reload the page and save again."
                ),
            )
        return cleaned


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


def in_content_language(text):
    """A text of the programme's (a question a strategist wrote) among the app's words:
    marked with its language where the page is in another one, as the read-only pages
    mark it (livskvalitet.core.text.content_language)."""
    lang = content_language()
    if not lang or not text:
        # Made safe here: a form's help text is shown as markup (Django's and crispy's
        # templates do not escape it), and it is what a strategist typed.
        return escape(text)
    return format_html('<span lang="{}">{}</span>', lang, text)


def mark_content_fields(form) -> None:
    """The form's text fields hold what users write, in the content's language: marked so
    where the page is in another one, for screen readers and spell checking."""
    lang = content_language()
    if not lang:
        return
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.Textarea | forms.TextInput) and not isinstance(
            widget, forms.DateInput
        ):
            widget.attrs["lang"] = lang


class ContributionForm(RevisionChecked, LengthCounted, forms.ModelForm):
    """The organisation's text. Saving a draft requires nothing but what the form asks for
    with the answer itself: a reason where the focus area does not concern the organisation."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    revision_field = "version"

    class Meta:
        model = Contribution
        fields = list(content.FIELDS)
        formfield_callback = typed_formfield
        widgets = {
            field: forms.Textarea(attrs={"rows": 4, "class": "grows"})
            for field in content.TEXT_FIELDS
        } | {
            "not_relevant_reason": forms.Textarea(attrs={"rows": 2, "class": "grows"}),
            "assessment": forms.RadioSelect,
        }
        help_texts = {"done": TEXT_HELP}  # not_relevant's names the area (__init__)

    # Collaboration (content.Partner) is written in two fields and read as one list: the
    # city's own organisations ticked, then the others one a line, as typed (clean).
    collaboration = forms.TypedMultipleChoiceField(
        label=_("The city's own organisations"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        required=False,
    )  # the fieldset's description in the template says what both fields are for
    collaboration_outside = TypedText(
        label=_("Organisations outside the city"),
        widget=forms.Textarea(attrs={"rows": 2, "class": "grows"}),
        required=False,
    )
    # A message in the contribution's thread, sent with the save: writing it never means
    # leaving the form. Shown in the thread's section (form="contribution-form").
    message = TypedText(
        label=_("Your message"),
        widget=forms.Textarea(attrs={"rows": 3, "form": "contribution-form"}),
        required=False,
        help_text=_(
            "The strategists read it and answer here. It is sent when you save, with your changes."
        ),
    )
    # The note for the approver, sent with "Save and mark ready for approval": checked with
    # the rest, so that a note that cannot be sent saves nothing.
    ready_note = TypedText(
        label=_("A note for your approver (optional)"),
        widget=forms.Textarea(attrs={"rows": 1}),
        required=False,
    )
    attachments = MultipleFileField(label=_("Attach files"), required=False)
    remove_attachments = forms.TypedMultipleChoiceField(
        label=_("Remove attachments"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(
        self,
        *args,
        questions=(),
        answers=None,
        indicators=(),
        comments=None,
        attached=(),
        collaboration_open=True,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        # Help texts are shown as HTML (crispy's |safe): the programme's word is escaped.
        self.fields["not_relevant"].help_text = _(
            "Tick this if %(area)s does not concern your organisation, and say why."
        ) % {"area": escape(self.area_named())}
        for name in content.TEXT_FIELDS:
            limit_length(self.fields[name])
        limit_length(self.fields["message"], MESSAGE_LIMIT)
        limit_length(self.fields["ready_note"], MESSAGE_LIMIT)
        # Samverkan is a section of its own, opened by its button (as a saved action is):
        # closed, the page shows the partners saved, and saving keeps them as they are.
        self.collaboration_open = collaboration_open
        self.saved_partners = content.read_items(content.Partner, self.instance.collaboration)
        if collaboration_open:
            self._offer_partners()
        else:
            del self.fields["collaboration"], self.fields["collaboration_outside"]
        self.attached = list(attached)
        self.fields["remove_attachments"].choices = [(a.pk, a.name) for a in self.attached]
        self.fields["attachments"].help_text = _(
            "PDF, Word (DOCX), Excel (XLSX), OpenDocument text (ODT), PNG or JPEG; at most "
            "%(size)s a file and %(count)d files in all."
        ) % {
            "size": filesizeformat(settings.ATTACHMENT_MAX_BYTES),
            "count": settings.ATTACHMENT_MAX_COUNT,
        }
        self.indicators = list(indicators)
        comments = comments or {}
        for indicator in self.indicators:
            name = f"indicator_{indicator.pk}"
            label = format_html(
                _("Your comment on the indicator “{title}”"),
                title=in_content_language(indicator.title),
            )
            self.fields[name] = TypedText(
                label=label,
                widget=forms.Textarea(attrs={"rows": 2, "class": "grows"}),
                required=False,
            )
            limit_length(self.fields[name], 5_000)
            self.initial[name] = comments.get(indicator.pk, "")
        self.fields["assessment"].choices = Contribution._meta.get_field("assessment").choices
        self.fields["assessment"].required = False
        self.questions = list(questions)
        answers = answers or {}
        for question in self.questions:
            self.fields[f"question_{question.pk}"] = question_field(question)
            answer = answers.get(question.pk, "")
            if question.kind == Question.Kind.CHOICES:
                answer = answer.splitlines()
            self.initial[f"question_{question.pk}"] = answer
        mark_content_fields(self)

    def area_named(self) -> str:
        """The contribution's focus area as its programme names the level, with its code:
        "fokusområde 2.1", "delmål A1" (the programme's and the area's rows are read with
        the contribution's)."""
        contribution = self.instance
        level = contribution.cycle.programme.levels.focus_area
        return f"{level} {contribution.focus_area.code}"

    def _offer_partners(self) -> None:
        """The city's active organisations but the contribution's own, and those chosen
        before; one chosen before that no longer exists shows among the others, by name,
        so that saving keeps it."""
        saved = self.saved_partners
        chosen = {p.organisation_id for p in saved if p.organisation_id is not None}
        organisations = (
            Organisation.objects.of_installation()
            .filter(Q(active=True) | Q(pk__in=chosen))
            .exclude(pk=self.instance.organisation_id)
            .order_by("name")
            .values_list("pk", "name")  # names only: one is offered for every organisation
        )
        self.offered_partners = dict(organisations)
        self.fields["collaboration"].choices = list(self.offered_partners.items())
        limit_length(self.fields["collaboration_outside"], 5_000)
        self.initial["collaboration"] = [
            p.organisation_id for p in saved if p.organisation_id in self.offered_partners
        ]
        self.initial["collaboration_outside"] = "\n".join(
            p.name for p in saved if p.organisation_id not in self.offered_partners
        )

    def clean_collaboration_outside(self) -> list[str]:
        """The names outside the city, each line as typed; blank lines are not names. Too
        long a name is refused, never cut."""
        names = []
        lines = as_typed(self.cleaned_data["collaboration_outside"]).split("\n")
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            if len(line) > MAX_PARTNER_NAME:
                raise forms.ValidationError(
                    _(
                        "Line %(line)d is %(length)d characters long; a name may have at "
                        "most %(limit)d. Nothing was cut: shorten it and save again."
                    )
                    % {"line": number, "length": len(line), "limit": MAX_PARTNER_NAME}
                )
            names.append(line)
        return names

    def partners_to_save(self) -> list[dict]:
        """The partners to save (a valid form): those chosen, or where the section was
        closed those saved."""
        if self.collaboration_open:
            return self.cleaned_data["collaboration"]
        return [asdict(partner) for partner in self.saved_partners]

    def _partners_chosen(self, cleaned) -> list[dict]:
        """One list, as content.Partner items: the city's own in the list's order, then
        the others in the order typed."""
        city = set(cleaned.get("collaboration") or [])
        return [
            {"name": name, "organisation_id": pk}
            for pk, name in self.offered_partners.items()
            if pk in city
        ] + [
            {"name": name, "organisation_id": None}
            for name in cleaned.get("collaboration_outside") or []
        ]

    def clean_attachments(self):
        """The acceptable files; a refused one does not stop the save: it is left out and
        said by name and why (``refused_files``), so nothing else typed or chosen is lost."""
        accepted, self.refused_files = [], []  # the view names the refused ones
        for upload in self.cleaned_data.get("attachments") or []:
            try:
                check_upload(upload)
            except AttachmentRefused as refused:
                self.refused_files.append(str(refused))
            else:
                accepted.append(upload)
        return accepted

    def clean(self):
        cleaned = super().clean()
        if self.collaboration_open:
            cleaned["collaboration"] = self._partners_chosen(cleaned)
        if cleaned.get("not_relevant") and not (cleaned.get("not_relevant_reason") or "").strip():
            self.add_error(
                "not_relevant_reason",
                _("Say why %(area)s does not concern your organisation.")
                % {"area": self.area_named()},
            )
        kept = len(self.attached) - len(cleaned.get("remove_attachments") or [])
        try:
            check_uploads([], already=kept + len(cleaned.get("attachments") or []))
        except AttachmentRefused as refused:
            self.add_error("attachments", str(refused))
        return cleaned

    def kept_attachments(self):
        removed = set(self.cleaned_data.get("remove_attachments") or [])
        return [
            AttachmentRef(a.pk, a.name, a.size, a.sha256)
            for a in self.attached
            if a.pk not in removed
        ]

    def answers(self) -> dict:
        return {q: self.cleaned_data.get(f"question_{q.pk}", "") for q in self.questions}

    def indicator_comments(self) -> dict:
        return {i: self.cleaned_data.get(f"indicator_{i.pk}", "") for i in self.indicators}


def question_field(question: Question) -> forms.Field:
    common = {
        "label": in_content_language(question.text),
        "help_text": in_content_language(question.help_text),
        "required": False,
    }
    if question.kind == Question.Kind.LONG_TEXT:
        field = TypedText(widget=forms.Textarea(attrs={"rows": 3, "class": "grows"}), **common)
        limit_length(field, 5_000)
        return field
    if question.kind == Question.Kind.CHOICE:
        choices = [("", "—")] + [(choice, choice) for choice in question.choice_list()]
        return forms.ChoiceField(choices=choices, **common)
    if question.kind == Question.Kind.CHOICES:
        return forms.MultipleChoiceField(
            choices=[(choice, choice) for choice in question.choice_list()],
            widget=forms.CheckboxSelectMultiple,
            **common,
        )
    if question.kind == Question.Kind.NUMBER:
        # Swedish decimal comma accepted; "1e999999" and the like refused with a message.
        return forms.DecimalField(max_digits=20, decimal_places=6, localize=True, **common)
    field = TypedText(**common)
    limit_length(field, 500)
    return field


class ActionForm(LengthCounted, forms.Form):
    title = TypedText(label=_("Title"), max_length=300, validators=[one_line])
    description = TypedText(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 2, "class": "grows"}),
        required=False,
    )
    # An initial value, so that the empty form for a new action counts as unchanged.
    status = forms.ChoiceField(
        label=_("Status"), choices=Action.Status.choices, initial=Action.Status.PLANNED
    )
    groups = forms.MultipleChoiceField(
        label=_("Groups reached"),
        choices=Action.Group.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    sdgs = forms.TypedMultipleChoiceField(
        label=_("Global goals the action contributes to"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    # A registration number or an address: spaces around it are no part of it.
    reference = forms.CharField(
        label=_("Reference (registration number or link)"),
        max_length=300,
        required=False,
        validators=[one_line],
    )
    # An action reported before: the register's entry it reports on (checked by the
    # service to be the organisation's own), and what happened to it since.
    initiative = forms.IntegerField(required=False, widget=forms.HiddenInput)
    progress = TypedText(
        label=_("What happened since the last follow-up"),
        widget=forms.Textarea(attrs={"rows": 2, "class": "grows"}),
        required=False,
    )

    starts_on = forms.DateField(
        label=_("Start"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("End (planned, or actual once finished)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    moved_to = forms.ChoiceField(required=False)  # its label names the level (__init__)

    # Sent by an action open for editing (see ``opened``).
    editing = forms.BooleanField(required=False, initial=True, widget=forms.HiddenInput)

    def __init__(
        self,
        *args,
        sdg_choices=(),
        own_sdgs=(),
        area_choices=None,
        saved=False,
        opened=False,
        level=None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        # An action reported before may move to another of the edition's focus areas
        # (read only when such an action is shown or sent: see action_form_options),
        # named as the programme names the level (``level``; the usual name if not told).
        self.fields["moved_to"].label = _("Moved to %(focus_area)s") % {
            "focus_area": level or _("focus area")
        }
        areas = area_choices or tuple
        self.fields["moved_to"].choices = lambda: [("", _("No, it stays")), *areas()]
        limit_length(self.fields["description"], 5_000)
        limit_length(self.fields["progress"], 5_000)
        # Choices are read once per page and shared by every action's form; the focus
        # area's own goals come first and show, the others fold away.
        self.fields["sdgs"].choices = sdg_choices
        # The page renders the boxes one by one (the goals split into the focus area's own
        # and the others): each box a form-check, as crispy renders one, marked invalid
        # when its group has an error (whose text _choice_errors.html shows).
        box = "reporting/widgets/form_check_option.html"
        for name in ("sdgs", "groups"):
            self.fields[name].widget.option_template_name = box
        self.own_sdgs = set(own_sdgs)
        mark_content_fields(self)
        # A saved action shows as a summary, and is edited one at a time: it is open when
        # the page was asked to open it, or when the form sent says it was open. Closed,
        # its fields are disabled, so it keeps its saved values whatever is sent (Django
        # takes a disabled field's initial value), and nothing of it is rendered but the
        # box that removes it. New actions are always open.
        if self.is_bound and not opened:
            opened = self.fields["editing"].to_python(self["editing"].data)
        self.opened = not saved or opened
        if not self.opened:
            for field in self.fields.values():
                field.disabled, field.required = True, False

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The end cannot come before the start."))
        return cleaned

    def has_changed(self):
        """Whether anything was written: being open is not a change (an empty new action
        left as it is stays out)."""
        return any(name != "editing" for name in self.changed_data)

    @property
    def saved_action(self) -> content.ActionContent | None:
        """The saved action this form stands for, to show when it is closed (None if a
        form sent says there was one that is no longer saved)."""
        if "title" not in self.initial:
            return None
        return content.ActionContent(
            **{name: self.initial[name] for name in self.fields if name in self.initial}
        )

    @property
    def saved_sdg_labels(self) -> list[str]:
        labels = dict(self.fields["sdgs"].choices)
        return [labels.get(number, str(number)) for number in self.initial.get("sdgs", ())]

    @property
    def own_sdg_count(self) -> int:
        return len(self.own_sdgs)

    @property
    def other_sdgs_chosen(self) -> bool:
        chosen = self["sdgs"].value() or []
        return any(int(n) not in self.own_sdgs for n in chosen if str(n).isdigit())


def action_form_options(focus_area=None, level=None) -> dict:
    """The global goals to choose among, the focus area's own first, for every action;
    ``level``: what the programme calls a focus area, for the label of where it moved."""
    goals = Sdg.objects.all()
    if focus_area is not None:  # one query: each goal says whether it is the area's own
        own_goal = FocusArea.sdgs.through.objects.filter(focusarea=focus_area, sdg=OuterRef("pk"))
        goals = goals.annotate(own=Exists(own_goal))
    goals = sorted(goals, key=lambda sdg: (not getattr(sdg, "own", False), sdg.number))
    own = {sdg.number for sdg in goals if getattr(sdg, "own", False)}
    options = {"sdg_choices": [(sdg.number, str(sdg)) for sdg in goals], "own_sdgs": own}
    if level is not None:
        options["level"] = level
    if focus_area is not None:

        @functools.cache
        def areas():
            """The edition's other focus areas: asked once, and only by a form that shows
            or checks where an action moved."""
            others = (
                FocusArea.objects.filter(programme_id=focus_area.programme_id)
                .exclude(pk=focus_area.pk)
                .order_by("sort_key")
                .values_list("code", "title")
            )
            return [(code, f"{code} {title}") for code, title in others]

        options["area_choices"] = areas
    return options


class BaseActionFormSet(forms.BaseFormSet):
    """A contribution's actions: the saved ones closed (summaries) but ``open_action`` (an
    index), then ``new`` empty ones to fill in. The page adds more from its template
    (static/js/actions.js), so it renders no action but those being written."""

    extra = 0
    default_error_messages = {"too_many_forms": content.TOO_MANY_ACTIONS}
    error_item = _("Action %(number)s")  # how the error summary names one (livskvalitet.py)

    def __init__(self, *args, open_action=None, new=0, **kwargs):
        self.open_action = open_action
        self.extra = new
        super().__init__(*args, **kwargs)

    @property
    def new_count(self) -> int:
        return self.total_form_count() - self.initial_form_count()

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # Crispy renders the box with its label (_action_form.html).
        form.fields["DELETE"].label = _("Remove this action when saving")

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is not None and index < self.initial_form_count():
            kwargs.update(saved=True, opened=index == self.open_action)
        return kwargs

    @property
    def open_number(self) -> int | None:
        """The number ("Insats N") of the saved action open for editing, if one is."""
        for index, form in enumerate(self.forms[: self.initial_form_count()]):
            if form.opened:
                return index + 1
        return None


ActionFormSet = forms.formset_factory(
    ActionForm,
    formset=BaseActionFormSet,
    can_delete=True,
    max_num=content.MAX_ACTIONS,
    absolute_max=content.MAX_ACTIONS,  # a form sent with more builds no more than this
    validate_max=True,
)


class SendBackForm(LengthCounted, forms.Form):
    # Refused, the page comes back with the cursor in the text: a screen reader reads its
    # error with it (error_summary in livskvalitet.py).
    focus_field_on_error = True

    comment = TypedText(
        label=_("What the reporters need to change"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The reporters see this comment; those with an e-mail address also get it by e-mail."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_length(self.fields["comment"], MESSAGE_LIMIT)


class SubmitForm(forms.Form):
    """Submitting a contribution as it stands, or marking it ready: the version the page
    showed, so that what changed meanwhile is not sent unseen (services.ChangedSinceSeen)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def seen(self) -> int:
        """The version the page showed; a request that does not say is taken as opened on
        a version that never was (whatever else the form holds)."""
        try:
            return self.fields["version"].clean(self["version"].data)
        except forms.ValidationError:
            return -1


class ReadyForm(LengthCounted, SubmitForm):
    """Marking a draft ready for approval, with a note for the approver."""

    # Refused, the page comes back with the cursor in the text: a screen reader reads its
    # error with it (error_summary in livskvalitet.py).
    focus_field_on_error = True

    note = TypedText(
        label=_("A note for your approver (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_length(self.fields["note"], MESSAGE_LIMIT)


class ThreadForm(LengthCounted, forms.Form):
    # Refused, the page comes back with the cursor in the text: a screen reader reads its
    # error with it (error_summary in livskvalitet.py).
    focus_field_on_error = True

    # The page of the contribution to come back to after sending: always the same
    # contribution, so the choice can never lead anywhere else.
    PAGES = {
        "detail": "reporting:contribution-detail",
        "edit": "reporting:contribution-edit",
        "review": "reporting:contribution-review",
    }

    text = TypedText(label=_("Your message"), widget=forms.Textarea(attrs={"rows": 3}))
    back = forms.ChoiceField(
        choices=[(page, page) for page in PAGES], required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, back="detail", **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("back", back)
        limit_length(self.fields["text"], MESSAGE_LIMIT)

    def back_url(self, contribution) -> str:
        page = self.cleaned_data.get("back") if hasattr(self, "cleaned_data") else None
        return reverse(
            self.PAGES.get(page or "detail", self.PAGES["detail"]), args=[contribution.pk]
        )


class ReviewDecision(forms.Form):
    """A strategist's decision on a contribution, with the hidden number of the version
    its page showed (services.contribution_approve and contribution_return check it). A
    page never sends a wrong one unless it is broken or forged: a missing or unreadable
    one is a version never seen (-1), so the decision is refused as on a changed
    contribution, keeping what was typed."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        cleaned = super().clean()
        self.errors.pop("seen_version", None)  # shown nowhere: the service says why
        if cleaned.get("seen_version") is None:
            cleaned["seen_version"] = -1
        return cleaned

    def shows(self, number: int) -> None:
        """The page renders version ``number``: the field sends that one back, whatever
        was sent before, so that deciding again on what is now read works."""
        show_again(self, "seen_version", number)


class ApproveForm(ReviewDecision):
    """The approve button's form: nothing but the version read."""

    def __init__(self, *args, **kwargs):
        # On the page with the return form: its field's id is its own.
        kwargs.setdefault("auto_id", "id_approve_%s")
        super().__init__(*args, **kwargs)


class ReturnForm(LengthCounted, ReviewDecision):
    comment = TypedText(
        label=_("What needs to change"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MESSAGE_LIMIT,
        help_text=_(
            "The organisation sees this comment; its members with an e-mail address also "
            "get it by e-mail."
        ),
    )

    # Refused, the page comes back with the cursor in the comment: a screen reader reads
    # its error with it (aria-describedby), not the top of the page (error_summary).
    focus_field_on_error = True


class CycleForm(LengthCounted, forms.ModelForm):
    # Not a field of the cycle: what it starts with (services.questions_copy).
    copy_questions = forms.BooleanField(
        label=_("Start with the questions of the previous cycle"),
        help_text=_(
            "Copies the questions of the programme's latest earlier cycle (of an earlier "
            "edition too), exactly as they were written. You can change or remove them "
            "until the cycle opens; the earlier cycle's questions stay as they are."
        ),
        required=False,
        initial=True,
    )

    class Meta:
        model = Cycle
        fields = ["programme", *Cycle.EDITABLE]
        formfield_callback = typed_formfield
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}),
            "due_on": forms.DateInput(attrs={"type": "date"}),
            "instructions": forms.Textarea(attrs={"rows": 4, "class": "grows"}),
        }

    def __init__(self, *args, questions_to_copy=True, **kwargs):
        """``questions_to_copy``: whether there are earlier questions to start from
        (selectors.questions_to_copy); without, starting from them is not offered."""
        super().__init__(*args, **kwargs)
        limit_length(self.fields["instructions"], 5_000)
        if "programme" in self.fields:  # the installation's own programmes only
            self.fields["programme"].queryset = Programme.objects.of_installation()
        if not questions_to_copy:
            del self.fields["copy_questions"]


class CycleEditForm(CycleForm):
    """What a cycle is, changed until it opens (services.cycle_edit): all but its programme,
    and its questions are changed on its page."""

    copy_questions = None

    class Meta(CycleForm.Meta):
        fields = [name for name in CycleForm.Meta.fields if name != "programme"]


class OpenCycleForm(forms.Form):
    """Opening sends the requests: the strategist says so in words, having seen them."""

    plan = forms.CharField(widget=forms.HiddenInput)
    when = forms.ChoiceField(
        label=_("When"),
        choices=[("now", _("Open now and send the requests")), ("schedule", _("Schedule"))],
        widget=forms.RadioSelect,
    )
    confirm = forms.BooleanField(
        label=_("I have looked at who will be asked what, and want the requests sent."),
        error_messages={"required": _("Tick the box to confirm that the requests are sent.")},
    )

    def __init__(self, *args, plan, schedule: bool, **kwargs):
        """``schedule``: whether the workflow lets the cycle be scheduled now."""
        super().__init__(*args, **kwargs)
        self.initial["plan"] = plan.fingerprint
        schedule_label = _("Schedule: open on %(date)s, the opening date") % {
            "date": date_format(plan.cycle.opens_on)
        }
        choices = [("now", _("Open now and send the requests"))]
        if schedule:
            choices.append(("schedule", schedule_label))
        self.fields["when"].choices = choices
        self.initial["when"] = "schedule" if schedule else "now"


class DueDateForm(LengthCounted, forms.Form):
    due_on = forms.DateField(
        label=_("New due date"), widget=forms.DateInput(attrs={"type": "date"})
    )


class ReopenForm(DueDateForm):
    """Reopening reporting sets a due date too: labelled so that it is not taken for the
    due date's own field, which changes the date only."""

    due_on = forms.DateField(
        label=_("Reporting open until"),
        help_text=_("The new due date: the organisations can write until then."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class RequestForm(LengthCounted, forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    focus_area = forms.ModelChoiceField(queryset=None)  # labelled as the programme says

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["focus_area"].label = capfirst(cycle.programme.levels.focus_area)
        self.fields["organisation"].queryset = Organisation.objects.of_programme(
            cycle.programme
        ).filter(active=True, kind__in=Organisation.REPORTING_KINDS)
        self.fields["focus_area"].queryset = cycle.programme.focus_areas.order_by("sort_key")


class QuestionForm(LengthCounted, forms.ModelForm):
    class Meta:
        model = Question
        fields = ["text", "help_text", "kind", "choices", "required", "position"]
        formfield_callback = typed_formfield
        widgets = {"choices": forms.Textarea(attrs={"rows": 3})}

    # What choices it needs is the question's own rule (Question.clean), run here too.


class SynthesisForm(RevisionChecked, LengthCounted, forms.Form):
    analysis = TypedText(
        label=_("Analysis"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=MAX_TEXT,
        required=False,
        help_text=TEXT_HELP,
    )
    assessment = forms.ChoiceField(
        label=_("Overall assessment"),
        choices=[("", _("not yet assessed")), *Assessment.choices],
        widget=forms.RadioSelect,
        required=False,
    )
    highlighted = forms.TypedMultipleChoiceField(
        label=_("Good examples to highlight"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    def __init__(self, *args, actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.actions = {action.pk: action for action in actions}
        self.fields["highlighted"].choices = [
            (action.pk, f"{action.title} ({action.contribution.organisation.name})")
            for action in actions
        ]

    def highlighted_actions(self):
        return [self.actions[pk] for pk in self.cleaned_data.get("highlighted", [])]


def _installation_choices(fields):
    """What the strategists' filters offer: the installation's own cycles, reporting
    organisations and focus areas (by code), never another municipality's in the same
    database. The level names of the newest edition with focus areas (Programme.levels),
    which the filter's label and the page name them by."""
    fields["cycle"].queryset = installation_cycles()
    fields["organisation"].queryset = Organisation.objects.of_installation().filter(
        kind__in=Organisation.REPORTING_KINDS
    )
    # By code, across editions: one choice a code, named as its newest edition names it;
    # the rows say their edition's level names too (Programme.levels), read in the same go.
    names = ("direction_name", "directions_name", "focus_area_name", "focus_areas_name")
    titles = {}
    newest = (None, {})  # the newest edition's start and level names
    for code, title, valid_from, *levels in (
        FocusArea.objects.filter(programme__in=Programme.objects.of_installation())
        .order_by("sort_key", "-programme__valid_from")
        .values_list("code", "title", "programme__valid_from", *(f"programme__{n}" for n in names))
    ):
        titles.setdefault(code, title)
        if newest[0] is None or valid_from > newest[0]:
            newest = (valid_from, dict(zip(names, levels, strict=True)))
    choices = [(code, f"{code} {title}") for code, title in titles.items()]
    fields["focus_area"].choices = [("", _("All")), *choices]
    levels = Programme(**newest[1]).levels
    fields["focus_area"].label = capfirst(levels.focus_area)
    return levels


class ReviewQueueFilter(LengthCounted, forms.Form):
    """Narrowing the review queue: every field may be left empty."""

    cycle = forms.ModelChoiceField(
        label=_("Cycle"),
        queryset=Cycle.objects.none(),  # the installation's, set per form
        required=False,
        empty_label=_("All"),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),  # the installation's, set per form
        required=False,
        empty_label=_("All"),
    )
    focus_area = forms.ChoiceField(required=False)  # labelled as the newest edition says
    state = forms.ChoiceField(label=_("State"), required=False)
    q = forms.CharField(label=_("Text contains"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.levels = _installation_choices(self.fields)
        self.fields["state"].choices = [
            ("", _("Waiting for review")),
            *((s, capfirst(Contribution.State(s).label)) for s in Contribution.SHARED_STATES),
        ]


class MatrixFilter(forms.Form):
    """Narrowing a cycle's submission overview: every field may be left empty. Its names
    are the page's query parameters (kind, state, overdue), so links to it keep working."""

    kind = forms.ChoiceField(label=_("Kind"), required=False)
    state = forms.ChoiceField(
        label=_("Has a contribution that is"),
        choices=[("", _("Any state")), *((key, label) for key, (label, _symbol) in STATES.items())],
        required=False,
    )
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            ("", _("All")),
            *(
                (kind, label)
                for kind, label in Organisation.Kind.choices
                if kind in Organisation.REPORTING_KINDS
            ),
        ]


class InitiativeFilter(forms.Form):
    """Narrowing the action register: every field may be left empty."""

    focus_area = forms.ChoiceField(required=False)  # labelled as the newest edition says
    sdg = forms.TypedChoiceField(label=_("Global goal"), coerce=int, required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),  # the installation's, set per form
        required=False,
        empty_label=_("All"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All")), *((s, capfirst(label)) for s, label in Action.Status.choices)],
        required=False,
    )
    cycle = forms.ModelChoiceField(
        label=_("Last reported in"),
        queryset=Cycle.objects.none(),  # the installation's, set per form
        required=False,
        empty_label=_("All"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.levels = _installation_choices(self.fields)
        self.fields["sdg"].choices = [
            ("", _("All")),
            *((g.number, str(g)) for g in Sdg.objects.all()),
        ]


class PublishForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "I have read what this version holds and lacks. Publish it: everybody can read it, "
            "without logging in."
        ),
        error_messages={"required": _("Tick the box to confirm the publication.")},
    )
    accept_gaps = forms.BooleanField(
        label=_(
            "Publish it with the gaps of its own listed above: they are kept with the publication."
        ),
        error_messages={"required": _("Tick the box to accept what this version lacks.")},
    )

    # The fingerprint of the gaps shown (report.data.gaps_fingerprint): what is accepted
    # must be what was seen.
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, gaps=None, seen="", pending=False, **kwargs):
        """``gaps``: what publishing means accepting (compile.gaps_to_accept); ``pending``:
        whether the cycle's are among them (contributions not reviewed or submitted)."""
        super().__init__(*args, **kwargs)
        self.initial["seen"] = seen
        self.gaps_shown = bool(gaps)
        if not gaps:
            del self.fields["accept_gaps"]
        elif pending:
            # Not "publish … the contributions": they are not published, their lack is.
            self.fields["accept_gaps"].label = _(
                "I accept what it lacks, listed above, and that contributions are not yet "
                "reviewed or submitted: this is kept with the publication."
            )

    def clean(self):
        """Gaps are accepted as the page showed them: a request without what it showed (an
        old page, a hand-made request) publishes nothing."""
        cleaned = super().clean()
        if self.gaps_shown and not cleaned.get("seen") and not self.errors:
            raise forms.ValidationError(
                _(
                    "The page you sent did not say what this version lacks. Nothing was "
                    "published: look at the list on this page and publish again."
                ),
                code="unseen",
            )
        return cleaned


class UnpublishForm(LengthCounted, forms.Form):
    reason = TypedText(
        label=_("Why the publication is withdrawn"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        error_messages={"required": _("Say why the publication is withdrawn.")},
    )


class ReportTextForm(RevisionChecked, LengthCounted, forms.Form):
    text = TypedText(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 14}),
        max_length=MAX_TEXT,
        required=False,
        help_text=TEXT_HELP,
    )
    ready = forms.BooleanField(
        label=_("The text is ready for the report"),
        required=False,
        help_text=_("The preview lists the texts that are not ready yet."),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ReportSettingsForm(forms.ModelForm):
    class Meta:
        model = Cycle
        fields = ["report_says_when_empty"]
