"""The search index of the directory: rows derived from the suppliers' activities and texts (ADR 0014).

Imported by `models.py` so that Django registers it; built and rebuilt only by `relais.suppliers.index`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SupplierIndexEntry(models.Model):
    """One key of a supplier, for the matching of needs and the directory search.

    An activity row says what the activity does (`what`): `*` (anything), `c<code>` (it has this CPV code),
    `p<prefix>` (it has a code at or under this prefix of significant digits), `t<theme slug>`; and one place where
    it works (`area`): `FR`, `R<région>`, `D<département>`, `r<département>` (a radius around an address in that
    département) and `g<size>/<row>/<column>` (a radius, by the grid cell of the supplier's coordinates). One row
    per pair, so a need ("this CPV in this place") is a few index seeks whatever the size of the directory. Radius
    rows carry the radius and the supplier's coordinates for the exact distance; `detail` is the row's CPV code or
    theme. Organisation rows (`activity` and `area` empty): `w:<stem>`, the words of the name, the description and
    the activity titles.

    Structure types, labels and the public listing are not copied here: they are read from their own tables. Never
    edited by hand: `supplier_reindex` rewrites the rows of an organisation."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    activity = models.ForeignKey(
        "suppliers.SupplierActivity", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    what = models.CharField(_("quoi"), max_length=100)
    area = models.CharField(_("où"), max_length=30, blank=True)
    detail = models.CharField(_("code ou thème"), max_length=60, blank=True)
    service_kind = models.CharField(_("type de prestation"), max_length=20, blank=True)
    radius_km = models.PositiveIntegerField(_("rayon (km)"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        verbose_name = _("entrée de l'index des fournisseurs")
        verbose_name_plural = _("entrées de l'index des fournisseurs")
        indexes = [
            # Covering: a need's rows are read from this index alone, in key order (no visit of the table).
            models.Index(
                fields=[
                    "what",
                    "area",
                    "service_kind",
                    "organisation",
                    "activity",
                    "detail",
                    "radius_km",
                    "latitude",
                    "longitude",
                ],
                name="supplierindex_what_area",
            ),
            # The rows of an organisation: rewritten at each reindex.
            models.Index(fields=["organisation"], name="supplierindex_organisation"),
        ]

    def __str__(self) -> str:
        return f"{self.what} {self.area}".strip()
