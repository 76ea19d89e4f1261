"""Forms of sourcing needs: posting a need, answering it, refusing it. French messages per field; uploads checked by
their content (check_attachment)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django_stubs_ext import StrOrPromise

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


def _date_field(label: StrOrPromise, *, required: bool, help_text: StrOrPromise = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _lazy("Indiquez la date."),
            "invalid": _lazy("Saisissez une date valide (jj/mm/aaaa)."),
        },
    )


def _coordinate(label: StrOrPromise, low: int, high: int) -> forms.FloatField:
    return forms.FloatField(
        label=label,
        required=False,
        min_value=low,
        max_value=high,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={
            "invalid": _lazy("Saisissez un nombre décimal avec un point, par exemple 48.1113."),
            "min_value": format_lazy(_lazy("La valeur doit être comprise entre {low} et {high}."), low=low, high=high),
            "max_value": format_lazy(_lazy("La valeur doit être comprise entre {low} et {high}."), low=low, high=high),
        },
    )


class NeedForm(AccessibleFormMixin, forms.Form):
    network = forms.ModelChoiceField(
        label=_lazy("Réseau"),
        queryset=Network.objects.none(),
        empty_label=None,
        help_text=_lazy("Les animateurs de ce réseau valident le besoin avant son envoi aux fournisseurs."),
        error_messages={"invalid_choice": _lazy("Vous ne pouvez pas publier de besoin dans ce réseau.")},
    )
    kind = forms.ChoiceField(
        label=_lazy("Nature du besoin"),
        choices=NeedKind.choices,
        error_messages={
            "required": _lazy("Choisissez la nature du besoin."),
            "invalid_choice": _lazy("Choisissez dans la liste."),
        },
    )
    event = forms.ModelChoiceField(
        label=_lazy("Événement de la rencontre (facultatif)"),
        queryset=Event.objects.none(),
        required=False,
        empty_label=_lazy("Aucun événement"),
        help_text=_lazy("Pour une rencontre acheteurs-fournisseurs déjà annoncée dans l'agenda du réseau."),
        error_messages={"invalid_choice": _lazy("Choisissez un événement de la liste.")},
    )
    title = forms.CharField(
        label=_lazy("Titre"),
        max_length=200,
        validators=[validate_no_markup],
        error_messages={
            "required": _lazy("Donnez un titre au besoin."),
            "max_length": _lazy("Le titre est trop long."),
        },
    )
    description = forms.CharField(
        label=_lazy("Description"),
        max_length=5000,
        validators=[validate_no_markup],
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_lazy(
            "Objet, volumes, calendrier, contraintes : ce que les fournisseurs doivent savoir pour répondre."
        ),
        error_messages={
            "required": _lazy("Décrivez le besoin."),
            "max_length": _lazy("La description est trop longue."),
        },
    )
    cpvs = CpvMultipleField(
        label=_lazy("Codes CPV"),
        required=False,
        help_text=_lazy("Un ou plusieurs codes séparés par des virgules, par exemple 77310000-6."),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_lazy("Thèmes"),
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    place = forms.ModelChoiceField(
        label=_lazy("Département d'exécution"),
        queryset=Departement.objects.none(),
        error_messages={
            "required": _lazy("Choisissez le département."),
            "invalid_choice": _lazy("Choisissez dans la liste."),
        },
    )
    place_city = forms.CharField(label=_lazy("Commune (facultatif)"), max_length=120, required=False)
    latitude = _coordinate(_lazy("Latitude (facultatif)"), -90, 90)
    longitude = _coordinate(_lazy("Longitude (facultatif)"), -180, 180)
    estimated_amount = amount_field(_lazy("Montant estimé (€ HT, facultatif)"))
    answer_deadline = _date_field(_lazy("Réponses attendues avant le"), required=True)
    tender_date = _date_field(_lazy("Publication prévue de la consultation (facultatif)"), required=False)
    structure_types = forms.MultipleChoiceField(
        label=_lazy("Types de structure recherchés"),
        choices=StructureType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_lazy("Aucune case cochée : toutes les structures."),
    )
    service_kinds = forms.MultipleChoiceField(
        label=_lazy("Types de prestation"),
        choices=ServiceKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_lazy("Aucune case cochée : tous les types."),
    )
    interested_target = forms.IntegerField(
        label=_lazy("Nombre de fournisseurs intéressés visé"),
        min_value=1,
        max_value=50,
        initial=5,
        help_text=_lazy("Les fournisseurs sont sollicités par vagues jusqu'à ce nombre de réponses « intéressé »."),
        error_messages={
            "required": _lazy("Indiquez le nombre visé."),
            "invalid": _lazy("Saisissez un nombre entier."),
            "min_value": _lazy("Visez au moins 1 fournisseur."),
            "max_value": _lazy("Visez au plus 50 fournisseurs."),
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
        label=_lazy("Votre réponse"),
        choices=Answer.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _lazy("Choisissez votre réponse."),
            "invalid_choice": _lazy("Choisissez dans la liste."),
        },
    )
    reason = forms.CharField(
        label=_lazy("Précisions"),
        required=False,
        max_length=500,
        validators=[validate_no_markup],
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_lazy("Obligatoire si le besoin ne vous intéresse pas (activité, zone, calendrier, capacité…)."),
        error_messages={"max_length": _lazy("Le texte est trop long (500 caractères au plus).")},
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
        label=_lazy("Motif du refus"),
        max_length=500,
        validators=[validate_no_markup],
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_lazy("L'auteur du besoin lit ce motif."),
        error_messages={
            "required": _lazy("Indiquez le motif du refus."),
            "max_length": _lazy("Le motif est trop long."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style_widgets()
