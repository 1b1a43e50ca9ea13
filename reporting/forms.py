from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from programme.forms import LengthCounted
from programme.models import Organisation, Sdg

from .models import Action, Assessment, Contribution, Cycle, Question

TEXT_HELP = _(
    "Write as in an e-mail: a blank line starts a new paragraph, lines that start with "
    "“- ” make a list, and web addresses become links. Your text is kept exactly as you "
    "write it."
)

# Long enough for any report text; a limit keeps a runaway paste from being lost whole.
MAX_TEXT = 20_000


def limit_length(field: forms.Field, limit: int = MAX_TEXT) -> None:
    field.max_length = limit
    field.validators.append(MaxLengthValidator(limit))
    field.widget.attrs["data-maxlength"] = str(limit)


class ContributionForm(LengthCounted, forms.ModelForm):
    """The organisation's text. Saving a draft never requires anything."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Contribution
        fields = [
            "not_relevant",
            "not_relevant_reason",
            "done",
            "results",
            "assessment",
            "assessment_motivation",
            "challenges",
            "next_steps",
        ]
        widgets = {
            field: forms.Textarea(attrs={"rows": 5})
            for field in ["done", "results", "assessment_motivation", "challenges", "next_steps"]
        } | {
            "not_relevant_reason": forms.Textarea(attrs={"rows": 3}),
            "assessment": forms.RadioSelect,
        }
        help_texts = {
            "not_relevant": _(
                "Tick this if the focus area does not concern your organisation, and say why."
            ),
            "done": TEXT_HELP,
        }

    def __init__(self, *args, questions=(), answers=None, indicators=(), comments=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in (
            "not_relevant_reason",
            "done",
            "results",
            "assessment_motivation",
            "challenges",
            "next_steps",
        ):
            limit_length(self.fields[name])
        self.indicators = list(indicators)
        comments = comments or {}
        for indicator in self.indicators:
            name = f"indicator_{indicator.pk}"
            self.fields[name] = forms.CharField(
                label=_("Your comment on the indicator “%(title)s”") % {"title": indicator.title},
                widget=forms.Textarea(attrs={"rows": 3}),
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
            self.initial[f"question_{question.pk}"] = answers.get(question.pk, "")

    def answers(self) -> dict:
        return {q: self.cleaned_data.get(f"question_{q.pk}", "") for q in self.questions}

    def indicator_comments(self) -> dict:
        return {i: self.cleaned_data.get(f"indicator_{i.pk}", "") for i in self.indicators}


def question_field(question: Question) -> forms.Field:
    common = {"label": question.text, "help_text": question.help_text, "required": False}
    if question.kind == Question.Kind.LONG_TEXT:
        field = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), **common)
        limit_length(field, 5_000)
        return field
    if question.kind == Question.Kind.CHOICE:
        choices = [("", "—")] + [(choice, choice) for choice in question.choice_list()]
        return forms.ChoiceField(choices=choices, **common)
    if question.kind == Question.Kind.NUMBER:
        # Swedish decimal comma accepted; "1e999999" and the like refused with a message.
        return forms.DecimalField(max_digits=20, decimal_places=6, localize=True, **common)
    field = forms.CharField(**common)
    limit_length(field, 500)
    return field


class ActionForm(LengthCounted, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
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
    reference = forms.CharField(
        label=_("Reference (registration number or link)"), max_length=300, required=False
    )

    def __init__(self, *args, sdg_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        limit_length(self.fields["description"], 5_000)
        # Choices are read once per page and shared by every action's form.
        self.fields["sdgs"].choices = sdg_choices


def sdg_choices() -> list[tuple[int, str]]:
    return [(sdg.number, str(sdg)) for sdg in Sdg.objects.all()]


ActionFormSet = forms.formset_factory(ActionForm, extra=1, can_delete=True)


class ReturnForm(LengthCounted, forms.Form):
    comment = forms.CharField(
        label=_("What needs to change"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5_000,
        help_text=_("The organisation sees this comment and gets it by e-mail."),
    )


class CycleForm(LengthCounted, forms.ModelForm):
    class Meta:
        model = Cycle
        fields = ["programme", "title", "first_year", "last_year", "opens_on", "due_on"]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}),
            "due_on": forms.DateInput(attrs={"type": "date"}),
        }


class DueDateForm(LengthCounted, forms.Form):
    due_on = forms.DateField(
        label=_("New due date"), widget=forms.DateInput(attrs={"type": "date"})
    )


class RequestForm(LengthCounted, forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    focus_area = forms.ModelChoiceField(label=_("Focus area"), queryset=None)

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            active=True, kind__in=Organisation.REPORTING_KINDS
        )
        self.fields["focus_area"].queryset = cycle.programme.focus_areas.order_by("code")


class QuestionForm(LengthCounted, forms.ModelForm):
    class Meta:
        model = Question
        fields = ["text", "help_text", "kind", "choices", "required", "position"]
        widgets = {"choices": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Question.Kind.CHOICE and not [
            line for line in cleaned.get("choices", "").splitlines() if line.strip()
        ]:
            self.add_error("choices", _("A choice question needs at least one choice."))
        return cleaned


class SynthesisForm(LengthCounted, forms.Form):
    analysis = forms.CharField(
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

    def __init__(self, *args, actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.actions = {action.pk: action for action in actions}
        self.fields["highlighted"].choices = [
            (action.pk, f"{action.title} ({action.contribution.organisation.name})")
            for action in actions
        ]

    def highlighted_actions(self):
        return [self.actions[pk] for pk in self.cleaned_data.get("highlighted", [])]
