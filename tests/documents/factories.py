"""Factories of the document library, with named traits."""

from __future__ import annotations

import factory
from django.core.files.base import ContentFile
from factory.django import DjangoModelFactory

from relais.documents.enums import AccessLevel, DocumentKind, ExtractionStatus
from relais.documents.models import Document, DocumentVersion
from relais.documents.search import reindex_document

from ..factories import NetworkFactory, UserFactory
from .files import pdf_bytes


class DocumentFactory(DjangoModelFactory[Document]):
    class Meta:
        model = Document
        skip_postgeneration_save = True

    network = factory.SubFactory(NetworkFactory)
    title = factory.Sequence(lambda n: f"Guide de l'achat responsable n° {n}")
    description = "Recommandations du groupe de travail."
    kind = DocumentKind.GUIDE
    access_level = AccessLevel.PUBLIC
    created_by = factory.SubFactory(UserFactory)

    class Params:
        members_only = factory.Trait(access_level=AccessLevel.MEMBERS)
        workgroup = factory.Trait(access_level=AccessLevel.WORKGROUP, workgroup_id=4242)

    @factory.post_generation
    def with_file(self, create: bool, extracted: str | None, **kwargs: object) -> None:
        """A first PDF version whose extracted text is `extracted` (or a default sentence), indexed."""
        if not create:
            return
        text = extracted or "Texte du document."
        DocumentVersion.objects.create(
            document=self,
            number=1,
            file=ContentFile(pdf_bytes(text), name="document.pdf"),
            original_name="document.pdf",
            content_type="application/pdf",
            size=len(pdf_bytes(text)),
            uploaded_by=self.created_by,
            extraction_status=ExtractionStatus.DONE,
            extracted_text=text,
        )
        reindex_document(self)
