from __future__ import annotations

from html import unescape

from django.test import Client
from django.urls import reverse

from tests.factories import ThemeFactory


def test_api_docs_page_explains_endpoints_filters_licence_feeds_and_exports(client: Client, db: None) -> None:
    ThemeFactory.create()
    response = client.get(reverse("web:api_docs"))
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert 'href="/api/v1/schema/?format=json"' in html
    assert 'curl "http://testserver/api/v1/sheets/?theme=restauration-collective&social=insertion_clause' in html
    for needle in ("/api/v1/sheets/", "/api/v1/cpv/", "Licence Ouverte 2.0", "flux.atom", "Exports", "429"):
        assert needle in html, needle
    # Code lists come from the enums and the themes table.
    assert "<code>insertion_clause</code>" in html
    assert "<code>restauration-collective</code>" in html
    assert "<code>L2113-13</code>" in html
