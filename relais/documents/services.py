"""Workflows of the library: share a document with its first file, add a version, correct its metadata and who may
read it.

Every workflow runs in one transaction (nothing half-saved) and keeps the search index in step. The text of each
uploaded file is extracted by a background task enqueued once the transaction is committed; until it has run, the
version is "pending" and the document is found by its metadata only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.files import File
from django.db import transaction
from django.db.models import Max

from relais.accounts.models import User
from relais.networks.models import Network
from relais.organisations.models import Organisation
from relais.reference.models import Cpv, Theme

from .enums import AccessLevel
from .formats import ALLOWED_TYPES
from .models import Document, DocumentVersion
from .search import reindex_document
from .tasks import extract_document_text


class DocumentError(Exception):
    """A request the library's rules refuse. The message (French) is shown to the user."""


def _check_access(access_level: str, workgroup_id: int | None) -> int | None:
    if access_level not in AccessLevel.values:
        raise DocumentError("Niveau d'accès inconnu.")
    if access_level == AccessLevel.WORKGROUP:
        if workgroup_id is None:
            raise DocumentError("Choisissez le groupe de travail dont les participants pourront lire ce document.")
        return workgroup_id
    return None


def _add_version(
    *, document: Document, by: User, file: File, original_name: str, content_type: str, comment: str
) -> DocumentVersion:
    if content_type not in ALLOWED_TYPES:
        raise DocumentError("Ce format de fichier n'est pas accepté.")
    last = DocumentVersion.objects.filter(document=document).aggregate(n=Max("number"))["n"] or 0
    version = DocumentVersion.objects.create(
        document=document,
        number=last + 1,
        file=file,
        original_name=original_name[:255],
        content_type=content_type,
        size=file.size or 0,
        comment=comment[:300],
        uploaded_by=by,
    )
    version_id = version.pk
    # Enqueued only once committed: a rolled-back upload extracts nothing, and the worker sees the row.
    transaction.on_commit(lambda: extract_document_text.enqueue(version_id=version_id))
    return version


def document_create(
    *,
    network: Network,
    by: User,
    title: str,
    kind: str,
    file: File,
    original_name: str,
    content_type: str,
    description: str = "",
    themes: Iterable[Theme] = (),
    cpvs: Iterable[Cpv] = (),
    author_organisation: Organisation | None = None,
    document_date: dt.date | None = None,
    licence: str = "",
    access_level: str = AccessLevel.MEMBERS,
    workgroup_id: int | None = None,
    comment: str = "",
) -> Document:
    """Share a document in a network's library with its first version (number 1)."""
    workgroup_id = _check_access(access_level, workgroup_id)
    with transaction.atomic():
        document = Document(
            network=network,
            created_by=by,
            title=title,
            kind=kind,
            description=description,
            author_organisation=author_organisation,
            document_date=document_date,
            access_level=access_level,
            workgroup_id=workgroup_id,
        )
        if licence:
            document.licence = licence
        document.save()
        document.themes.set(list(themes))
        document.cpvs.set(list(cpvs))
        _add_version(
            document=document,
            by=by,
            file=file,
            original_name=original_name,
            content_type=content_type,
            comment=comment or "Version initiale",
        )
        reindex_document(document)
    return document


def document_version_add(
    *, document: Document, by: User, file: File, original_name: str, content_type: str, comment: str = ""
) -> DocumentVersion:
    """Upload a new version: it becomes the current one; the previous versions stay listed and downloadable."""
    with transaction.atomic():
        # Lock the document so that two simultaneous uploads cannot take the same number.
        document = Document.objects.select_for_update().get(pk=document.pk)
        version = _add_version(
            document=document, by=by, file=file, original_name=original_name, content_type=content_type, comment=comment
        )
        Document.objects.filter(pk=document.pk).update(updated_at=version.created_at)
        # Until the new text is extracted, the document is found by its metadata only (not by the old text).
        reindex_document(document)
    return version


def document_update(
    *,
    document: Document,
    title: str,
    kind: str,
    description: str,
    themes: Iterable[Theme],
    cpvs: Iterable[Cpv],
    author_organisation: Organisation | None,
    document_date: dt.date | None,
    licence: str,
    access_level: str,
    workgroup_id: int | None = None,
) -> Document:
    """Correct the metadata of a shared document; its files and versions are left as they are. Who may read it
    changes at once (access is part of every query), and the search index is rebuilt from the new metadata.
    Raises DocumentError (access) or ValidationError (fields), in French, and then saves nothing."""
    workgroup_id = _check_access(access_level, workgroup_id)
    with transaction.atomic():
        # Lock the row: an edit and a new version at the same moment must not interleave their index rebuilds.
        locked = Document.objects.select_for_update().get(pk=document.pk)
        locked.title = title
        locked.kind = kind
        locked.description = description
        locked.author_organisation = author_organisation
        locked.document_date = document_date
        locked.licence = licence
        locked.access_level = access_level
        locked.workgroup_id = workgroup_id
        locked.full_clean()
        locked.save()
        locked.themes.set(list(themes))
        locked.cpvs.set(list(cpvs))
        reindex_document(locked)
    document.refresh_from_db()
    return document
