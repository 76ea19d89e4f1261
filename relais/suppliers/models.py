"""Social-economy suppliers of the directory: profile, activities (what, which kind of service, where), labels,
contacts, claims of an organisation by a supplier account, and bulk imports of supplier lists.

The supplier itself is an `organisations.Organisation` of kind `supplier` (its SIRET, name, structure types with
their evidence and validity); this app adds what the directory needs around it."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from relais.core.models import TimestampedModel
from relais.core.validators import validate_no_markup

from .enums import ClaimStatus, Coverage, ImportOutcome, ImportStatus, ServiceKind, TurnoverBand


class SupplierProfile(TimestampedModel):
    """What the directory shows of a supplier beyond its organisation record. A public page exists only when the
    supplier agreed (`public_listing`); otherwise the profile is for the networks' members."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="supplier_profile"
    )
    address = models.CharField(_("adresse"), max_length=255, blank=True, validators=[validate_no_markup])
    postcode = models.CharField(_("code postal"), max_length=5, blank=True)
    latitude = models.FloatField(
        _("latitude"), null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.FloatField(
        _("longitude"), null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    staff_insertion = models.PositiveIntegerField(_("salariés en insertion"), null=True, blank=True)
    staff_permanent = models.PositiveIntegerField(_("salariés permanents"), null=True, blank=True)
    turnover_band = models.CharField(_("chiffre d'affaires"), max_length=20, choices=TurnoverBand.choices, blank=True)
    public_listing = models.BooleanField(_("fiche publique acceptée"), default=False)
    public_listing_agreed_at = models.DateTimeField(_("fiche publique acceptée le"), null=True, blank=True)
    logo = models.FileField(_("logo"), upload_to="suppliers/logos/", blank=True)

    class Meta:
        verbose_name = _("profil fournisseur")
        verbose_name_plural = _("profils fournisseurs")
        constraints = [
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (Q(latitude__isnull=False) & Q(longitude__isnull=False)),
                name="supplierprofile_coordinates_together",
            ),
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class SupplierPhoto(TimestampedModel):
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("photo"), upload_to="suppliers/photos/")
    caption = models.CharField(_("légende"), max_length=200, blank=True, validators=[validate_no_markup])

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.caption or str(self.image.name)


class SupplierActivity(TimestampedModel):
    """One thing a supplier does (CPV codes and/or themes), the kind of service, and where it works."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="activities", verbose_name=_("structure")
    )
    title = models.CharField(_("activité"), max_length=200, validators=[validate_no_markup])
    description = models.TextField(_("description"), max_length=3000, blank=True, validators=[validate_no_markup])
    service_kind = models.CharField(_("type de prestation"), max_length=20, choices=ServiceKind.choices)
    cpvs = models.ManyToManyField("reference.Cpv", blank=True, related_name="+", verbose_name=_("codes CPV"))
    themes = models.ManyToManyField("reference.Theme", blank=True, related_name="+", verbose_name=_("thèmes"))
    coverage = models.CharField(_("zone d'intervention"), max_length=20, choices=Coverage.choices)
    regions = models.ManyToManyField("reference.Region", blank=True, related_name="+", verbose_name=_("régions"))
    departements = models.ManyToManyField(
        "reference.Departement", blank=True, related_name="+", verbose_name=_("départements")
    )
    radius_km = models.PositiveIntegerField(
        _("rayon (km)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )

    class Meta:
        ordering = ["title"]
        verbose_name = _("activité")
        verbose_name_plural = _("activités")
        constraints = [
            models.CheckConstraint(
                condition=(Q(coverage=Coverage.RADIUS) & Q(radius_km__gte=1) & Q(radius_km__lte=1000))
                | (~Q(coverage=Coverage.RADIUS) & Q(radius_km__isnull=True)),
                name="supplieractivity_radius_iff_radius_coverage",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SupplierLabel(TimestampedModel):
    """A label a supplier holds (from the registry `reference.Label`), with its evidence and validity."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="labels", verbose_name=_("structure")
    )
    label = models.ForeignKey("reference.Label", on_delete=models.PROTECT, related_name="+", verbose_name=_("label"))
    evidence = models.CharField(_("justificatif"), max_length=255, blank=True, validators=[validate_no_markup])
    valid_until = models.DateField(_("valable jusqu'au"), null=True, blank=True)

    class Meta:
        verbose_name = _("label détenu")
        verbose_name_plural = _("labels détenus")
        constraints = [models.UniqueConstraint(fields=["organisation", "label"], name="supplierlabel_unique")]

    def __str__(self) -> str:
        return str(self.label)


class SupplierContact(TimestampedModel):
    """A person to contact at a supplier. Personal data: shown only to logged-in members of a network and, for a
    need, to its buyer and the animators; every display is access-logged."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="contacts", verbose_name=_("structure")
    )
    full_name = models.CharField(_("nom"), max_length=150, validators=[validate_no_markup])
    position = models.CharField(_("fonction"), max_length=150, blank=True, validators=[validate_no_markup])
    email = models.EmailField(_("e-mail professionnel"), blank=True)
    phone = models.CharField(_("téléphone professionnel"), max_length=30, blank=True)

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.full_name


class SupplierClaim(TimestampedModel):
    """A supplier account's claim to manage an organisation, found or created by its SIRET; an animator verifies it
    before the account may edit the profile."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supplier_claims", verbose_name=_("compte")
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="claims", verbose_name=_("structure")
    )
    network = models.ForeignKey(
        "networks.Network", on_delete=models.PROTECT, related_name="supplier_claims", verbose_name=_("réseau")
    )
    message = models.TextField(_("message"), max_length=2000, blank=True, validators=[validate_no_markup])
    status = models.CharField(_("statut"), max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("décidée par"),
    )
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    reason = models.CharField(_("motif"), max_length=500, blank=True, validators=[validate_no_markup])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("revendication de structure")
        verbose_name_plural = _("revendications de structure")
        constraints = [
            # One open claim per account and organisation; a refused claim can be made again.
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=~Q(status=ClaimStatus.REJECTED),
                name="supplierclaim_one_open_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.organisation}"


class SupplierImport(TimestampedModel):
    """A bulk import of a supplier list (CSV/XLSX): the uploaded file, its column mapping, the preview and what
    applying it created, updated and rejected. Applying is all or nothing."""

    network = models.ForeignKey(
        "networks.Network", on_delete=models.PROTECT, related_name="supplier_imports", verbose_name=_("réseau")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("importé par")
    )
    file = models.FileField(_("fichier"), upload_to="suppliers/imports/")
    filename = models.CharField(_("nom du fichier"), max_length=255)
    column_mapping = models.JSONField(_("correspondance des colonnes"), default=dict, blank=True)
    status = models.CharField(_("statut"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.PREVIEWED)
    counts = models.JSONField(_("décompte"), default=dict, blank=True)
    error = models.TextField(_("erreur"), blank=True)
    applied_at = models.DateTimeField(_("appliqué le"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import de fournisseurs")
        verbose_name_plural = _("imports de fournisseurs")

    def __str__(self) -> str:
        return self.filename


class SupplierImportRow(models.Model):
    """One line of an import file and what happens (or happened) to it, with the reason of a rejection."""

    supplier_import = models.ForeignKey(SupplierImport, on_delete=models.CASCADE, related_name="rows")
    line = models.PositiveIntegerField(_("ligne"))
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    data = models.JSONField(_("données"), default=dict)
    outcome = models.CharField(_("résultat"), max_length=10, choices=ImportOutcome.choices)
    reason = models.CharField(_("motif"), max_length=500, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["supplier_import", "line"]
        verbose_name = _("ligne d'import")
        verbose_name_plural = _("lignes d'import")
        constraints = [
            models.UniqueConstraint(fields=["supplier_import", "line"], name="supplierimportrow_unique_line")
        ]

    def __str__(self) -> str:
        return f"{self.supplier_import} : ligne {self.line}"


# The directory's search index (ADR 0014) lives in its own module; importing it here registers the model.
from .index_models import SupplierIndexEntry  # noqa: E402, F401
