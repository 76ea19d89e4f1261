"""Reference tables loaded from the versioned files of `relais/reference/data/` (see its PROVENANCE.md).

They are never edited by hand in production: `manage.py load_reference` upserts them from the shipped files.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .enums import LabelKind


class CpvQuerySet(models.QuerySet["Cpv"]):
    def under(self, code: str) -> CpvQuerySet:
        """A code and everything below it in the hierarchy ("division 90 and everything under it")."""
        prefix = Cpv.prefix_of(code)
        return self.filter(code8__startswith=prefix)

    def search(self, text: str) -> CpvQuerySet:
        """Codes whose number starts with, or whose French or English label contains, the text."""
        text = text.strip()
        digits = text.replace("-", "")
        if digits.isdigit():
            return self.filter(code8__startswith=digits[:8])
        return self.filter(Q(label_fr__icontains=text) | Q(label_en__icontains=text) | Q(search_label__icontains=text))


class Cpv(models.Model):
    """A code of the Common Procurement Vocabulary, 2008 version (Regulation (EC) 213/2008)."""

    code = models.CharField(_("code"), max_length=10, unique=True)  # "03000000-1"
    code8 = models.CharField(_("code sans clé"), max_length=8, unique=True)
    check_digit = models.CharField(_("clé de contrôle"), max_length=1)
    division = models.CharField(_("division"), max_length=2, db_index=True)
    level = models.PositiveSmallIntegerField(_("niveau"))  # 1 = division … 7
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    label_fr = models.CharField(_("libellé"), max_length=400)
    label_en = models.CharField(_("libellé anglais"), max_length=400)
    # Folded (lower case, no accents) French label, so that "equitable" finds "équitable".
    search_label = models.CharField(max_length=400, editable=False, default="")

    objects = CpvQuerySet.as_manager()

    class Meta:
        ordering = ["code8"]
        verbose_name = _("code CPV")
        verbose_name_plural = _("codes CPV")

    def __str__(self) -> str:
        return f"{self.code} {self.label_fr}"

    @staticmethod
    def prefix_of(code: str) -> str:
        """Significant digits of a code: 90900000 → "909"; a division keeps its two digits."""
        code8 = code.replace("-", "")[:8]
        return code8.rstrip("0").ljust(2, "0") if code8 else code8

    @property
    def prefix(self) -> str:
        return self.prefix_of(self.code8)


class Region(models.Model):
    """A French région (INSEE Code officiel géographique, regions since 2016)."""

    code = models.CharField(_("code INSEE"), max_length=3, unique=True)
    name = models.CharField(_("nom"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("région")
        verbose_name_plural = _("régions")

    def __str__(self) -> str:
        return self.name


class Departement(models.Model):
    """A French département (INSEE Code officiel géographique)."""

    code = models.CharField(_("code INSEE"), max_length=3, unique=True)
    name = models.CharField(_("nom"), max_length=100)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="departements")

    class Meta:
        ordering = ["code"]
        verbose_name = _("département")
        verbose_name_plural = _("départements")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Theme(models.Model):
    """A purchasing theme of the managed list (collective catering, cleaning, green spaces…)."""

    slug = models.SlugField(_("identifiant"), max_length=60, unique=True)
    label = models.CharField(_("libellé"), max_length=120)
    label_en = models.CharField(_("libellé anglais"), max_length=120)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["position", "label"]
        verbose_name = _("thème")
        verbose_name_plural = _("thèmes")

    def __str__(self) -> str:
        return self.label


class Label(models.Model):
    """A label of the registry (EU Ecolabel, NF Environnement, Fairtrade…) and the CPV codes it is relevant to.

    Buyers may require a label in a specification only if they accept an equivalent one (Code de la commande
    publique R2111-12 to R2111-17): `equivalent_accepted` is always shown with the label."""

    slug = models.SlugField(_("identifiant"), max_length=60, unique=True)
    name = models.CharField(_("nom"), max_length=150)
    kind = models.CharField(_("nature"), max_length=20, choices=LabelKind.choices)
    issuer = models.CharField(_("organisme"), max_length=200, blank=True)
    # CPV prefixes (2 to 8 digits, no check digit) the label applies to; empty means any CPV.
    cpv_prefixes = models.JSONField(_("préfixes CPV"), default=list, blank=True)
    equivalent_accepted = models.BooleanField(_("équivalent accepté"), default=True)
    website = models.URLField(_("site web"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("label")
        verbose_name_plural = _("labels")

    def __str__(self) -> str:
        return self.name

    def applies_to(self, cpv_code: str) -> bool:
        code8 = cpv_code.replace("-", "")[:8]
        return not self.cpv_prefixes or any(code8.startswith(prefix) for prefix in self.cpv_prefixes)


class LegalRuleQuerySet(models.QuerySet["LegalRule"]):
    def in_force(self, on: dt.date) -> LegalRuleQuerySet:
        return self.filter(Q(valid_from__lte=on) & (Q(valid_until__isnull=True) | Q(valid_until__gte=on)))


class LegalRule(models.Model):
    """A dated legal value (threshold, obligation, default) with its legal reference.

    Rules change: each row is valid from one date to another (open-ended when `valid_until` is empty), and code
    asks for the value in force on a given date instead of holding literals.
    """

    kind = models.CharField(_("famille"), max_length=40)  # e.g. "eu_threshold", "spaser_threshold"
    code = models.CharField(_("code"), max_length=60)  # e.g. "supplies_services_local"
    label = models.CharField(_("libellé"), max_length=300)
    value = models.DecimalField(_("valeur"), max_digits=16, decimal_places=4, null=True, blank=True)
    unit = models.CharField(_("unité"), max_length=20, blank=True)
    valid_from = models.DateField(_("en vigueur du"))
    valid_until = models.DateField(_("en vigueur jusqu'au"), null=True, blank=True)
    legal_reference = models.CharField(_("référence juridique"), max_length=300)
    source = models.CharField(_("source"), max_length=300, blank=True)

    objects = LegalRuleQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "code", "valid_from"]
        verbose_name = _("règle juridique datée")
        verbose_name_plural = _("règles juridiques datées")
        constraints = [
            models.UniqueConstraint(fields=["kind", "code", "valid_from"], name="legalrule_unique_version"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="legalrule_valid_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.valid_from:%d/%m/%Y})"

    @classmethod
    def value_on(cls, kind: str, code: str, on: dt.date) -> Decimal | None:
        rule = cls.objects.in_force(on).filter(kind=kind, code=code).order_by("-valid_from").first()
        return rule.value if rule else None
