"""Form fields and the accessibility mixin shared by the case-sheet forms.

Every field gives its messages in French; a CPV code and an organisation can be typed by hand (no JavaScript) or
chosen in the autocomplete.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from relais.core.validators import normalise_identifier, validate_no_markup
from relais.organisations.models import Organisation
from relais.reference.models import Cpv

from .widgets import CpvInput, OrganisationPicker

_TEXT_INPUTS = (forms.TextInput, forms.Textarea, forms.NumberInput, forms.DateInput, forms.URLInput, forms.EmailInput)
_CPV = re.compile(r"^(\d{8})(?:-(\d))?$")
_CPV_SEPARATORS = re.compile(r"[\s,;]+")


class AccessibleFormMixin:
    """DSFR classes on widgets, hints and errors tied to their input with aria-describedby."""

    fields: dict[str, forms.Field]

    def _style_widgets(self) -> None:
        for name, form_field in self.fields.items():
            widget = form_field.widget
            if isinstance(widget, forms.Select) and not isinstance(widget, forms.CheckboxSelectMultiple):
                widget.attrs.setdefault("class", "fr-select")
            elif isinstance(widget, forms.FileInput):
                widget.attrs.setdefault("class", "fr-upload")
            elif isinstance(widget, (*_TEXT_INPUTS, OrganisationPicker)):
                widget.attrs.setdefault("class", "fr-input")
            if form_field.help_text:
                widget.attrs["aria-describedby"] = f"{self[name].auto_id}-hint"  # type: ignore[index]

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:  # type: ignore[attr-defined]
            if name not in self.fields:
                continue
            bound = self[name]  # type: ignore[index]
            widget = self.fields[name].widget
            described = [f"{bound.auto_id}-desc-error"]
            if self.fields[name].help_text:
                described.append(f"{bound.auto_id}-hint")
            widget.attrs["aria-describedby"] = " ".join(described)
            widget.attrs["aria-invalid"] = "true"


# ---------------------------------------------------------------------------------------------------------------
# Fields


class CpvField(forms.Field):
    """One CPV code typed as "55524000-9" or "55524000"; the check digit, when given, must match."""

    widget = CpvInput
    default_error_messages = {
        "invalid": _(
            "Code CPV invalide : saisissez 8 chiffres, avec ou sans la clé de contrôle (par exemple 55524000-9)."
        ),
        "unknown": _("Le code CPV « %(code)s » n'existe pas dans la nomenclature CPV 2008."),
        "check_digit": _("La clé de contrôle ne correspond pas au code : le code complet est %(code)s."),
    }

    def to_python(self, value: Any) -> Cpv | None:
        if isinstance(value, Cpv):
            return value
        text = str(value or "").strip()
        if not text:
            return None
        return parse_cpv(text, self.error_messages)

    def prepare_value(self, value: Any) -> Any:
        return CpvInput().format_value(value) if isinstance(value, Cpv | int) else value


def parse_cpv(text: str, messages: dict[str, Any]) -> Cpv:
    match = _CPV.match(text.replace(" ", ""))
    if not match:
        raise ValidationError(messages["invalid"], code="invalid")
    code8, check = match.groups()
    cpv = Cpv.objects.filter(code8=code8).first()
    if cpv is None:
        raise ValidationError(messages["unknown"], code="unknown", params={"code": text})
    if check is not None and check != cpv.check_digit:
        raise ValidationError(messages["check_digit"], code="check_digit", params={"code": cpv.code})
    return cpv


class CpvMultipleField(forms.Field):
    """Several CPV codes separated by commas, spaces or new lines."""

    default_error_messages = CpvField.default_error_messages

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", CpvInput(multiple=True))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> list[Cpv]:
        if isinstance(value, list | tuple):
            return [item for item in value if isinstance(item, Cpv)]
        codes = [token for token in _CPV_SEPARATORS.split(str(value or "")) if token]
        found: dict[int, Cpv] = {}
        errors: list[ValidationError] = []
        for token in codes:
            try:
                cpv = parse_cpv(token, self.error_messages)
            except ValidationError as error:
                errors.append(error)
            else:
                found.setdefault(cpv.pk, cpv)
        if errors:
            raise ValidationError(errors)
        return list(found.values())

    def prepare_value(self, value: Any) -> Any:
        return CpvInput().format_value(value) if isinstance(value, list | tuple) else value


class OrganisationField(forms.Field):
    """An organisation chosen in the autocomplete (its public id) or typed as a SIRET or an exact name."""

    default_error_messages = {
        "required": _("Choisissez une organisation, ou laissez toute la ligne vide."),
        "not_found": _(
            "Organisation introuvable : saisissez son numéro SIRET ou choisissez-la dans la liste proposée."
        ),
        "ambiguous": _("Plusieurs organisations portent ce nom : saisissez le numéro SIRET de la bonne."),
        "wrong_kind": _("Choisissez un acheteur public."),
    }

    def __init__(self, *, kind: str = "", **kwargs: Any) -> None:
        self.kind = kind
        kwargs.setdefault("widget", OrganisationPicker(kind=kind))
        super().__init__(**kwargs)

    def _queryset(self) -> Any:
        return Organisation.objects.all()

    def to_python(self, value: Any) -> Organisation | None:
        if isinstance(value, Organisation):
            return value
        if not isinstance(value, dict) or not (value.get("text") or value.get("id")):
            return None
        text, public_id = value.get("text", ""), value.get("id", "")
        organisation: Organisation | None = None
        if public_id:
            try:
                organisation = Organisation.objects.filter(public_id=public_id).first()
            except ValidationError:  # not a UUID: a tampered hidden field
                organisation = None
        if organisation is None and text:
            validate_no_markup(text)
            siret = re.search(r"\d[\d .]{12,}\d", text)
            if siret and len(normalise_identifier(siret.group())) == 14:
                organisation = Organisation.objects.filter(siret=normalise_identifier(siret.group())).first()
            else:
                matches = list(Organisation.objects.filter(name__iexact=text)[:2])
                if len(matches) > 1:
                    raise ValidationError(self.error_messages["ambiguous"], code="ambiguous")
                organisation = matches[0] if matches else None
        if organisation is None:
            raise ValidationError(self.error_messages["not_found"], code="not_found")
        if self.kind and organisation.kind != self.kind:
            raise ValidationError(self.error_messages["wrong_kind"], code="wrong_kind")
        return organisation

    def has_changed(self, initial: Any, data: Any) -> bool:
        empty = not isinstance(data, dict) or not (data.get("text") or data.get("id"))
        if empty:
            return initial not in (None, "")
        try:
            chosen = self.to_python(data)
        except ValidationError:
            return True
        initial_pk = initial.pk if isinstance(initial, Organisation) else initial
        return chosen is None or chosen.pk != initial_pk


def _lowercase(text: StrOrPromise) -> str:
    return str(text).lower()


# Lower-cases a lazy label only when rendered, so messages built from it follow the active language.
lowercase_lazy = lazy(_lowercase, str)


def amount_field(label: StrOrPromise) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={
            "min_value": _("Le montant ne peut pas être négatif."),
            "invalid": _("Saisissez un montant en euros, par exemple 125000 ou 125000,50."),
            "max_digits": _("Ce montant est trop grand."),
            "max_decimal_places": _("Indiquez au plus deux décimales (les centimes)."),
        },
    )
