from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client

from relais.accounts.models import User


@pytest.fixture(autouse=True)
def _isolated(settings: object, tmp_path: Path) -> Iterator[None]:
    """Uploaded files go to a temporary folder; cached search figures do not leak from one test to another."""
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    cache.clear()
    yield
    cache.clear()


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
