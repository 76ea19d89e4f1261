"""Forms of the document library: share a document (metadata and first file), correct its metadata, and upload a
new version.

Files are checked by content (`uploads.check_attachment`) against the library's formats and size limit."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from relais.casesheets.enums import Licence
from relais.core.validators import validate_no_markup
from relais.documents import access
from relais.documents.enums import AccessLevel, DocumentKind
from relais.documents.formats import ALLOWED_TYPES, max_bytes
from relais.documents.models import Document
from relais.documents.perms import upload_network_ids
from relais.networks.models import Network, NetworkRole
from relais.organisations.models import Organisation
from relais.reference.models import Theme

from .fields import AccessibleFormMixin, CpvMultipleField
from .uploads import CheckedFile, accept_attribute, check_attachment, type_names


def _file_field() -> forms.FileField:
    return forms.FileField(
        label=_lazy("Fichier"),
        help_text=format_lazy(
            _lazy(
                "Formats acceptés : {types}. Taille maximale : {size}. "
                "Le format est vérifié d'après le contenu du fichier."
            ),
            types=type_names(ALLOWED_TYPES),
            size=lazy(filesizeformat, str)(max_bytes()),
        ),
        widget=forms.FileInput(attrs={"accept": accept_attribute(ALLOWED_TYPES)}),
        error_messages={
            "required": _lazy("Choisissez le fichier à déposer."),
            "empty": _lazy("Le fichier est vide."),
            "invalid": _lazy("Le fichier n'a pas été reçu : choisissez-le à nouveau."),
        },
    )


class _UploadMixin:
    checked: CheckedFile | None = None
    cleaned_data: dict[str, Any]

    def checked_file(self) -> CheckedFile:
        """What the content check found, once the form is valid."""
        if self.checked is None:
            raise ValueError("The form has not been validated.")
        return self.checked

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        self.checked = check_attachment(upload, allowed=ALLOWED_TYPES, max_bytes=max_bytes())
        return upload


class DocumentMetadataForm(AccessibleFormMixin, forms.Form):
    """What describes a document and who may read it: the fields shared by the upload form and the edit form.

    `network_ids` are the libraries the document may belong to: the author organisation and the working group are
    chosen among theirs, and must belong to the document's network (`document_network`)."""

    title = forms.CharField(
        label=_lazy("Titre"),
        max_length=200,
        validators=[validate_no_markup],
        error_messages={
            "required": _lazy("Donnez un titre au document."),
            "max_length": _lazy("Le titre ne peut pas dépasser 200 caractères."),
        },
    )
    kind = forms.ChoiceField(
        label=_lazy("Type de document"),
        choices=[("", _lazy("Choisir un type")), *DocumentKind.choices],
        error_messages={
            "required": _lazy("Choisissez le type de document."),
            "invalid_choice": _lazy("Type de document inconnu."),
        },
    )
    description = forms.CharField(
        label=_lazy("Description"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[validate_no_markup],
        help_text=_lazy("Ce que contient le document et dans quel contexte il a été produit."),
        error_messages={"max_length": _lazy("La description ne peut pas dépasser 3000 caractères.")},
    )
    themes = forms.ModelMultipleChoiceField(
        label=_lazy("Thèmes"),
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _lazy("Thème inconnu."), "invalid_pk_value": _lazy("Thème inconnu.")},
    )
    cpvs = CpvMultipleField(
        label=_lazy("Codes CPV"),
        required=False,
        help_text=_lazy("Facultatif. Un ou plusieurs codes séparés par des virgules, par exemple 90910000-9."),
    )
    author_organisation = forms.ModelChoiceField(
        label=_lazy("Organisation autrice"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_lazy("Facultatif. L'adhérent qui a produit le document."),
        error_messages={"invalid_choice": _lazy("Choisissez une organisation adhérente de vos réseaux.")},
    )
    document_date = forms.DateField(
        label=_lazy("Date du document"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_lazy("Facultatif. Au format jj/mm/aaaa."),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": _lazy("Saisissez une date valide, par exemple 15/03/2025.")},
    )
    licence = forms.ChoiceField(
        label=_lazy("Licence"),
        choices=Licence.choices,
        initial=Licence.ETALAB_2,
        error_messages={"required": _lazy("Choisissez une licence."), "invalid_choice": _lazy("Licence inconnue.")},
    )
    access_level = forms.ChoiceField(
        label=_lazy("Qui peut lire ce document ?"),
        choices=AccessLevel.choices,
        initial=AccessLevel.MEMBERS,
        error_messages={
            "required": _lazy("Choisissez qui peut lire le document."),
            "invalid_choice": _lazy("Accès inconnu."),
        },
    )
    workgroup = forms.TypedChoiceField(
        label=_lazy("Groupe de travail"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_lazy("Seulement si l'accès est réservé aux participants d'un groupe de travail."),
        error_messages={"invalid_choice": _lazy("Choisissez un groupe de travail du réseau.")},
    )

    def __init__(self, *args: Any, user: Any, network_ids: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        organisation_field: forms.ModelChoiceField[Organisation] = self.fields["author_organisation"]  # type: ignore[assignment]
        organisation_field.queryset = Organisation.objects.filter(memberships__network_id__in=network_ids).distinct()
        choices = [choice for network_id in sorted(network_ids) for choice in self.workgroup_choices(network_id)]
        workgroup_field: forms.TypedChoiceField = self.fields["workgroup"]  # type: ignore[assignment]
        workgroup_field.choices = [("", "Aucun"), *choices]
        if not choices:
            # Without working groups to offer, the choice would only lead to an error.
            access_field: forms.ChoiceField = self.fields["access_level"]  # type: ignore[assignment]
            access_field.choices = [c for c in AccessLevel.choices if c[0] != AccessLevel.WORKGROUP]
            del self.fields["workgroup"]
        self._style_widgets()

    def workgroup_choices(self, network_id: int) -> list[tuple[int, str]]:
        """The groups of a network to which this person may restrict a document."""
        return access.workgroup_choices(network_id, self.user)

    def document_network(self, cleaned: dict[str, Any]) -> Network | None:
        """The network the document belongs to: the one chosen in the form, once valid."""
        network: Network | None = cleaned.get("network")
        return network

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        network = self.document_network(cleaned)
        if cleaned.get("access_level") != AccessLevel.WORKGROUP:
            cleaned["workgroup"] = None
        elif "workgroup" not in self.errors:  # a group that is not offered at all already has its message
            group_id = cleaned.get("workgroup")
            allowed = {gid for gid, _name in self.workgroup_choices(network.pk)} if network else set()
            if group_id is None:
                self.add_error(
                    "workgroup", _("Choisissez le groupe de travail dont les participants liront le document.")
                )
            elif network is not None and group_id not in allowed:
                self.add_error("workgroup", _("Ce groupe de travail n'appartient pas au réseau choisi."))
        organisation: Organisation | None = cleaned.get("author_organisation")
        if (
            organisation is not None
            and network is not None
            and not organisation.memberships.filter(network=network).exists()
        ):
            self.add_error("author_organisation", _("Cette organisation n'est pas adhérente du réseau choisi."))
        return cleaned


class DocumentForm(_UploadMixin, DocumentMetadataForm):
    """Sharing a document: its network, its metadata and its first file."""

    field_order = ["network"]  # the library first, then the metadata, then the file

    network = forms.ModelChoiceField(
        label=_lazy("Réseau"),
        queryset=Network.objects.none(),
        help_text=_lazy("La bibliothèque dans laquelle le document est partagé."),
        error_messages={
            "required": _lazy("Choisissez le réseau."),
            "invalid_choice": _lazy("Vous ne pouvez pas partager de document dans ce réseau."),
        },
    )
    file = _file_field()
    comment = forms.CharField(
        label=_lazy("Note de version"),
        required=False,
        max_length=300,
        validators=[validate_no_markup],
        help_text=_lazy("Facultatif. Par exemple : version validée par le groupe de travail."),
        error_messages={"max_length": _lazy("La note ne peut pas dépasser 300 caractères.")},
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        network_ids = upload_network_ids(user)
        super().__init__(*args, user=user, network_ids=network_ids, **kwargs)
        network_field: forms.ModelChoiceField[Network] = self.fields["network"]  # type: ignore[assignment]
        network_field.queryset = Network.objects.filter(pk__in=network_ids)
        if len(network_ids) == 1:
            network_field.initial = next(iter(network_ids))
        own = NetworkRole.objects.filter(user=user, network_id__in=network_ids, organisation__isnull=False)
        first_own = own.values_list("organisation_id", flat=True).first()
        if first_own is not None:
            self.fields["author_organisation"].initial = first_own


class DocumentEditForm(DocumentMetadataForm):
    """Correcting the metadata of a shared document, within its network (its files are its versions)."""

    def __init__(self, *args: Any, user: Any, document: Document, **kwargs: Any) -> None:
        self.document = document
        kwargs.setdefault(
            "initial",
            {
                "title": document.title,
                "kind": document.kind,
                "description": document.description,
                "themes": list(document.themes.all()),
                "cpvs": list(document.cpvs.all()),
                "author_organisation": document.author_organisation_id,
                "document_date": document.document_date,
                "licence": document.licence,
                "access_level": document.access_level,
                "workgroup": document.workgroup_id,
            },
        )
        super().__init__(*args, user=user, network_ids={document.network_id}, **kwargs)

    def workgroup_choices(self, network_id: int) -> list[tuple[int, str]]:
        choices = super().workgroup_choices(network_id)
        current = self.document.workgroup_id
        if current is not None and network_id == self.document.network_id and current not in dict(choices):
            # The group the document is restricted to stays a valid answer, even if this person is not in it.
            choices.append((current, access.workgroup_name(current) or "Groupe de travail actuel"))
        return choices

    def document_network(self, cleaned: dict[str, Any]) -> Network | None:
        return self.document.network


class VersionForm(_UploadMixin, AccessibleFormMixin, forms.Form):
    file = _file_field()
    comment = forms.CharField(
        label=_lazy("Ce qui change dans cette version"),
        required=False,
        max_length=300,
        validators=[validate_no_markup],
        help_text=_lazy("Facultatif. Par exemple : mise à jour des seuils 2026."),
        error_messages={"max_length": _lazy("La note ne peut pas dépasser 300 caractères.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style_widgets()
