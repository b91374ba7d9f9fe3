"""The author's forms: a new preview (an uploaded or pasted file) and its edited text."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import RadioField, SelectChoice, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, Regexp

from coachkit.authoring.models import MAX_SOURCE, PreviewKind
from coachkit.content.modules import ID

FILE_NAME_RULE = "Use lowercase letters, digits and dashes, like the-wedding-suit."
TOO_LONG = f"A content file is at most {MAX_SOURCE:,} characters."


class NewPreviewForm(FlaskForm):
    kind = RadioField(
        "What is it?",
        choices=[SelectChoice(kind.value, kind.label) for kind in PreviewKind],
        default=PreviewKind.MODULE.value,
        validators=[InputRequired(message="Choose a training module or a screening exercise.")],
        invalid_choice_message="Choose a training module or a screening exercise.",
    )
    file = FileField(
        "Upload a file",
        description="A .md file from content/modules/ or content/exercises/.",
        render_kw={"accept": ".md,text/markdown,text/plain"},
    )
    text = TextAreaField(
        "Or paste its text",
        validators=[Optional(), Length(max=MAX_SOURCE, message=TOO_LONG)],
    )
    file_name = StringField(
        "File name (without .md)",
        description="Taken from the upload when left empty; the file's name in content/.",
        validators=[
            Optional(),
            Length(max=120),
            Regexp(ID.pattern, message=FILE_NAME_RULE),
        ],
    )

    def source(self) -> str | None:
        """The file's text, or None with the error on the field at fault."""
        upload = self.file.data
        if upload and getattr(upload, "filename", ""):
            raw = upload.read(MAX_SOURCE * 4 + 1)
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                self.file.errors = [
                    "The file is not UTF-8 text. Save it as UTF-8 and upload it again."
                ]
                return None
        else:
            text = self.text.data or ""
        if len(text) > MAX_SOURCE:
            (self.file if upload else self.text).errors = [TOO_LONG]
            return None
        if not text.strip():
            self.text.errors = ["Upload a file or paste its text."]
            return None
        return text.replace("\r\n", "\n")

    def chosen_name(self) -> str | None:
        """The file name given, else the upload's (checked like a typed one)."""
        if self.file_name.data:
            return self.file_name.data
        upload = self.file.data
        stem = PurePosixPath(getattr(upload, "filename", "") or "").stem.lower()
        if stem and ID.match(stem) and len(stem) <= 120:
            return stem
        self.file_name.errors = ["Give the file a name. " + FILE_NAME_RULE]
        return None

    def values(self) -> Mapping[str, Any] | None:
        """What a new preview needs, or None with errors shown on the fields."""
        text, name = self.source(), self.chosen_name()
        if text is None or name is None:
            return None
        return {"kind": PreviewKind(self.kind.data), "file_name": name, "source": text}


class EditPreviewForm(FlaskForm):
    text = TextAreaField(
        "The file's text",
        validators=[
            InputRequired(message="The file cannot be empty."),
            Length(max=MAX_SOURCE, message=TOO_LONG),
        ],
    )
