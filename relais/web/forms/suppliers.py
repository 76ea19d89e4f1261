"""Forms of supplier self-service (claim, profile and its parts) and of the bulk import of supplier lists.

The forms check what they can show next to a field (formats, required values); the services check the rules again
and their `SupplierError` message is shown at the top of the form.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django_stubs_ext import StrOrPromise

from relais.core.validators import validate_no_markup
from relais.networks.models import Network
from relais.organisations.enums import StructureType
from relais.reference.models import Departement, Label, Region, Theme
from relais.suppliers.enums import Coverage, ServiceKind, TurnoverBand
from relais.suppliers.imports import FIELDS, REQUIRED_FIELDS
from relais.suppliers.uploads import ACCEPT_IMAGES

from .fields import AccessibleFormMixin, CpvMultipleField, lowercase_lazy

_CODES = re.compile(r"[\s,;]+")


def _text(
    label: StrOrPromise, *, required: bool = True, max_length: int = 255, rows: int = 0, **kwargs: Any
) -> forms.Field:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=widget,
        validators=[validate_no_markup],
        error_messages={
            "required": format_lazy(_lazy("Renseignez : {label}."), label=lowercase_lazy(label)),
            "max_length": _lazy("Ce texte est trop long."),
        },
        **kwargs,
    )


def _date(label: StrOrPromise) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        help_text=_lazy("Au format JJ/MM/AAAA."),
        widget=forms.DateInput(format="%d/%m/%Y"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={"invalid": _lazy("Saisissez une date au format JJ/MM/AAAA, par exemple 31/12/2027.")},
    )


class StyledForm(AccessibleFormMixin, forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style_widgets()


class ClaimForm(StyledForm):
    siret = forms.CharField(
        label=_lazy("SIRET de la structure"),
        max_length=20,
        help_text=_lazy("14 chiffres, espaces acceptés (par exemple 123 456 789 00012)."),
        error_messages={"required": _lazy("Indiquez le SIRET de votre structure.")},
    )
    name = _text(
        _lazy("Raison sociale"),
        required=False,
        help_text=_lazy("Nécessaire seulement si la structure n'est pas encore dans l'annuaire."),
    )
    network = forms.ModelChoiceField(
        label=_lazy("Réseau qui vérifie votre demande"),
        queryset=Network.objects.order_by("name"),
        empty_label=None,
        help_text=_lazy("Un animateur de ce réseau vérifie que vous agissez pour la structure."),
        error_messages={"required": _lazy("Choisissez un réseau."), "invalid_choice": _lazy("Réseau inconnu.")},
    )
    message = _text(
        _lazy("Message à l'animateur"),
        required=False,
        max_length=2000,
        rows=4,
        help_text=_lazy("Votre fonction dans la structure, un moyen de vous joindre : de quoi vérifier la demande."),
    )


class DecisionForm(StyledForm):
    reason = _text(_lazy("Motif"), required=False, max_length=500, rows=3)

    def __init__(self, *args: Any, rejecting: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        field.required = rejecting
        field.label = "Motif du refus (envoyé à la personne)" if rejecting else "Commentaire (facultatif)"
        field.error_messages["required"] = "Indiquez le motif du refus."


class ProfileForm(StyledForm):
    name = _text(_lazy("Raison sociale"))
    description = _text(_lazy("Présentation"), required=False, max_length=5000, rows=6)
    website = forms.URLField(
        label=_lazy("Site web"),
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _lazy("Saisissez une adresse web, par exemple https://www.exemple.fr.")},
    )
    address = _text(_lazy("Adresse"), required=False)
    postcode = forms.RegexField(
        label=_lazy("Code postal"),
        regex=r"^\d{5}$",
        required=False,
        error_messages={"invalid": _lazy("Un code postal compte 5 chiffres.")},
    )
    city = _text(_lazy("Commune"), required=False, max_length=120)
    departement = forms.ModelChoiceField(
        label=_lazy("Département"),
        queryset=Departement.objects.order_by("code"),
        required=False,
        empty_label=_lazy("—"),
    )
    latitude = forms.FloatField(
        label=_lazy("Latitude"),
        required=False,
        help_text=_lazy("En degrés décimaux, par exemple 48.1113 (Rennes). Nécessaire pour une zone en rayon."),
        error_messages={"invalid": _lazy("Saisissez un nombre, par exemple 48.1113.")},
    )
    longitude = forms.FloatField(
        label=_lazy("Longitude"),
        required=False,
        help_text=_lazy("En degrés décimaux, par exemple -1.68 (Rennes)."),
        error_messages={"invalid": _lazy("Saisissez un nombre, par exemple -1.68.")},
    )
    staff_insertion = forms.IntegerField(label=_lazy("Salariés en insertion"), required=False, min_value=0)
    staff_permanent = forms.IntegerField(label=_lazy("Salariés permanents"), required=False, min_value=0)
    turnover_band = forms.ChoiceField(
        label=_lazy("Chiffre d'affaires"), required=False, choices=[("", _lazy("—")), *TurnoverBand.choices]
    )
    public_listing = forms.BooleanField(
        label=_lazy("J'accepte que la fiche de la structure soit publique (visible sans compte)"),
        required=False,
        help_text=_lazy(
            "Sans cet accord, seuls les adhérents des réseaux voient la fiche. Retirer l'accord la dépublie "
            "immédiatement. Les contacts ne sont jamais publics."
        ),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (cleaned.get("latitude") is None) != (cleaned.get("longitude") is None) and not self.errors:
            raise ValidationError(_("Indiquez la latitude et la longitude, ou aucune des deux."))
        return cleaned


class ImageForm(StyledForm):
    image = forms.FileField(
        label=_lazy("Image"),
        help_text=_lazy("JPEG, PNG ou WebP, 5 Mo au plus."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_IMAGES}),
        error_messages={"required": _lazy("Choisissez une image.")},
    )
    caption = _text(_lazy("Légende"), required=False, max_length=200)

    def __init__(self, *args: Any, with_caption: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_caption:
            del self.fields["caption"]


class StructureForm(StyledForm):
    structure_type = forms.ChoiceField(label=_lazy("Type de structure"), choices=StructureType.choices)
    evidence = _text(
        _lazy("Justificatif"),
        required=False,
        help_text=_lazy("Par exemple : conventionnement DREETS n° …, agrément ESUS du …, décision d'autorisation ARS."),
    )
    valid_until = _date(_lazy("Valable jusqu'au"))


class ActivityForm(StyledForm):
    title = _text(_lazy("Intitulé de l'activité"), max_length=200)
    description = _text(_lazy("Description"), required=False, max_length=3000, rows=4)
    service_kind = forms.ChoiceField(label=_lazy("Type de prestation"), choices=ServiceKind.choices)
    cpvs = CpvMultipleField(
        label=_lazy("Codes CPV"),
        required=False,
        help_text=_lazy(
            "Un ou plusieurs codes de la nomenclature CPV 2008, avec ou sans clé (77310000-6 ou 77310000), "
            "séparés par des virgules."
        ),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_lazy("Thèmes"),
        queryset=Theme.objects.order_by("position"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    coverage = forms.ChoiceField(label=_lazy("Zone d'intervention"), choices=Coverage.choices)
    regions = forms.ModelMultipleChoiceField(
        label=_lazy("Régions (zone « des régions »)"),
        queryset=Region.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    departements = forms.CharField(
        label=_lazy("Départements (zone « des départements »)"),
        required=False,
        help_text=_lazy("Codes séparés par des virgules, par exemple 35, 56, 2A."),
    )
    radius_km = forms.IntegerField(
        label=_lazy("Rayon en km (zone « un rayon »)"),
        required=False,
        min_value=1,
        max_value=1000,
        error_messages={
            "min_value": _lazy("Le rayon est d'au moins 1 km."),
            "max_value": _lazy("Le rayon est de 1 000 km au plus."),
            "invalid": _lazy("Saisissez un nombre entier de kilomètres."),
        },
    )

    def clean_departements(self) -> list[Departement]:
        codes = [c.upper() for c in _CODES.split(self.cleaned_data.get("departements") or "") if c]
        codes = [c.zfill(2) if c.isdigit() and len(c) == 1 else c for c in codes]
        found = {d.code: d for d in Departement.objects.filter(code__in=codes)}
        unknown = [c for c in codes if c not in found]
        if unknown:
            raise ValidationError(_("Département inconnu : %(codes)s.") % {"codes": ", ".join(unknown)})
        return [found[c] for c in dict.fromkeys(codes)]


class LabelForm(StyledForm):
    label = forms.ModelChoiceField(
        label=_lazy("Label"),
        queryset=Label.objects.order_by("name"),
        empty_label=None,
        help_text=_lazy(
            "Les labels du registre de Relais ; un label équivalent est toujours accepté par les acheteurs."
        ),
    )
    evidence = _text(
        _lazy("Justificatif"), required=False, help_text=_lazy("Numéro de certificat, lien vers l'organisme…")
    )
    valid_until = _date(_lazy("Valable jusqu'au"))


class ContactForm(StyledForm):
    full_name = _text(_lazy("Nom"), max_length=150)
    position = _text(_lazy("Fonction"), required=False, max_length=150)
    email = forms.EmailField(
        label=_lazy("E-mail professionnel"),
        required=False,
        error_messages={"invalid": _lazy("Saisissez une adresse e-mail valide, par exemple nom@structure.fr.")},
    )
    phone = forms.CharField(label=_lazy("Téléphone professionnel"), required=False, max_length=30)


class ImportUploadForm(StyledForm):
    network = forms.ModelChoiceField(
        label=_lazy("Réseau"),
        queryset=Network.objects.none(),
        empty_label=None,
        help_text=_lazy("L'import est tracé au nom de ce réseau ; ses animateurs en voient le rapport."),
    )
    upload = forms.FileField(
        label=_lazy("Liste de structures (CSV ou XLSX)"),
        help_text=_lazy(
            "Une ligne par structure, la première ligne donnant le nom des colonnes (SIRET, raison sociale, "
            "type de structure, département…). CSV en UTF-8 ou Windows-1252, séparateur point-virgule ou virgule."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
        error_messages={"required": _lazy("Choisissez le fichier à importer.")},
    )

    def __init__(self, *args: Any, networks: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        network_field = self.fields["network"]
        if isinstance(network_field, forms.ModelChoiceField):
            network_field.queryset = networks


class ImportMappingForm(StyledForm):
    """One select per field of the directory, listing the file's columns (pre-filled with the guess)."""

    def __init__(self, *args: Any, headers: list[str], mapping: dict[str, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "— pas dans le fichier —"), *((str(i), h) for i, h in enumerate(headers))]
        for field, label in FIELDS.items():
            required = field in REQUIRED_FIELDS
            self.fields[field] = forms.TypedChoiceField(
                label=label + (" (obligatoire)" if required else ""),
                choices=choices,
                coerce=int,
                required=required,
                empty_value=None,
                initial=str(mapping[field]) if field in mapping else "",
                error_messages={"required": _("Indiquez la colonne qui contient : %(field)s.") % {"field": label}},
            )
        self._style_widgets()

    def mapping(self) -> dict[str, int]:
        return {field: index for field, index in self.cleaned_data.items() if index is not None}
