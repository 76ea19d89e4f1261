"""Forms of the events area: the animator's event form, the satisfaction form, the material upload.

Text fields keep the model validators (no markup); cross-field rules give their message on the field to fix, so
that the model's constraints (end after start, venue or link) are never reached with bad data.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django_stubs_ext import StrOrPromise

from relais.core.validators import validate_no_markup
from relais.events.models import Event, Feedback
from relais.web.forms.fields import AccessibleFormMixin, lowercase_lazy

from .uploads import ACCEPT_ATTRIBUTE, CheckedFile, check_attachment

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _datetime_field(label: StrOrPromise, help_text: StrOrPromise = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        help_text=help_text,
        input_formats=[DATETIME_FORMAT, "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "class": "fr-input"}, format=DATETIME_FORMAT),
        error_messages={
            "required": format_lazy(_lazy("Indiquez la date et l'heure ({label})."), label=lowercase_lazy(label)),
            "invalid": _lazy("Date invalide : saisissez une date et une heure, par exemple 2026-03-12T09:30."),
        },
    )


class EventForm(AccessibleFormMixin, forms.ModelForm[Event]):
    starts_at = _datetime_field(_lazy("Début"), _lazy("Heure de Paris."))
    ends_at = _datetime_field(_lazy("Fin"), _lazy("Pour une formation sur plusieurs jours, la fin du dernier jour."))
    capacity = forms.IntegerField(
        label=_lazy("Nombre de places"),
        min_value=1,
        max_value=10000,
        error_messages={
            "required": _lazy("Indiquez le nombre de places."),
            "min_value": _lazy("Le nombre de places doit être d'au moins 1."),
            "max_value": _lazy("Le nombre de places ne peut pas dépasser 10 000."),
            "invalid": _lazy("Saisissez un nombre entier de places, par exemple 30."),
        },
    )
    online_url = forms.URLField(
        label=_lazy("Lien de connexion"),
        required=False,
        assume_scheme="https",
        help_text=_lazy("Pour un événement en ligne ou hybride, par exemple https://visio.exemple.fr/salle."),
        error_messages={"invalid": _lazy("Saisissez une adresse web complète, commençant par https://.")},
    )

    class Meta:
        model = Event
        fields = [
            "kind",
            "title",
            "description",
            "starts_at",
            "ends_at",
            "venue",
            "online_url",
            "capacity",
            "audience",
            "status",
        ]
        labels = {
            "kind": _lazy("Type d'événement"),
            "audience": _lazy("Qui peut le voir et s'y inscrire ?"),
            "status": _lazy("Statut"),
        }
        help_texts = {
            "venue": _lazy("Adresse de la salle. Indiquez un lieu, un lien de connexion ou les deux."),
            "audience": _lazy(
                "Un événement ouvert au public apparaît dans l'agenda public du réseau ; seuls les "
                "adhérents (et les fournisseurs pour une rencontre acheteurs-fournisseurs) s'inscrivent."
            ),
            "status": _lazy("Un brouillon n'est visible que des animateurs du réseau."),
        }
        error_messages = {
            "title": {
                "required": _lazy("Donnez un titre à l'événement."),
                "max_length": _lazy("Le titre est trop long."),
            },
            "description": {"required": _lazy("Décrivez l'événement (programme, public visé, intervenants).")},
            "kind": {
                "required": _lazy("Choisissez le type d'événement."),
                "invalid_choice": _lazy("Choisissez un type d'événement dans la liste."),
            },
            "audience": {"invalid_choice": _lazy("Choisissez qui peut voir l'événement dans la liste.")},
            "status": {"invalid_choice": _lazy("Choisissez un statut dans la liste.")},
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style_widgets()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("La fin de l'événement doit être postérieure à son début."))
        no_place = not (data.get("venue") or "").strip() and not data.get("online_url")
        if no_place and "venue" not in self.errors and "online_url" not in self.errors:
            self.add_error("venue", _("Indiquez un lieu ou un lien de connexion (au moins l'un des deux)."))
        capacity = data.get("capacity")
        confirmed = self.instance.confirmed_count if self.instance.pk else 0
        if capacity is not None and capacity < confirmed:
            self.add_error(
                "capacity",
                _("%(count)s personnes ont déjà une place confirmée : le nombre de places ne peut pas être inférieur.")
                % {"count": confirmed},
            )
        return data


class FeedbackForm(AccessibleFormMixin, forms.ModelForm[Feedback]):
    rating = forms.TypedChoiceField(
        label=_lazy("Votre note"),
        coerce=int,
        choices=[(n, format_lazy(_lazy("{n} sur 5"), n=n)) for n in range(1, 6)],
        widget=forms.RadioSelect,
        error_messages={
            "required": _lazy("Choisissez une note de 1 à 5."),
            "invalid_choice": _lazy("Choisissez une note de 1 (pas satisfait) à 5 (très satisfait)."),
        },
    )

    class Meta:
        model = Feedback
        fields = ["rating", "comment"]
        labels = {"comment": _lazy("Un commentaire (facultatif)")}
        help_texts = {"comment": _lazy("Ce qui vous a été utile, ce qui pourrait être amélioré.")}
        widgets = {"comment": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style_widgets()


class MaterialForm(AccessibleFormMixin, forms.Form):
    title = forms.CharField(
        label=_lazy("Titre du support"),
        max_length=200,
        error_messages={
            "required": _lazy("Donnez un titre au support."),
            "max_length": _lazy("Le titre est trop long."),
        },
    )
    file = forms.FileField(
        label=_lazy("Fichier"),
        help_text=_lazy("PDF, ODT, DOCX ou XLSX."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
        error_messages={"required": _lazy("Choisissez le fichier à joindre."), "empty": _lazy("Le fichier est vide.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style_widgets()
        self.checked: CheckedFile | None = None

    def clean_title(self) -> str:
        title: str = self.cleaned_data["title"].strip()
        validate_no_markup(title)
        return title

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            self.checked = check_attachment(upload)
        except ValidationError:
            self.checked = None
            raise
        return upload
