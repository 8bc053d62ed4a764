from django import forms

from .models import Tool


class ToolFilterForm(forms.Form):
    """Filters and search for the tool library, read from the query string so a filtered view can be shared.

    The stage and recommendation choices come from the stages passed in, which the page fetches anyway,
    so validating the form costs no extra queries. A value that is not valid is left out of
    ``cleaned_data``; the page shows its error and applies the other filters.
    """

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        help_text="Words in a tool's name, creators or description.",
        widget=forms.TextInput(attrs={"class": "form-control", "type": "search"}),
        error_messages={
            "max_length": "The search is %(show_value)d characters long, over the limit of %(limit_value)d, "
            "so the search was not applied.",
            "null_characters_not_allowed": "The search contains a null character, so the search was not applied.",
        },
    )
    stage = forms.ChoiceField(
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={
            "invalid_choice": "“%(value)s” is not a stage of the toolkit, so the stage filter was not applied."
        },
    )
    recommendation = forms.ChoiceField(
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={
            "invalid_choice": "“%(value)s” is not a recommendation of the toolkit, "
            "so the recommendation filter was not applied."
        },
    )
    type = forms.ChoiceField(
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
        choices=[("", "Any type"), *Tool.Type.choices],
        error_messages={"invalid_choice": "“%(value)s” is not a tool type, so the type filter was not applied."},
    )
    audience = forms.ChoiceField(
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
        choices=[("", "Any audience"), *Tool.Audience.choices],
        help_text="Tools for districts and preparation programs appear under either.",
        error_messages={"invalid_choice": "“%(value)s” is not an audience, so the audience filter was not applied."},
    )

    def __init__(self, *args, stages, **kwargs):
        super().__init__(*args, **kwargs)
        self.stages_by_slug = {stage.slug: stage for stage in stages}
        self.recommendations_by_slug = {
            recommendation.slug: recommendation for stage in stages for recommendation in stage.recommendations.all()
        }
        self.fields["stage"].choices = [("", "Any stage"), *((stage.slug, stage.name) for stage in stages)]
        self.fields["recommendation"].choices = [
            ("", "Any recommendation"),
            *(
                (stage.name, [(rec.slug, f"{rec.number}. {rec.short_title}") for rec in stage.recommendations.all()])
                for stage in stages
            ),
        ]

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())

    def clean_stage(self):
        return self.stages_by_slug.get(self.cleaned_data["stage"])

    def clean_recommendation(self):
        return self.recommendations_by_slug.get(self.cleaned_data["recommendation"])

    def active_filters(self):
        """Return the valid, non-empty filters as keyword arguments for ``selectors.filter_tools``."""
        data = getattr(self, "cleaned_data", {})
        filters = {
            "stage": data.get("stage"),
            "recommendation": data.get("recommendation"),
            "tool_type": data.get("type", ""),
            "audience": data.get("audience", ""),
            "search": data.get("q", ""),
        }
        return {name: value for name, value in filters.items() if value}
