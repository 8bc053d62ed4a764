"""Forms for opening a round and for rating the indicators of one recommendation."""

import re
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError

from ..models import AssessmentRound, Rating

NOTE_MAX_LENGTH = 2000
ANSWER_FIELD_PATTERN = re.compile(r"^(rating|note)-")


def rating_field_name(indicator):
    return f"rating-{indicator.pk}"


def note_field_name(indicator):
    return f"note-{indicator.pk}"


def initial_from_answers(answers):
    """Return form initial data for stored answers, given as ``{indicator id: Answer}``."""
    initial = {}
    for indicator_id, answer in answers.items():
        initial[f"rating-{indicator_id}"] = answer.rating
        initial[f"note-{indicator_id}"] = answer.note
    return initial


class RoundForm(forms.ModelForm):
    class Meta:
        model = AssessmentRound
        fields = ["label"]


class RatingField(forms.ChoiceField):
    widget = forms.RadioSelect

    def __init__(self, **kwargs):
        super().__init__(choices=Rating.choices, required=False, **kwargs)

    def validate(self, value):
        if value not in self.empty_values and not self.valid_value(value):
            raise ValidationError(
                "The rating sent is not one of the six ratings. Choose one of them and save again.",
                code="invalid_rating",
            )


class NoteField(forms.CharField):
    def __init__(self, **kwargs):
        widget = forms.Textarea(attrs={"rows": 3, "class": "form-control"})
        super().__init__(required=False, widget=widget, **kwargs)

    def to_python(self, value):
        # Browsers send line breaks as CRLF. Storing LF counts each as one character, as people see it.
        return super().to_python(value).replace("\r\n", "\n")

    def validate(self, value):
        super().validate(value)
        if "\x00" in value:
            raise ValidationError(
                "The note contains a null character, which cannot be saved. Remove it and save again.",
                code="invalid_character",
            )
        if len(value) > NOTE_MAX_LENGTH:
            raise ValidationError(
                "The note is %(length)s characters long. Shorten it to at most %(max)s characters.",
                code="note_too_long",
                params={"length": f"{len(value):,}", "max": f"{NOTE_MAX_LENGTH:,}"},
            )


@dataclass(frozen=True)
class AnswerRow:
    indicator: object
    rating: forms.BoundField
    note: forms.BoundField


class AnswerForm(forms.Form):
    """Ratings and notes for the indicators of one recommendation.

    A field that the request does not contain leaves its stored value alone, so autosave can
    send one field at a time and a page save never erases an answer it did not show.
    """

    def __init__(self, *args, indicators, **kwargs):
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        for indicator in self.indicators:
            self.fields[rating_field_name(indicator)] = RatingField(label=indicator.text)
            self.fields[note_field_name(indicator)] = NoteField(label="Note (optional)")

    def clean(self):
        self._reject_repeated_fields()
        self._reject_unknown_fields()
        return self.cleaned_data

    def _reject_repeated_fields(self):
        if not hasattr(self.data, "getlist"):
            return
        for name in self.fields:
            if len(self.data.getlist(name)) > 1:
                self.add_error(
                    name,
                    ValidationError(
                        "This answer was sent more than once, so it was not saved. Reload the page and try again.",
                        code="duplicate_field",
                    ),
                )

    def _reject_unknown_fields(self):
        unknown = [name for name in self.data if ANSWER_FIELD_PATTERN.match(name) and name not in self.fields]
        if unknown:
            self.add_error(
                None,
                ValidationError(
                    "The form contained answers to indicators that are not on this page, so they were not saved.",
                    code="unknown_indicator",
                ),
            )

    def set_readonly(self):
        for form_field in self.fields.values():
            form_field.disabled = True

    def changed_answers(self):
        """Return ``{indicator id: {field: value}}`` for the valid fields the request contained.

        Call it after ``is_valid()``. It also works when other fields were invalid.
        """
        changes = {}
        for indicator in self.indicators:
            values = {}
            rating = self.cleaned_data.get(rating_field_name(indicator))
            if rating:
                values["rating"] = rating
            note_name = note_field_name(indicator)
            if note_name in self.data and note_name in self.cleaned_data:
                values["note"] = self.cleaned_data[note_name]
            if values:
                changes[indicator.pk] = values
        return changes

    @property
    def rows(self):
        """Return one AnswerRow per indicator, with ARIA attributes that tie errors to their controls."""
        rows = []
        for indicator in self.indicators:
            note = self[note_field_name(indicator)]
            described_by = [f"note-hint-{indicator.pk}"]
            if note.errors:
                described_by.append(f"note-error-{indicator.pk}")
                note.field.widget.attrs["aria-invalid"] = "true"
            note.field.widget.attrs["aria-describedby"] = " ".join(described_by)
            rows.append(AnswerRow(indicator=indicator, rating=self[rating_field_name(indicator)], note=note))
        return rows

    def error_links(self):
        """Return (anchor, message) pairs for the error summary, in page order."""
        links = [("#answer-form", str(error)) for error in self.non_field_errors()]
        for indicator in self.indicators:
            for error in self.errors.get(rating_field_name(indicator), []):
                links.append((f"#rating-{indicator.pk}_0", f"Rating for indicator {indicator.code}: {error}"))
            for error in self.errors.get(note_field_name(indicator), []):
                links.append((f"#note-{indicator.pk}", f"Note for indicator {indicator.code}: {error}"))
        return links

    def errors_as_json_dict(self):
        return {name: [str(message) for message in messages] for name, messages in self.errors.items()}
