from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Search figures are cached: every test starts and ends with none."""
    cache.clear()
    yield
    cache.clear()
