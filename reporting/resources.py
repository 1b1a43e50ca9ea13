"""Export of a cycle's contributions (django-import-export), formula-safe."""

from import_export import fields, resources

from programme.resources import escape_formula

from .models import Contribution


class ContributionExportResource(resources.ModelResource):
    organisation = fields.Field(attribute="organisation__name", column_name="organisation")
    focus_area = fields.Field(attribute="focus_area__code", column_name="fokusomrade")
    state = fields.Field(column_name="status")
    not_relevant = fields.Field(column_name="ej_relevant")
    not_relevant_reason = fields.Field(
        attribute="not_relevant_reason", column_name="motivering_ej_relevant"
    )
    done = fields.Field(attribute="done", column_name="vad_har_gjorts")
    results = fields.Field(attribute="results", column_name="resultat_och_effekter")
    assessment = fields.Field(column_name="egen_bedomning")
    assessment_motivation = fields.Field(
        attribute="assessment_motivation", column_name="motivering"
    )
    challenges = fields.Field(attribute="challenges", column_name="utmaningar")
    next_steps = fields.Field(attribute="next_steps", column_name="nasta_steg")
    actions = fields.Field(column_name="insatser")

    class Meta:
        model = Contribution
        fields = (
            "organisation",
            "focus_area",
            "state",
            "not_relevant",
            "not_relevant_reason",
            "done",
            "results",
            "assessment",
            "assessment_motivation",
            "challenges",
            "next_steps",
            "actions",
        )
        export_order = fields

    def __init__(self, *, questions=()):
        super().__init__()
        self.questions = list(questions)

    def dehydrate_state(self, contribution):
        return str(contribution.get_state_display())

    def dehydrate_not_relevant(self, contribution):
        return "ja" if contribution.not_relevant else "nej"

    def dehydrate_assessment(self, contribution):
        return str(contribution.get_assessment_display()) if contribution.assessment else ""

    def dehydrate_actions(self, contribution):
        return "\n".join(
            f"{action.title} ({action.get_status_display()})"
            for action in contribution.actions.all()
        )

    def get_export_headers(self, selected_fields=None):
        return super().get_export_headers(selected_fields) + [q.text for q in self.questions]

    def export_resource(self, instance, selected_fields=None, **kwargs):
        row = super().export_resource(instance, selected_fields, **kwargs)
        answers = {answer.question_id: answer.value for answer in instance.answers.all()}
        row = row + [answers.get(q.pk, "") for q in self.questions]
        if instance.state not in Contribution.SHARED_STATES:
            # Not handed over yet: who and what state, but not the organisation's text.
            row = row[:3] + [""] * (len(row) - 3)
        return [escape_formula(v) for v in row]


def export_cycle(cycle, file_format: str) -> bytes | str:
    queryset = (
        cycle.contributions.filter(withdrawn=False)
        .select_related("organisation", "focus_area")
        .prefetch_related("actions", "answers")
        .order_by("organisation__name", "focus_area__code")
    )
    dataset = ContributionExportResource(questions=cycle.questions.all()).export(queryset)
    return dataset.export(file_format)
