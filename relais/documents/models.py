"""Documents of a network (guides, syntheses, clause models, tender documents) and their versions."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from relais.casesheets.enums import Licence
from relais.core.models import TimestampedModel
from relais.core.validators import validate_no_markup

from .enums import AccessLevel, DocumentKind, ExtractionStatus


class Document(TimestampedModel):
    """A document shared in a network's library. Its files are its versions; the newest one is the current one.

    Access: public, members of the network, or the participants of one working group of the network (plus the
    network's animators). The working group is kept as a bare id (`workgroup_id`): the workgroups app sits above
    this one and fills in who participates through `relais.documents.access` (see README)."""

    network = models.ForeignKey(
        "networks.Network", on_delete=models.PROTECT, related_name="documents", verbose_name=_("réseau")
    )
    title = models.CharField(_("titre"), max_length=200, validators=[validate_no_markup])
    description = models.TextField(_("description"), max_length=3000, blank=True, validators=[validate_no_markup])
    kind = models.CharField(_("type de document"), max_length=20, choices=DocumentKind.choices)
    themes = models.ManyToManyField("reference.Theme", blank=True, related_name="documents", verbose_name=_("thèmes"))
    cpvs = models.ManyToManyField("reference.Cpv", blank=True, related_name="documents", verbose_name=_("codes CPV"))
    author_organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("organisation autrice"),
    )
    document_date = models.DateField(_("date du document"), null=True, blank=True)
    licence = models.CharField(_("licence"), max_length=30, choices=Licence.choices, default=Licence.ETALAB_2)
    access_level = models.CharField(_("accès"), max_length=20, choices=AccessLevel.choices, default=AccessLevel.MEMBERS)
    workgroup_id = models.PositiveIntegerField(_("groupe de travail"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="documents", verbose_name=_("déposé par")
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [models.Index(fields=["access_level", "network"], name="document_access")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(access_level=AccessLevel.WORKGROUP) & Q(workgroup_id__isnull=False))
                | (~Q(access_level=AccessLevel.WORKGROUP) & Q(workgroup_id__isnull=True)),
                name="document_workgroup_iff_workgroup_access",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def current_version(self) -> DocumentVersion | None:
        return self.versions.order_by("-number").first()


def version_path(instance: DocumentVersion, filename: str) -> str:
    # The uploaded name is user input: it never reaches the disk (it is kept in `original_name`).
    suffix = Path(filename).suffix.lower()[:8]
    return f"documents/{uuid.uuid4().hex}{suffix}"


class DocumentVersion(TimestampedModel):
    """One uploaded file of a document. A new version never replaces the old ones."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("fichier"), upload_to=version_path)
    original_name = models.CharField(_("nom du fichier"), max_length=255)
    content_type = models.CharField(_("format"), max_length=100)
    size = models.PositiveIntegerField(_("taille"))
    comment = models.CharField(_("note de version"), max_length=300, blank=True, validators=[validate_no_markup])
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("déposée par")
    )
    extraction_status = models.CharField(
        _("extraction du texte"), max_length=20, choices=ExtractionStatus.choices, default=ExtractionStatus.PENDING
    )
    extraction_error = models.CharField(_("motif de l'échec"), max_length=300, blank=True)
    extracted_text = models.TextField(_("texte extrait"), blank=True)
    extracted_at = models.DateTimeField(_("extrait le"), null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("version de document")
        verbose_name_plural = _("versions de document")
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="documentversion_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="documentversion_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.document} — version {self.number}"

    @property
    def extension(self) -> str:
        return Path(self.original_name).suffix.lstrip(".").upper()


class DocumentTerm(models.Model):
    """Inverted index of documents (metadata and the current version's text): one row per (document, stemmed term)
    with a relevance weight. Kept by services; identical on SQLite and PostgreSQL, like case sheets' SheetTerm."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="+")
    term = models.CharField(max_length=40)
    weight = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [models.Index(fields=["term", "document"], name="documentterm_lookup")]
        constraints = [models.UniqueConstraint(fields=["document", "term"], name="documentterm_unique")]

    def __str__(self) -> str:
        return self.term
