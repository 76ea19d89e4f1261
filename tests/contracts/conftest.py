from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import models

from relais.contracts.loader import ReferenceData
from relais.reference.loaders import load_cpv, load_departements, load_regions
from relais.reference.models import Cpv, Departement, Region

DECP_DATA = Path(__file__).resolve().parent.parent / "data" / "decp"

# The reference rows as loaded from the shipped files the first time, re-inserted as they are in later tests
# (parsing and checking 9,454 CPV codes for every test would dominate the time of this folder).
_ROWS: dict[type[models.Model], list[dict[str, Any]]] = {}


@pytest.fixture
def reference(db: None) -> ReferenceData:
    """The real CPV 2008 list and territories, as the import reads them."""
    if not _ROWS:
        load_cpv()
        load_regions()
        load_departements()
        for model in (Region, Departement, Cpv):
            _ROWS[model] = list(model.objects.values())
    elif not Cpv.objects.exists():
        for model, rows in _ROWS.items():
            model.objects.bulk_create([model(**row) for row in rows], batch_size=2000)
    return ReferenceData.load()
