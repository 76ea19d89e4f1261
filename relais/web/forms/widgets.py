"""Widgets that work without JavaScript and are enhanced by `static/web/autocomplete.js` when it runs.

The autocomplete script looks for `data-autocomplete-url` and turns the text input into an ARIA 1.2 combobox.
Without the script the person types a CPV code, or an organisation's SIRET or exact name, and the server resolves it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse

from relais.organisations.models import Organisation
from relais.reference.models import Cpv


class CpvInput(forms.TextInput):
    """A text input holding one CPV code ("55524000-9"), or several separated by commas when `multiple`."""

    def __init__(self, attrs: dict[str, Any] | None = None, *, multiple: bool = False) -> None:
        base = {"autocomplete": "off", "spellcheck": "false", "data-autocomplete": "cpv"}
        if multiple:
            base["data-autocomplete-multiple"] = "true"
        super().__init__({**base, **(attrs or {})})

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-autocomplete-url"] = reverse("web:cpv_autocomplete")
        return context

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, Cpv):
            return value.code
        if isinstance(value, int):
            return Cpv.objects.filter(pk=value).values_list("code", flat=True).first()
        if isinstance(value, list | tuple):
            return ", ".join(_cpv_code(item) for item in value)
        return super().format_value(value)


def _cpv_code(item: Any) -> str:
    if isinstance(item, Cpv):
        return item.code
    if isinstance(item, int):
        return Cpv.objects.filter(pk=item).values_list("code", flat=True).first() or ""
    return str(item)


class OrganisationPicker(forms.Widget):
    """A visible text input (name or SIRET) plus a hidden input `<name>_id` holding the chosen public id.

    The script fills the hidden input when an option is chosen and empties it as soon as the text is edited, so
    the two never disagree. The value handed to the field is a dict {"text": ..., "id": ...}.
    """

    template_name = "web/sheets/form_widget_organisation.html"

    def __init__(self, attrs: dict[str, Any] | None = None, *, kind: str = "") -> None:
        self.kind = kind
        super().__init__(
            {"autocomplete": "off", "spellcheck": "false", "data-autocomplete": "organisation", **(attrs or {})}
        )

    def value_from_datadict(self, data: Any, files: Any, name: str) -> dict[str, str]:
        return {"text": str(data.get(name, "")).strip(), "id": str(data.get(f"{name}_id", "")).strip()}

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and f"{name}_id" not in data

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        url = reverse("web:organisation_autocomplete")
        if self.kind:
            url += f"?kind={self.kind}"
        context["widget"]["attrs"]["data-autocomplete-url"] = url
        text, public_id = "", ""
        organisation = None
        if isinstance(value, Organisation):
            organisation = value
        elif isinstance(value, int):
            organisation = Organisation.objects.filter(pk=value).first()
        elif isinstance(value, dict):
            text, public_id = value.get("text", ""), value.get("id", "")
            if public_id and not text:
                # Re-displaying a refused form: show the name of the organisation chosen in the list.
                try:
                    organisation = Organisation.objects.filter(public_id=public_id).first()
                except ValidationError:
                    organisation = None
        if organisation is not None:
            text, public_id = organisation_label(organisation), str(organisation.public_id)
        context["widget"]["text"] = text
        context["widget"]["public_id"] = public_id
        return context

    def format_value(self, value: Any) -> Any:
        return value


def organisation_label(organisation: Organisation) -> str:
    return f"{organisation.name} — SIRET {organisation.siret}" if organisation.siret else organisation.name
