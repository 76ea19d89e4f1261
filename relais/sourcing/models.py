"""Sourcing needs posted by buyers, validated by an animator, and the suppliers matched to them with their answers."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from relais.core.models import TimestampedModel
from relais.core.validators import validate_no_markup

from .enums import Answer, NeedKind, NeedStatus


class SourcingNeed(TimestampedModel):
    """A buyer's need (sourcing, upcoming tender, quote request, market-engagement meeting) in one network.

    Matching suppliers are notified only once an animator has validated it, in batches, until `interested_target`
    suppliers said they are interested."""

    network = models.ForeignKey(
        "networks.Network", on_delete=models.PROTECT, related_name="sourcing_needs", verbose_name=_("réseau")
    )
    buyer = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="sourcing_needs",
        verbose_name=_("acheteur"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sourcing_needs", verbose_name=_("auteur")
    )
    kind = models.CharField(_("nature du besoin"), max_length=20, choices=NeedKind.choices)
    event = models.ForeignKey(
        "events.Event",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sourcing_needs",
        verbose_name=_("événement"),
    )
    title = models.CharField(_("titre"), max_length=200, validators=[validate_no_markup])
    description = models.TextField(_("description"), max_length=5000, validators=[validate_no_markup])
    cpvs = models.ManyToManyField("reference.Cpv", blank=True, related_name="+", verbose_name=_("codes CPV"))
    themes = models.ManyToManyField("reference.Theme", blank=True, related_name="+", verbose_name=_("thèmes"))
    place = models.ForeignKey(
        "reference.Departement", on_delete=models.PROTECT, related_name="+", verbose_name=_("lieu d'exécution")
    )
    place_city = models.CharField(_("commune"), max_length=120, blank=True, validators=[validate_no_markup])
    latitude = models.FloatField(
        _("latitude"), null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.FloatField(
        _("longitude"), null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    estimated_amount = models.DecimalField(
        _("montant estimé (€ HT)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    answer_deadline = models.DateField(_("réponses attendues avant le"))
    tender_date = models.DateField(_("publication prévue de la consultation"), null=True, blank=True)
    # Lists of `organisations.StructureType` and `suppliers.ServiceKind` codes; empty means "any".
    structure_types = models.JSONField(_("types de structure recherchés"), default=list, blank=True)
    service_kinds = models.JSONField(_("types de prestation"), default=list, blank=True)
    interested_target = models.PositiveSmallIntegerField(
        _("nombre de fournisseurs intéressés visé"), default=5, validators=[MinValueValidator(1)]
    )
    status = models.CharField(_("statut"), max_length=20, choices=NeedStatus.choices, default=NeedStatus.SUBMITTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("validé ou refusé par"),
    )
    decided_at = models.DateTimeField(_("validé ou refusé le"), null=True, blank=True)
    rejection_reason = models.CharField(
        _("motif du refus"), max_length=500, blank=True, validators=[validate_no_markup]
    )
    closed_at = models.DateTimeField(_("clos le"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("besoin de sourçage")
        verbose_name_plural = _("besoins de sourçage")
        indexes = [models.Index(fields=["network", "status"], name="sourcingneed_network_status")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (Q(latitude__isnull=False) & Q(longitude__isnull=False)),
                name="sourcingneed_coordinates_together",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class NeedAttachment(TimestampedModel):
    """A file attached to a need (specifications, plans). Served through a permission-checked view only."""

    need = models.ForeignKey(SourcingNeed, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("fichier"), upload_to="sourcing/attachments/")
    filename = models.CharField(_("nom du fichier"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("taille (octets)"))

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")

    def __str__(self) -> str:
        return self.filename


class NeedMatch(TimestampedModel):
    """A supplier matched to a need: when it was notified (batch), opened the need, was reminded, and its answer."""

    need = models.ForeignKey(SourcingNeed, on_delete=models.CASCADE, related_name="matches")
    supplier = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="need_matches", verbose_name=_("structure")
    )
    score = models.PositiveSmallIntegerField(_("pertinence"), default=0)
    batch = models.PositiveSmallIntegerField(_("vague d'envoi"), null=True, blank=True)
    notified_at = models.DateTimeField(_("notifié le"), null=True, blank=True)
    opened_at = models.DateTimeField(_("consulté le"), null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(
        _("relances envoyées"), default=0, validators=[MaxValueValidator(2)]
    )
    last_reminded_at = models.DateTimeField(_("dernière relance le"), null=True, blank=True)
    answer = models.CharField(_("réponse"), max_length=20, choices=Answer.choices, blank=True)
    reason = models.CharField(_("motif"), max_length=500, blank=True, validators=[validate_no_markup])
    answered_at = models.DateTimeField(_("répondu le"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["need", "-score", "pk"]
        verbose_name = _("fournisseur sollicité")
        verbose_name_plural = _("fournisseurs sollicités")
        constraints = [
            models.UniqueConstraint(fields=["need", "supplier"], name="needmatch_unique"),
            models.CheckConstraint(condition=Q(reminders_sent__lte=2), name="needmatch_at_most_two_reminders"),
        ]

    def __str__(self) -> str:
        return f"{self.need} — {self.supplier}"
