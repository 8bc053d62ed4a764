"""Forms for creating a partnership, inviting people to it and changing its members."""

from django import forms

from ..models import Partnership, Side


class PartnershipForm(forms.ModelForm):
    side = forms.ChoiceField(
        label="Your side",
        choices=Side.choices,
        widget=forms.RadioSelect,
        help_text="You become the partnership's owner on this side. You can invite the other side next.",
    )

    class Meta:
        model = Partnership
        fields = ["district_name", "program_name", "state"]
        labels = {"district_name": "School district name", "program_name": "Preparation program name"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", "Choose a state")] + self.fields["state"].choices[1:]

    def clean_district_name(self):
        return " ".join(self.cleaned_data["district_name"].split())

    def clean_program_name(self):
        return " ".join(self.cleaned_data["program_name"].split())


class InvitationForm(forms.Form):
    side = forms.ChoiceField(
        label="Side the invited person joins",
        choices=Side.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )


class MembershipChangeForm(forms.Form):
    """A change to one membership: an owner's new side and owner flag, a removal, or a member's report-name choice."""

    CHANGE = "change"
    REMOVE = "remove"
    REPORT_NAME = "report-name"

    action = forms.ChoiceField(choices=[(CHANGE, "Save changes"), (REMOVE, "Remove"), (REPORT_NAME, "Save")])
    side = forms.ChoiceField(choices=Side.choices, required=False)
    is_owner = forms.BooleanField(required=False)
    show_name_in_reports = forms.BooleanField(required=False)

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("action") == self.CHANGE and not cleaned_data.get("side"):
            self.add_error("side", forms.ValidationError("Choose a side for this member.", code="required"))
        return cleaned_data
