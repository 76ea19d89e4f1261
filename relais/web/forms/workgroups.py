"""Forms of the working-group pages. Text fields run the model validators (plain text, no HTML); choices are
limited to the people and organisations of the group's network, and the services check the same rules again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from relais.accounts.models import User
from relais.documents.formats import ALLOWED_TYPES, max_bytes
from relais.networks.models import Network
from relais.reference.models import Theme
from relais.workgroups import queries
from relais.workgroups.enums import WorkGroupStatus
from relais.workgroups.models import Meeting, WorkGroup, WorkGroupDeliverable

from .fields import AccessibleFormMixin, CpvMultipleField
from .uploads import CheckedFile, accept_attribute, check_attachment, type_names

LINK_OR_VENUE = gettext_lazy("Indiquez le lien de la réunion en ligne ou son lieu (l'un des deux).")


class PersonChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name} ({obj.email})" if obj.full_name else obj.email


class WorkGroupForm(AccessibleFormMixin, forms.ModelForm[WorkGroup]):
    theme = forms.ModelChoiceField(
        label=gettext_lazy("Thème"),
        queryset=Theme.objects.all(),
        empty_label=gettext_lazy("Choisissez un thème"),
        error_messages={
            "required": gettext_lazy("Choisissez le thème du groupe."),
            "invalid_choice": gettext_lazy("Choisissez un thème."),
        },
    )
    cpv_codes = CpvMultipleField(
        label=gettext_lazy("Codes CPV (facultatif)"),
        required=False,
        help_text=gettext_lazy("Séparez les codes par des virgules, par exemple 90919200-4, 39830000-9."),
    )
    co_pilot = forms.ModelChoiceField(
        label=gettext_lazy("Organisation co-pilote"),
        queryset=queries.eligible_co_pilots(0),
        empty_label=gettext_lazy("Choisissez une organisation adhérente"),
        help_text=gettext_lazy("Une organisation adhérente du réseau (adhésion active)."),
        error_messages={
            "required": gettext_lazy("Choisissez l'organisation co-pilote."),
            "invalid_choice": gettext_lazy("L'organisation co-pilote doit être adhérente du réseau (adhésion active)."),
        },
    )
    animator = PersonChoiceField(
        label=gettext_lazy("Animateur du groupe"),
        queryset=queries.eligible_animators(0),
        empty_label=gettext_lazy("Choisissez un animateur du réseau"),
        error_messages={
            "required": gettext_lazy("Choisissez l'animateur du groupe."),
            "invalid_choice": gettext_lazy("L'animateur du groupe doit avoir le rôle d'animateur dans le réseau."),
        },
    )

    class Meta:
        model = WorkGroup
        fields = ["title", "theme", "description", "co_pilot", "animator"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}
        error_messages = {
            "title": {"required": gettext_lazy("Donnez un titre au groupe.")},
            "description": {"required": gettext_lazy("Décrivez les objectifs du groupe.")},
        }

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.network = network
        self.instance.network = network
        self.fields["co_pilot"].queryset = queries.eligible_co_pilots(network)  # type: ignore[attr-defined]
        self.fields["animator"].queryset = queries.eligible_animators(network)  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields["cpv_codes"].initial = list(self.instance.cpvs.all())
        self._style_widgets()

    def clean_title(self) -> str:
        title: str = self.cleaned_data["title"].strip()
        duplicates = WorkGroup.objects.filter(network=self.network, title__iexact=title).exclude(pk=self.instance.pk)
        if duplicates.exists():
            raise forms.ValidationError(_("Un groupe de travail du réseau porte déjà ce titre."))
        return title


class GroupFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Statut"),
        required=False,
        choices=[("", gettext_lazy("Tous les statuts")), *WorkGroupStatus.choices],
    )
    theme = forms.ChoiceField(label=gettext_lazy("Thème"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", "Tous les thèmes"), *Theme.objects.values_list("slug", "label")]  # type: ignore[attr-defined]
        for field in self.fields.values():
            field.widget.attrs["class"] = "fr-select"


class MeetingForm(AccessibleFormMixin, forms.ModelForm[Meeting]):
    starts_at = forms.DateTimeField(
        label=gettext_lazy("Date et heure"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local", "class": "fr-input"}),
        help_text=gettext_lazy("Par exemple 14/03/2027 09:30."),
        error_messages={
            "required": gettext_lazy("Indiquez la date et l'heure de la réunion."),
            "invalid": gettext_lazy("Saisissez une date et une heure valides, par exemple 14/03/2027 09:30."),
        },
    )

    class Meta:
        model = Meeting
        fields = ["starts_at", "online_url", "venue", "agenda"]
        widgets = {"agenda": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "online_url": gettext_lazy("Une adresse commençant par https://"),
            "venue": gettext_lazy("Adresse ou salle."),
        }
        error_messages = {
            "online_url": {"invalid": gettext_lazy("Saisissez une adresse web valide, commençant par https://.")}
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style_widgets()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        url_failed = "online_url" in self.errors
        if not url_failed and not cleaned.get("online_url") and not (cleaned.get("venue") or "").strip():
            self.add_error("online_url", LINK_OR_VENUE)
            self.add_error("venue", LINK_OR_VENUE)
        return cleaned


class MinutesForm(AccessibleFormMixin, forms.ModelForm[Meeting]):
    class Meta:
        model = Meeting
        fields = ["agenda", "minutes"]
        widgets = {"agenda": forms.Textarea(attrs={"rows": 5}), "minutes": forms.Textarea(attrs={"rows": 12})}
        help_texts = {"minutes": gettext_lazy("Texte simple : décisions, points d'action, prochaines étapes.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style_widgets()


class ParticipantAddForm(AccessibleFormMixin, forms.Form):
    user = PersonChoiceField(
        label=gettext_lazy("Personne à ajouter"),
        queryset=User.objects.none(),
        empty_label=gettext_lazy("Choisissez un adhérent ou un facilitateur du réseau"),
        help_text=gettext_lazy("Adhérents et facilitateurs du réseau qui ne participent pas encore au groupe."),
        error_messages={
            "required": gettext_lazy("Choisissez la personne à ajouter."),
            "invalid_choice": gettext_lazy(
                "Cette personne ne peut pas être ajoutée : elle n'est pas adhérente ou facilitatrice "
                "du réseau, ou participe déjà au groupe."
            ),
        },
    )

    def __init__(self, *args: Any, group: WorkGroup, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        already = group.participations.values_list("user_id", flat=True)
        self.fields["user"].queryset = queries.eligible_participants(group.network_id).exclude(pk__in=already)  # type: ignore[attr-defined]
        self._style_widgets()


def _file_help() -> str:
    return (
        f"Formats acceptés : {type_names(ALLOWED_TYPES)}. Taille maximale : {filesizeformat(max_bytes())}. "
        "Le fichier est partagé dans la bibliothèque de documents du réseau, avec la même diffusion."
    )


class DeliverableForm(AccessibleFormMixin, forms.ModelForm[WorkGroupDeliverable]):
    """What a deliverable says and to whom it is published: the form that corrects a published deliverable."""

    published_on = forms.DateField(
        label=gettext_lazy("Date de publication"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        error_messages={
            "required": gettext_lazy("Indiquez la date de publication."),
            "invalid": gettext_lazy("Saisissez une date valide, par exemple 14/03/2027."),
        },
    )

    class Meta:
        model = WorkGroupDeliverable
        fields = ["kind", "title", "summary", "recommendations", "publication", "published_on"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "recommendations": forms.Textarea(attrs={"rows": 10}),
        }
        help_texts = {
            "publication": gettext_lazy(
                "Un livrable public est lisible par tous, y compris hors du réseau. Son document dans "
                "la bibliothèque suit la même diffusion."
            ),
            "recommendations": gettext_lazy("Une préconisation par ligne."),
        }
        labels = {"kind": gettext_lazy("Nature du livrable"), "publication": gettext_lazy("Diffusion")}
        error_messages = {
            "title": {"required": gettext_lazy("Donnez un titre au livrable.")},
            "summary": {"required": gettext_lazy("Résumez le livrable en quelques lignes.")},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style_widgets()


class DeliverablePublishForm(DeliverableForm):
    """Publishing a deliverable: the same fields and, optionally, its file for the document library."""

    file = forms.FileField(
        label=gettext_lazy("Fichier du livrable (facultatif)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": accept_attribute(ALLOWED_TYPES)}),
        error_messages={
            "empty": gettext_lazy("Le fichier est vide."),
            "invalid": gettext_lazy("Le fichier n'a pas été reçu : choisissez-le à nouveau."),
        },
    )
    checked: CheckedFile | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _file_help()
        self._style_widgets()  # again, to tie the new hint to the input

    def clean_file(self) -> UploadedFile | None:
        upload: UploadedFile | None = self.cleaned_data.get("file")
        if upload:
            self.checked = check_attachment(upload, allowed=ALLOWED_TYPES, max_bytes=max_bytes())
        return upload
