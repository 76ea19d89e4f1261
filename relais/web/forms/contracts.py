"""The DECP import form: a file to upload, or one already in the import folder."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from relais.contracts.queries import FOLDER_EXTENSIONS, import_folder_files


class DecpImportForm(forms.Form):
    upload = forms.FileField(
        label=_lazy("Fichier à envoyer"),
        required=False,
        help_text=_lazy(
            "JSON ou XML (format 2019 ou 2022) ou CSV de l'export tabulaire ; le format est reconnu au contenu."
        ),
    )
    server_file = forms.ChoiceField(label=_lazy("Ou un fichier déjà déposé sur le serveur"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["server_file"]
        if isinstance(field, forms.ChoiceField):
            field.choices = [("", "— aucun —")] + [
                (path.name, f"{path.name} ({filesizeformat(path.stat().st_size)})") for path in import_folder_files()
            ]

    def clean_upload(self) -> UploadedFile | None:
        upload: UploadedFile | None = self.cleaned_data.get("upload")
        if upload is None:
            return None
        if Path(upload.name or "").suffix.lower() not in FOLDER_EXTENSIONS:
            raise forms.ValidationError(_("Envoyez un fichier .json, .xml ou .csv de données essentielles."))
        if upload.size is not None and upload.size > settings.DECP_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _(
                    "Ce fichier dépasse la taille maximale de %(limit)s : "
                    "déposez-le directement dans le dossier d'import du serveur."
                )
                % {"limit": filesizeformat(settings.DECP_UPLOAD_MAX_BYTES)}
            )
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("upload") and not cleaned.get("server_file"):
            raise forms.ValidationError(_("Choisissez un fichier à envoyer ou un fichier déjà déposé sur le serveur."))
        if cleaned.get("upload") and cleaned.get("server_file"):
            raise forms.ValidationError(
                _("Choisissez soit un fichier à envoyer, soit un fichier du serveur, pas les deux.")
            )
        return cleaned

    def file_path(self) -> Path:
        """Where the file to import is: the upload is stored in the import folder under a random name."""
        folder = Path(settings.DECP_IMPORT_DIR)
        upload: UploadedFile | None = self.cleaned_data.get("upload")
        if upload is None:
            return folder / self.cleaned_data["server_file"]
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{uuid.uuid4().hex}{Path(upload.name or '').suffix.lower()}"
        with target.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        return target
