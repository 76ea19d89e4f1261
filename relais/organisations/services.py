"""Registering organisations in the directory.

An organisation is identified by its SIRET (an establishment): pasted identifiers are normalised, the SIREN is
derived from it, the category must match the kind (a buyer category only for buyers — also a database constraint),
and a supplier's structure types (EI, ESAT, SCOP…) are recorded with it in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from relais.core.validators import normalise_identifier
from relais.reference.models import Departement

from .enums import OrganisationKind
from .models import Organisation, OrganisationStructure


class OrganisationError(Exception):
    """A registration the directory rules refuse. The message is shown to the user."""


def organisation_register(
    *,
    name: str,
    kind: str,
    siret: str = "",
    buyer_category: str = "",
    support_category: str = "",
    structure_types: Iterable[str] = (),
    structures_valid_until: dt.date | None = None,
    departement: Departement | None = None,
    city: str = "",
) -> Organisation:
    """Create an organisation and its structure types; refused if its SIRET is already in the directory.

    Structure types describe social-economy suppliers (Code du travail L5132-1 ff., L5213-13; CASF L344-2): they
    are refused for buyers and support operators.
    """
    siret = normalise_identifier(siret)
    types = list(dict.fromkeys(structure_types))
    if types and kind != OrganisationKind.SUPPLIER:
        raise OrganisationError(_("Seules les structures de l'ESS (fournisseurs) ont un type de structure."))
    if siret and Organisation.objects.filter(siret=siret).exists():
        raise OrganisationError(_("Une organisation de l'annuaire a déjà le SIRET %(siret)s.") % {"siret": siret})
    organisation = Organisation(
        name=name.strip(),
        kind=kind,
        siret=siret or None,
        siren=siret[:9],
        buyer_category=buyer_category if kind == OrganisationKind.BUYER else "",
        support_category=support_category if kind == OrganisationKind.SUPPORT else "",
        departement=departement,
        city=city.strip(),
    )
    try:
        organisation.full_clean()
    except ValidationError as error:
        raise OrganisationError(" ".join(error.messages)) from error
    with transaction.atomic():
        organisation.save()
        OrganisationStructure.objects.bulk_create(
            OrganisationStructure(organisation=organisation, structure_type=code, valid_until=structures_valid_until)
            for code in types
        )
    return organisation
