"""The demo documents load idempotently through the real service, and their text becomes searchable."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser

from relais.demo.data import documents as demo
from relais.demo.data.accounts import MEMBER_EMAIL
from relais.demo.data.directory import NATIONAL, RGO
from relais.documents.enums import ExtractionStatus
from relais.documents.models import DocumentVersion
from relais.documents.queries import DocumentSearch, search_documents

from ..conftest import Personas


def test_demo_documents_load_once_and_are_found_by_their_text(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    networks = {RGO: personas.network, NATIONAL: personas.other_network}
    users = {MEMBER_EMAIL: personas.member}
    with django_capture_on_commit_callbacks(execute=True):
        created = demo.load(networks=networks, users=users, organisations={})
    assert created == len(demo.DOCUMENTS)
    assert demo.load(networks=networks, users=users, organisations={}) == 0
    assert set(DocumentVersion.objects.values_list("extraction_status", flat=True)) == {ExtractionStatus.DONE}
    params = DocumentSearch.from_querydict({"q": "heures d'insertion"})
    titles = [d.title for d in search_documents(params, personas.member).documents]
    assert "CCTP — Entretien des espaces verts avec clause d'insertion" in titles
    public = [d.title for d in search_documents(DocumentSearch(), AnonymousUser()).documents]
    assert sorted(public) == sorted(s.title for s in demo.DOCUMENTS if s.access_level == "public")
