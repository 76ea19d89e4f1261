"""Forms of sourcing needs: posting a need, answering it, refusing it. French messages per field; uploads checked by
their content (check_attachment)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from relais.core.validators import validate_no_markup
from relais.events.enums import EventKind, EventStatus
from relais.events.models import Event
from relais.networks.models import Network
from relais.organisations.enums import StructureType
from relais.reference.models import Departement, Theme
from relais.sourcing.enums import Answer, NeedKind
from relais.sourcing.perms import poster_organisations
from relais.sourcing.services import MAX_ATTACHMENTS, NeedInput, NewAttachment
from relais.suppliers.enums import ServiceKind

from .fields import AccessibleFormMixin, CpvMultipleField, amount_field
from .uploads import ODS, SHEET_TYPES, accept_attribute, check_attachment, type_names

NEED_FILE_TYPES = SHEET_TYPES | {ODS}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class NeedAttachmentsField(forms.FileField):
    """Up to MAX_ATTACHMENTS documents (specifications, plans), each checked by its content and size."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "Pièces jointes")
        kwargs.setdefault(
            "help_text",
            f"Jusqu'à {MAX_ATTACHMENTS} documents {type_names(NEED_FILE_TYPES)} (cahier des charges, plans…). "
            "Ils ne sont lus que par les personnes qui voient le besoin.",
        )
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept_attribute(NEED_FILE_TYPES)}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[NewAttachment]:
        uploads = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if len(uploads) > MAX_ATTACHMENTS:
            raise ValidationError(
                _("Joignez au plus %(count)s documents.") % {"count": MAX_ATTACHMENTS}, code="too_many"
            )
        checked: list[NewAttachment] = []
        errors: list[ValidationError] = []
        for upload in uploads:
            try:
                result = check_attachment(upload, allowed=NEED_FILE_TYPES)
            except ValidationError as error:
                message = _("%(file)s : %(errors)s") % {"file": upload.name, "errors": " ".join(error.messages)}
                errors.append(ValidationError(message))
            else:
                checked.append(NewAttachment(upload, result.content_type, result.size, result.original_name))
        if errors:
            raise ValidationError(errors)
        return checked


def _date_field(label: str, *, required: bool, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Indiquez la date.", "invalid": "Saisissez une date valide (jj/mm/aaaa)."},
    )


def _coordinate(label: str, low: int, high: int) -> forms.FloatField:
    return forms.FloatField(
        label=label,
        required=False,
        min_value=low,
        max_value=high,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={
            "invalid": "Saisissez un nombre décimal avec un point, par exemple 48.1113.",
            "min_value": f"La valeur doit être comprise entre {low} et {high}.",
            "max_value": f"La valeur doit être comprise entre {low} et {high}.",
        },
    )


class NeedForm(AccessibleFormMixin, forms.Form):
    network = forms.ModelChoiceField(
        label="Réseau",
        queryset=Network.objects.none(),
        empty_label=None,
        help_text="Les animateurs de ce réseau valident le besoin avant son envoi aux fournisseurs.",
        error_messages={"invalid_choice": "Vous ne pouvez pas publier de besoin dans ce réseau."},
    )
    kind = forms.ChoiceField(
        label="Nature du besoin",
        choices=NeedKind.choices,
        error_messages={"required": "Choisissez la nature du besoin.", "invalid_choice": "Choisissez dans la liste."},
    )
    event = forms.ModelChoiceField(
        label="Événement de la rencontre (facultatif)",
        queryset=Event.objects.none(),
        required=False,
        empty_label="Aucun événement",
        help_text="Pour une rencontre acheteurs-fournisseurs déjà annoncée dans l'agenda du réseau.",
        error_messages={"invalid_choice": "Choisissez un événement de la liste."},
    )
    title = forms.CharField(
        label="Titre",
        max_length=200,
        validators=[validate_no_markup],
        error_messages={"required": "Donnez un titre au besoin.", "max_length": "Le titre est trop long."},
    )
    description = forms.CharField(
        label="Description",
        max_length=5000,
        validators=[validate_no_markup],
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Objet, volumes, calendrier, contraintes : ce que les fournisseurs doivent savoir pour répondre.",
        error_messages={"required": "Décrivez le besoin.", "max_length": "La description est trop longue."},
    )
    cpvs = CpvMultipleField(
        label="Codes CPV",
        required=False,
        help_text="Un ou plusieurs codes séparés par des virgules, par exemple 77310000-6.",
    )
    themes = forms.ModelMultipleChoiceField(
        label="Thèmes",
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    place = forms.ModelChoiceField(
        label="Département d'exécution",
        queryset=Departement.objects.none(),
        error_messages={"required": "Choisissez le département.", "invalid_choice": "Choisissez dans la liste."},
    )
    place_city = forms.CharField(label="Commune (facultatif)", max_length=120, required=False)
    latitude = _coordinate("Latitude (facultatif)", -90, 90)
    longitude = _coordinate("Longitude (facultatif)", -180, 180)
    estimated_amount = amount_field("Montant estimé (€ HT, facultatif)")
    answer_deadline = _date_field("Réponses attendues avant le", required=True)
    tender_date = _date_field("Publication prévue de la consultation (facultatif)", required=False)
    structure_types = forms.MultipleChoiceField(
        label="Types de structure recherchés",
        choices=StructureType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Aucune case cochée : toutes les structures.",
    )
    service_kinds = forms.MultipleChoiceField(
        label="Types de prestation",
        choices=ServiceKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Aucune case cochée : tous les types.",
    )
    interested_target = forms.IntegerField(
        label="Nombre de fournisseurs intéressés visé",
        min_value=1,
        max_value=50,
        initial=5,
        help_text="Les fournisseurs sont sollicités par vagues jusqu'à ce nombre de réponses « intéressé ».",
        error_messages={
            "required": "Indiquez le nombre visé.",
            "invalid": "Saisissez un nombre entier.",
            "min_value": "Visez au moins 1 fournisseur.",
            "max_value": "Visez au plus 50 fournisseurs.",
        },
    )
    attachments = NeedAttachmentsField()

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = poster_organisations(user)
        network_field = self.fields["network"]
        network_field.queryset = Network.objects.filter(pk__in=self.organisations).order_by("name")  # type: ignore[attr-defined]
        self.fields["event"].queryset = (  # type: ignore[attr-defined]
            Event.objects.filter(network_id__in=self.organisations, kind=EventKind.MARKET_ENGAGEMENT)
            .exclude(status=EventStatus.CANCELLED)
            .order_by("starts_at")
        )
        self.fields["themes"].queryset = Theme.objects.order_by("position", "label")  # type: ignore[attr-defined]
        self.fields["place"].queryset = Departement.objects.order_by("code")  # type: ignore[attr-defined]
        self._style_widgets()

    def need_input(self) -> NeedInput:
        data = self.cleaned_data
        return NeedInput(
            kind=data["kind"],
            title=data["title"],
            description=data["description"],
            place=data["place"],
            answer_deadline=data["answer_deadline"],
            cpvs=data["cpvs"] or [],
            themes=list(data["themes"]),
            place_city=data["place_city"],
            latitude=data["latitude"],
            longitude=data["longitude"],
            estimated_amount=data["estimated_amount"],
            tender_date=data["tender_date"],
            event=data["event"],
            structure_types=data["structure_types"],
            service_kinds=data["service_kinds"],
            interested_target=data["interested_target"],
        )


class AnswerForm(AccessibleFormMixin, forms.Form):
    answer = forms.ChoiceField(
        label="Votre réponse",
        choices=Answer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez votre réponse.", "invalid_choice": "Choisissez dans la liste."},
    )
    reason = forms.CharField(
        label="Précisions",
        required=False,
        max_length=500,
        validators=[validate_no_markup],
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Obligatoire si le besoin ne vous intéresse pas (activité, zone, calendrier, capacité…).",
        error_messages={"max_length": "Le texte est trop long (500 caractères au plus)."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style_widgets()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("answer") == Answer.NOT_INTERESTED and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Dites en quelques mots pourquoi ce besoin ne vous intéresse pas."))
        return data


class RejectForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(
        label="Motif du refus",
        max_length=500,
        validators=[validate_no_markup],
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="L'auteur du besoin lit ce motif.",
        error_messages={"required": "Indiquez le motif du refus.", "max_length": "Le motif est trop long."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style_widgets()
