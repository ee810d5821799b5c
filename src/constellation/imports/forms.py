"""The web import's forms: upload a file, then say which column is which field."""

from __future__ import annotations

import math
from pathlib import Path

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from constellation.imports.importer import ImportSpec, check_spec
from constellation.imports.models import ImportJob, ImportKind
from constellation.imports.readers import SUFFIXES
from constellation.imports.rows import ROW_FORMS, Lookups, split_list
from constellation.networks.models import Network

ENCODINGS = [
    ("utf-8", _("UTF-8 (most files; Excel's “CSV UTF-8”)")),
    ("windows-1252", _("Windows Western (Excel's plain “CSV” on Windows)")),
    ("latin-1", _("Latin-1 (ISO 8859-1)")),
    ("mac-roman", _("Mac Roman (older Mac files)")),
    ("utf-16", _("UTF-16 (“Unicode text”)")),
    ("windows-1256", _("Windows Arabic (Excel's plain “CSV” in Arabic)")),
    ("iso-8859-6", _("Arabic (ISO 8859-6)")),
]


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What does the file list?"), choices=ImportKind.choices, initial=ImportKind.ORGANISATIONS,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(label=_("CSV or XLSX file"))
    encoding = forms.ChoiceField(
        label=_("Encoding of a CSV file"), choices=ENCODINGS, initial="utf-8",
        help_text=_("If accented letters look wrong in the preview, upload the file again with another encoding."),
    )
    dry_run = forms.BooleanField(label=_("Only check the rows: report problems, write nothing"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "The first row names the columns. Files can be up to %(limit)s MB."
        ) % {"limit": settings.IMPORT_MAX_UPLOAD_MB}

    def clean_file(self):
        file = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_UPLOAD_MB
        if file.size > limit * 1024 * 1024:
            megabytes = math.ceil(file.size * 10 / 1024 / 1024) / 10  # rounded up: never "20.0" over a 20 MB limit
            raise forms.ValidationError(
                _("The file is %(size)s MB; files can be up to %(limit)s MB. Split it into smaller files.")
                % {"size": megabytes, "limit": limit},
                code="too_large",
            )
        if Path(file.name).suffix.lower() not in SUFFIXES:
            raise forms.ValidationError(
                _("Choose a CSV or XLSX file (the name should end in .csv or .xlsx)."), code="file_type"
            )
        return file


class MappingForm(forms.Form):
    """One select per field listing the file's columns, a key column, and values for every row."""

    FIXABLE = {"country", "networks"}  # fields that can also take one value for every row

    def __init__(self, *args, job: ImportJob, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.job, self.user = job, user
        columns = [(column, column) for column in job.columns]
        row_form = ROW_FORMS[job.kind]
        self.targets = row_form.targets()
        self.fixed_fields = row_form.fixed_value_fields(user)
        for name, label, required in self.targets:
            self.fields[f"map_{name}"] = forms.ChoiceField(
                label=label, required=required and name not in self.FIXABLE and name not in self.fixed_fields,
                choices=[("", _("(not imported)")), *columns], initial=job.mapping.get(name, ""),
                error_messages={"required": _("Choose the column that holds this field.")},
            )
        if job.kind == ImportKind.ORGANISATIONS:
            self.fields["map_country"].help_text = _("Or choose one country for every row below.")
        if row_form.accepts_key:
            self.fields["key_column"] = forms.ChoiceField(
                label=_("Key column"), required=False, initial=job.key_column,
                choices=[("", _("(none: every row adds a new record)")), *columns],
                help_text=_(
                    "A column of unique ids, such as your own record numbers. "
                    "Importing the file again then updates those records instead of adding them twice."
                ),
            )
        for name, field in self.fixed_fields.items():
            field.initial = job.fixed_values.get(name, field.initial)
            self.fields[f"fixed_{name}"] = field
        if job.kind == ImportKind.ORGANISATIONS:
            self.fields["fixed_country"] = forms.ChoiceField(
                label=_("Country for rows that have none"), required=False,
                choices=[("", _("(none)")), *countries], initial=job.fixed_values.get("country", ""),
            )
            networks = Network.objects.order_by("acronym")
            if not user.is_superuser:
                networks = networks.filter(staff__user=user)
            self.fields["fixed_networks"] = forms.MultipleChoiceField(
                label=_("Make every organisation an active member of"), required=False,
                widget=forms.CheckboxSelectMultiple,
                choices=[(n.acronym, f"{n.acronym}: {n.name}") for n in networks],
                initial=split_list(job.fixed_values.get("networks", "")),
            )

    def mapping_fields(self):
        return [self[name] for name in self.fields if name.startswith("map_")]

    def other_fields(self):
        return [self[name] for name in self.fields if not name.startswith("map_")]

    def spec(self) -> ImportSpec:
        data = self.cleaned_data
        mapping = {name[4:]: column for name, column in data.items() if name.startswith("map_") and column}
        fixed = {}
        if data.get("fixed_country"):
            fixed["country"] = data["fixed_country"]
        if data.get("fixed_networks"):
            fixed["networks"] = "|".join(data["fixed_networks"])
        for name in self.fixed_fields:
            if data.get(f"fixed_{name}"):
                fixed[name] = data[f"fixed_{name}"]
        return ImportSpec(kind=self.job.kind, mapping=mapping, fixed_values=fixed, key_column=data.get("key_column", ""))

    def clean(self):
        data = super().clean()
        spec = self.spec()
        for name, _label, required in self.targets:
            if required and name not in spec.present and f"map_{name}" not in self.errors:
                self.add_error(f"map_{name}", _("Choose the column that holds this field."))
        if not self.errors:
            for problem in check_spec(spec, self.job.columns, lookups=Lookups(actor=self.user)):
                self.add_error(None, problem)
        return data
