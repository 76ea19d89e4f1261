"""Search index of the library and the extraction step that feeds it.

`DocumentTerm` holds one row per (document, stemmed term), weighted like case sheets' index (title 8; description,
type, themes, CPV labels and author organisation 4; the text extracted from the current version 1). The same
`relais.core.text.terms` turn documents and queries into terms, so results are identical on SQLite and PostgreSQL.

Every reindex bumps the index version and, once committed, enqueues the rebuild of the library's bitmap snapshot
(`snapshot.py`, ADR 0008); until it is built, searches take the SQL path.
"""

from __future__ import annotations

from collections import Counter

from django.db import transaction
from django.utils import timezone

from relais.core.bitmaps import IndexVersion, announce_index_change
from relais.core.text import terms

from .enums import ExtractionStatus
from .extraction import ExtractionError, extract_text
from .models import Document, DocumentTerm, DocumentVersion

TITLE_WEIGHT = 8
SUMMARY_WEIGHT = 4
BODY_WEIGHT = 1
MAX_WEIGHT = 100
MAX_TERM_LENGTH = 40
INDEX_VERSION = IndexVersion("documents:search-index-version")


def index_version() -> str:
    """A token that changes whenever the library's index changes; the search snapshot is keyed on it."""
    return INDEX_VERSION.current()


def _enqueue_snapshot_rebuild() -> None:
    from .tasks import rebuild_document_snapshot  # the tasks module builds on this one

    rebuild_document_snapshot.enqueue()


def document_term_weights(document: Document, text: str = "") -> dict[str, int]:
    """Stemmed terms of a document's metadata and of `text` (its current version's extracted text)."""
    weighted: Counter[str] = Counter()

    def add(value: str, weight: int) -> None:
        for term in terms(value):
            weighted[term[:MAX_TERM_LENGTH]] += weight

    add(document.title, TITLE_WEIGHT)
    add(document.description, SUMMARY_WEIGHT)
    add(str(document.get_kind_display()), SUMMARY_WEIGHT)
    for theme in document.themes.all():
        add(theme.label, SUMMARY_WEIGHT)
    for cpv in document.cpvs.all():
        add(cpv.label_fr, SUMMARY_WEIGHT)
    if document.author_organisation is not None:
        add(document.author_organisation.name, SUMMARY_WEIGHT)
    add(text, BODY_WEIGHT)
    return {term: min(weight, MAX_WEIGHT) for term, weight in weighted.items()}


def reindex_document(document: Document) -> None:
    """Rebuild the index rows of one document from its metadata and its current version's text (when extracted).

    Whatever changes what a search finds or who finds it (metadata, text, access level, deletion) calls this: a
    document deleted meanwhile simply has no rows left, and the snapshot is rebuilt either way."""
    with transaction.atomic():
        if document.pk is not None and Document.objects.filter(pk=document.pk).exists():
            current = document.versions.order_by("-number").first()
            text = current.extracted_text if current and current.extraction_status == ExtractionStatus.DONE else ""
            DocumentTerm.objects.filter(document=document).delete()
            DocumentTerm.objects.bulk_create(
                [
                    DocumentTerm(document=document, term=t, weight=w)
                    for t, w in document_term_weights(document, text).items()
                ],
                batch_size=2000,
            )
        # Inside the transaction: the rebuild is enqueued once these rows are committed, never before.
        announce_index_change(INDEX_VERSION, _enqueue_snapshot_rebuild)


def document_version_extract(*, version_id: int) -> DocumentVersion | None:
    """Extract the text of one version, record the outcome (done, or failed with the reason) and, when it is the
    document's current version, refresh the document's index. A version deleted meanwhile is ignored."""
    version = DocumentVersion.objects.select_related("document").filter(pk=version_id).first()
    if version is None:
        return None
    try:
        with version.file.open("rb") as handle:
            text = extract_text(handle, version.content_type)
    except ExtractionError as error:
        version.extraction_status, version.extraction_error, version.extracted_text = (
            ExtractionStatus.FAILED,
            str(error)[:300],
            "",
        )
    except OSError:
        version.extraction_status, version.extraction_error, version.extracted_text = (
            ExtractionStatus.FAILED,
            "Le fichier est introuvable sur le serveur.",
            "",
        )
    else:
        # PostgreSQL text columns refuse NUL characters, which some PDFs yield.
        version.extraction_status, version.extraction_error = ExtractionStatus.DONE, ""
        version.extracted_text = text.replace("\x00", " ")
    version.extracted_at = timezone.now()
    with transaction.atomic():
        version.save(
            update_fields=["extraction_status", "extraction_error", "extracted_text", "extracted_at", "updated_at"]
        )
        latest = DocumentVersion.objects.filter(document_id=version.document_id).order_by("-number").first()
        if latest is not None and latest.pk == version.pk:
            reindex_document(version.document)
    return version
