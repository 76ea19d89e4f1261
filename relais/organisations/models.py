"""Organisations of the directory: public buyers, social-economy suppliers and support operators."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from relais.core.models import TimestampedModel
from relais.core.validators import validate_no_markup, validate_siren, validate_siret

from .enums import BuyerCategory, OrganisationKind, StructureType, SupportCategory


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def buyers(self) -> OrganisationQuerySet:
        return self.filter(kind=OrganisationKind.BUYER)

    def suppliers(self) -> OrganisationQuerySet:
        return self.filter(kind=OrganisationKind.SUPPLIER)

    def support_operators(self) -> OrganisationQuerySet:
        return self.filter(kind=OrganisationKind.SUPPORT)


class Organisation(TimestampedModel):
    """An organisation identified by its SIRET (an establishment) or, failing that, its SIREN."""

    name = models.CharField(_("raison sociale"), max_length=255, validators=[validate_no_markup])
    kind = models.CharField(_("nature"), max_length=20, choices=OrganisationKind.choices)
    siret = models.CharField(_("SIRET"), max_length=14, null=True, blank=True, unique=True, validators=[validate_siret])
    siren = models.CharField(_("SIREN"), max_length=9, blank=True, db_index=True, validators=[validate_siren])
    buyer_category = models.CharField(
        _("catégorie d'acheteur"), max_length=30, choices=BuyerCategory.choices, blank=True
    )
    support_category = models.CharField(
        _("catégorie d'opérateur"), max_length=30, choices=SupportCategory.choices, blank=True
    )
    departement = models.ForeignKey(
        "reference.Departement", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("département")
    )
    city = models.CharField(_("commune"), max_length=120, blank=True, validators=[validate_no_markup])
    website = models.URLField(_("site web"), blank=True)
    description = models.TextField(_("présentation"), blank=True, validators=[validate_no_markup])

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=OrganisationKind.BUYER) | Q(buyer_category=""),
                name="organisation_buyer_category_only_buyers",
            ),
            models.CheckConstraint(
                condition=Q(kind=OrganisationKind.SUPPORT) | Q(support_category=""),
                name="organisation_support_category_only_support",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def structure_type_codes(self) -> list[str]:
        return [s.structure_type for s in self.structures.all()]


class OrganisationStructure(TimestampedModel):
    """One structure type of a social-economy supplier (an EI can also hold the ESUS agreement), with evidence."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="structures")
    structure_type = models.CharField(_("type de structure"), max_length=20, choices=StructureType.choices)
    evidence = models.CharField(_("justificatif"), max_length=255, blank=True, validators=[validate_no_markup])
    valid_until = models.DateField(_("valable jusqu'au"), null=True, blank=True)

    class Meta:
        verbose_name = _("type de structure")
        verbose_name_plural = _("types de structure")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "structure_type"], name="organisation_structure_unique")
        ]

    def __str__(self) -> str:
        return self.get_structure_type_display()
