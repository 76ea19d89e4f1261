"""Case sheets ("fiches REX"): a real public contract described so that another buyer can reuse it."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from relais.core.models import TimestampedModel
from relais.core.validators import validate_no_markup

from .enums import (
    BuyerRole,
    ContractType,
    CriterionKind,
    Licence,
    Procedure,
    ReservedBasis,
    SheetStatus,
    StakeholderRole,
    Visibility,
)


class CaseSheetQuerySet(models.QuerySet["CaseSheet"]):
    def published(self) -> CaseSheetQuerySet:
        return self.filter(status=SheetStatus.PUBLISHED)

    def public(self) -> CaseSheetQuerySet:
        """Published and public: what anonymous visitors, feeds and the sitemap may show."""
        return self.published().filter(visibility=Visibility.PUBLIC)

    def visible_to_networks(self, member_network_ids: set[int]) -> CaseSheetQuerySet:
        """Published sheets a reader may see: public ones, plus members-only ones of the reader's networks."""
        return self.published().filter(Q(visibility=Visibility.PUBLIC) | Q(network_id__in=member_network_ids))


class CaseSheet(TimestampedModel):
    network = models.ForeignKey(
        "networks.Network", on_delete=models.PROTECT, related_name="case_sheets", verbose_name=_("réseau")
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_sheets")
    status = models.CharField(_("statut"), max_length=20, choices=SheetStatus.choices, default=SheetStatus.DRAFT)
    visibility = models.CharField(_("visibilité"), max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC)
    return_comment = models.TextField(_("commentaire de l'animateur"), blank=True, validators=[validate_no_markup])
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    licence = models.CharField(_("licence"), max_length=30, choices=Licence.choices, default=Licence.ETALAB_2)

    # Identity
    title = models.CharField(_("titre"), max_length=200, validators=[validate_no_markup])
    summary = models.TextField(_("résumé"), max_length=1500, validators=[validate_no_markup])
    themes = models.ManyToManyField("reference.Theme", verbose_name=_("thèmes"), related_name="case_sheets")

    # The contract
    is_purchasing_group = models.BooleanField(_("groupement de commandes"), default=False)
    contract_type = models.CharField(_("type de marché"), max_length=20, choices=ContractType.choices)
    procedure = models.CharField(_("procédure"), max_length=30, choices=Procedure.choices)
    techniques = models.JSONField(_("techniques d'achat"), default=list, blank=True)
    lots_count = models.PositiveSmallIntegerField(_("nombre de lots"), default=1, validators=[MinValueValidator(1)])
    lots_description = models.TextField(_("description des lots"), blank=True, validators=[validate_no_markup])
    main_cpv = models.ForeignKey(
        "reference.Cpv", on_delete=models.PROTECT, related_name="main_case_sheets", verbose_name=_("code CPV principal")
    )
    additional_cpvs = models.ManyToManyField(
        "reference.Cpv", blank=True, related_name="additional_case_sheets", verbose_name=_("codes CPV complémentaires")
    )
    duration_months = models.PositiveSmallIntegerField(
        _("durée (mois)"), validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    amount_exact = models.DecimalField(_("montant HT (€)"), max_digits=14, decimal_places=2, null=True, blank=True)
    amount_min = models.DecimalField(
        _("montant HT minimum (€)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    amount_max = models.DecimalField(
        _("montant HT maximum (€)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    notification_date = models.DateField(_("date de notification"), null=True, blank=True)
    departement = models.ForeignKey(
        "reference.Departement", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("département")
    )
    region = models.ForeignKey(
        "reference.Region", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("région")
    )
    decp_id = models.CharField(_("identifiant DECP"), max_length=64, blank=True, validators=[validate_no_markup])

    # Social considerations
    has_insertion_clause = models.BooleanField(_("clause d'insertion"), default=False)
    insertion_hours = models.PositiveIntegerField(_("heures d'insertion prévues"), null=True, blank=True)
    has_social_criterion = models.BooleanField(_("critère social"), default=False)
    reserved_basis = models.CharField(
        _("marché réservé (fondement)"), max_length=20, choices=ReservedBasis.choices, blank=True
    )
    # Environmental considerations
    has_environmental_clause = models.BooleanField(_("clause environnementale"), default=False)
    has_environmental_criterion = models.BooleanField(_("critère environnemental"), default=False)
    labels_required = models.CharField(
        _("labels exigés (ou équivalent)"), max_length=300, blank=True, validators=[validate_no_markup]
    )
    is_fair_trade = models.BooleanField(_("commerce équitable"), default=False)
    is_innovative = models.BooleanField(_("achat innovant"), default=False)

    # Narrative
    context = models.TextField(_("contexte"), blank=True, validators=[validate_no_markup])
    actions = models.TextField(_("ce qui a été fait"), blank=True, validators=[validate_no_markup])
    value_for_buyer = models.TextField(_("plus-value pour l'acheteur"), blank=True, validators=[validate_no_markup])
    value_for_supplier = models.TextField(
        _("plus-value pour le fournisseur"), blank=True, validators=[validate_no_markup]
    )
    lessons = models.TextField(_("difficultés et enseignements"), blank=True, validators=[validate_no_markup])
    advice = models.TextField(_("conseils pour reproduire"), blank=True, validators=[validate_no_markup])

    objects = CaseSheetQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("fiche retour d'expérience")
        verbose_name_plural = _("fiches retour d'expérience")
        indexes = [models.Index(fields=["status", "visibility", "network"], name="casesheet_listing")]
        constraints = [
            models.CheckConstraint(condition=Q(duration_months__gte=1), name="casesheet_duration_positive"),
            models.CheckConstraint(
                condition=Q(amount_exact__isnull=True) | Q(amount_exact__gte=0), name="casesheet_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(amount_exact__isnull=True) | (Q(amount_min__isnull=True) & Q(amount_max__isnull=True)),
                name="casesheet_amount_exact_or_range",
            ),
            models.CheckConstraint(
                condition=Q(amount_min__isnull=True) | Q(amount_max__isnull=True) | Q(amount_max__gte=F("amount_min")),
                name="casesheet_amount_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(amount_min__isnull=True) | Q(amount_min__gte=0), name="casesheet_amount_min_positive"
            ),
            models.CheckConstraint(
                condition=~Q(status=SheetStatus.PUBLISHED) | Q(published_at__isnull=False),
                name="casesheet_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def has_social_consideration(self) -> bool:
        return self.has_insertion_clause or self.has_social_criterion or bool(self.reserved_basis)

    @property
    def has_environmental_consideration(self) -> bool:
        return self.has_environmental_clause or self.has_environmental_criterion or bool(self.labels_required)

    @property
    def year(self) -> int | None:
        return self.notification_date.year if self.notification_date else None

    def criteria_weight_total(self) -> int:
        return sum(c.weight for c in self.criteria.all())


class SheetBuyer(models.Model):
    """A buyer of the contract; a purchasing group has one coordinator and members."""

    sheet = models.ForeignKey(CaseSheet, on_delete=models.CASCADE, related_name="buyers")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("rôle"), max_length=20, choices=BuyerRole.choices, default=BuyerRole.SOLE)

    class Meta:
        verbose_name = _("acheteur")
        constraints = [models.UniqueConstraint(fields=["sheet", "organisation"], name="sheetbuyer_unique")]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class AwardCriterion(models.Model):
    sheet = models.ForeignKey(CaseSheet, on_delete=models.CASCADE, related_name="criteria")
    kind = models.CharField(_("nature"), max_length=20, choices=CriterionKind.choices)
    label = models.CharField(_("libellé"), max_length=200, validators=[validate_no_markup])
    weight = models.PositiveSmallIntegerField(
        _("pondération (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("critère d'attribution")
        verbose_name_plural = _("critères d'attribution")
        constraints = [models.CheckConstraint(condition=Q(weight__lte=100), name="criterion_weight_max_100")]

    def __str__(self) -> str:
        return f"{self.label} ({self.weight} %)"


class Stakeholder(models.Model):
    sheet = models.ForeignKey(CaseSheet, on_delete=models.CASCADE, related_name="stakeholders")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="sheet_roles")
    role = models.CharField(_("rôle"), max_length=20, choices=StakeholderRole.choices)

    class Meta:
        verbose_name = _("partie prenante")
        verbose_name_plural = _("parties prenantes")
        constraints = [models.UniqueConstraint(fields=["sheet", "organisation", "role"], name="stakeholder_unique")]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class ImpactFigure(models.Model):
    """A figure of impact: "913 personnes en insertion"."""

    sheet = models.ForeignKey(CaseSheet, on_delete=models.CASCADE, related_name="impacts")
    label = models.CharField(_("libellé"), max_length=200, validators=[validate_no_markup])
    value = models.DecimalField(_("valeur"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unité"), max_length=40, blank=True, validators=[validate_no_markup])
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("chiffre d'impact")
        verbose_name_plural = _("chiffres d'impact")

    def __str__(self) -> str:
        return f"{self.value} {self.unit} {self.label}".strip()


def attachment_path(instance: Attachment, filename: str) -> str:
    # Never keep the uploaded name on disk: it is user input. The original name is stored separately.
    suffix = Path(filename).suffix.lower()[:8]
    return f"sheets/{uuid.uuid4().hex}{suffix}"


class Attachment(TimestampedModel):
    sheet = models.ForeignKey(CaseSheet, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("titre"), max_length=200, validators=[validate_no_markup])
    file = models.FileField(_("fichier"), upload_to=attachment_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")

    def __str__(self) -> str:
        return self.title


class Link(models.Model):
    sheet = models.ForeignKey(CaseSheet, on_delete=models.CASCADE, related_name="links")
    title = models.CharField(_("titre"), max_length=200, validators=[validate_no_markup])
    url = models.URLField(_("adresse"))

    class Meta:
        verbose_name = _("lien")
        verbose_name_plural = _("liens")

    def __str__(self) -> str:
        return self.title


class SheetRevision(models.Model):
    """A snapshot of a sheet each time it is published or changed after publication (history of changes)."""

    sheet = models.ForeignKey(CaseSheet, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    data: models.JSONField[Any, Any] = models.JSONField()
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    comment = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["sheet", "number"], name="sheetrevision_unique_number")]

    def __str__(self) -> str:
        return f"{self.sheet} — version {self.number}"


class SheetTerm(models.Model):
    """Inverted index of published sheets: one row per (sheet, stemmed term) with a relevance weight.

    Kept by services, identical on SQLite and PostgreSQL (see ADR 0003).
    """

    sheet = models.ForeignKey(CaseSheet, on_delete=models.CASCADE, related_name="+")
    term = models.CharField(max_length=40)
    weight = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [models.Index(fields=["term", "sheet", "weight"], name="sheetterm_covering")]
        constraints = [models.UniqueConstraint(fields=["sheet", "term"], name="sheetterm_unique")]

    def __str__(self) -> str:
        return self.term


class SheetFacet(models.Model):
    """Facet values of published sheets, flattened for fast filtering and counting (one row per value)."""

    sheet = models.ForeignKey(CaseSheet, on_delete=models.CASCADE, related_name="+")
    facet = models.CharField(max_length=20)
    value = models.CharField(max_length=40)

    class Meta:
        indexes = [models.Index(fields=["facet", "value", "sheet"], name="sheetfacet_lookup")]
        constraints = [models.UniqueConstraint(fields=["sheet", "facet", "value"], name="sheetfacet_unique")]

    def __str__(self) -> str:
        return f"{self.facet}={self.value}"
