"""Public contracts from the national open data (DECP): contracts and concessions, their holders and amendments,
and the record of every import run with what it could not read.

A contract is identified as the DECP does — buyer identifier + contract identifier — refined by its initial fields,
because real files reuse identifiers (empty, "0000…", one id for several lots): see `Contract.uid` and
`decp/identity.py`. Considerations are stored as booleans with a status, so that "unknown" (2019 format) is never
counted as "none".
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from relais.core.models import TimestampedModel

from .enums import (
    ConsiderationStatus,
    ContractKind,
    ContractType,
    Nature,
    Procedure,
    QualityFlag,
    QuarantineReason,
    RunStatus,
    SourceFormat,
)


class ImportRun(TimestampedModel):
    """One import of a DECP file: what was read, created, updated, left unchanged, flagged and quarantined, per
    defect kind, and how long it took. `position` is the number of records of the file already committed: an
    interrupted run (killed, crashed) resumes from there."""

    source_name = models.CharField(_("fichier"), max_length=255)
    source_size = models.BigIntegerField(_("taille (octets)"), default=0)
    # Size and SHA-256 of the file's first and last mebibytes: enough to recognise the same file when resuming
    # without reading 2 GB again.
    source_signature = models.CharField(_("signature du fichier"), max_length=64, db_index=True)
    source_format = models.CharField(_("format"), max_length=20, choices=SourceFormat.choices, blank=True)
    status = models.CharField(_("état"), max_length=20, choices=RunStatus.choices, default=RunStatus.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("demandé par")
    )
    started_at = models.DateTimeField(_("démarré le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    duration_seconds = models.FloatField(_("durée (s)"), default=0)
    position = models.BigIntegerField(_("enregistrements traités"), default=0)
    bytes_read = models.BigIntegerField(_("octets lus"), default=0)
    read = models.BigIntegerField(_("lus"), default=0)
    created = models.BigIntegerField(_("créés"), default=0)
    updated = models.BigIntegerField(_("mis à jour"), default=0)
    unchanged = models.BigIntegerField(_("inchangés"), default=0)
    flagged = models.BigIntegerField(_("avec défauts"), default=0)
    quarantined = models.BigIntegerField(_("en quarantaine"), default=0)
    # {"<QualityFlag value>": count} and {"<QuarantineReason value>": count}
    flag_counts = models.JSONField(_("défauts par nature"), default=dict)
    quarantine_counts = models.JSONField(_("quarantaine par motif"), default=dict)
    error = models.TextField(_("erreur"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import de données essentielles")
        verbose_name_plural = _("imports de données essentielles")

    def __str__(self) -> str:
        return f"{self.source_name} ({self.get_status_display()})"

    @property
    def percent_done(self) -> int:
        """Share of the file read, for the progress bar (a finished run is complete)."""
        if self.status == RunStatus.DONE:
            return 100
        return min(99, round(100 * self.bytes_read / self.source_size)) if self.source_size else 0

    @property
    def records_per_second(self) -> float:
        return self.read / self.duration_seconds if self.duration_seconds else 0.0

    def flag_rows(self) -> list[tuple[str, int]]:
        """(label, count) of each defect kind found, most frequent first."""
        labels = dict(QualityFlag.choices)
        rows = [(str(labels.get(int(code), code)), count) for code, count in self.flag_counts.items()]
        return sorted(rows, key=lambda row: (-row[1], row[0]))

    def quarantine_rows(self) -> list[tuple[str, int]]:
        labels = dict(QuarantineReason.choices)
        rows = [(str(labels.get(code, code)), count) for code, count in self.quarantine_counts.items()]
        return sorted(rows, key=lambda row: (-row[1], row[0]))


class QuarantinedRecord(models.Model):
    """A record that could not be read at all, kept with its raw text (truncated to 100,000 characters) and why."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="quarantine")
    position = models.BigIntegerField(_("position dans le fichier"))
    reason = models.CharField(_("motif"), max_length=20, choices=QuarantineReason.choices)
    detail = models.TextField(_("détail"), blank=True)
    raw_text = models.TextField(_("texte brut"), blank=True)

    class Meta:
        ordering = ["run", "position"]
        verbose_name = _("enregistrement en quarantaine")
        verbose_name_plural = _("enregistrements en quarantaine")
        constraints = [models.UniqueConstraint(fields=["run", "position"], name="quarantine_unique_position")]

    def __str__(self) -> str:
        return f"{self.run} · n° {self.position} ({self.get_reason_display()})"


class Contract(TimestampedModel):
    """A contract (marché) or concession as published in the DECP, normalised."""

    uid = models.CharField(_("clé d'identité"), max_length=40, unique=True)
    kind = models.CharField(_("type de contrat"), max_length=12, choices=ContractKind.choices)
    buyer_identifier = models.CharField(_("identifiant de l'acheteur"), max_length=40, blank=True)
    buyer_name = models.CharField(_("nom de l'acheteur"), max_length=255, blank=True)
    buyer = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contracts_bought",
        verbose_name=_("acheteur"),
        db_index=False,  # covered by the index (buyer, notified_year)
    )
    identifier = models.CharField(_("identifiant du marché"), max_length=100, blank=True)
    object = models.TextField(_("objet"), blank=True)
    nature = models.CharField(_("nature"), max_length=30, choices=Nature.choices, blank=True)
    procedure = models.CharField(_("procédure"), max_length=30, choices=Procedure.choices, blank=True)
    techniques = models.JSONField(_("techniques d'achat"), default=list, blank=True)
    execution_modalities = models.JSONField(_("modalités d'exécution"), default=list, blank=True)
    cpv = models.CharField(_("code CPV"), max_length=10, blank=True, db_index=True)
    cpv_division = models.CharField(_("division CPV"), max_length=2, blank=True)
    contract_type = models.CharField(_("catégorie"), max_length=10, choices=ContractType.choices, blank=True)
    amount = models.DecimalField(_("montant initial (€ HT)"), max_digits=20, decimal_places=2, null=True, blank=True)
    current_amount = models.DecimalField(
        _("montant après modifications (€ HT)"), max_digits=20, decimal_places=2, null=True, blank=True
    )
    duration_months = models.IntegerField(_("durée (mois)"), null=True, blank=True)
    notified_on = models.DateField(_("date de notification"), null=True, blank=True)
    notified_year = models.SmallIntegerField(_("année de notification"), null=True, blank=True)
    published_on = models.DateField(_("date de publication"), null=True, blank=True)
    place_code = models.CharField(_("lieu d'exécution (code)"), max_length=20, blank=True)
    place_type = models.CharField(_("lieu d'exécution (type de code)"), max_length=30, blank=True)
    departement = models.ForeignKey(
        "reference.Departement",
        to_field="code",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("département d'exécution"),
        db_index=False,  # covered by the index (departement, notified_year)
    )
    offers_received = models.IntegerField(_("offres reçues"), null=True, blank=True)
    price_form = models.CharField(_("forme du prix"), max_length=40, blank=True)
    innovative = models.BooleanField(_("marché innovant"), null=True, blank=True)
    framework_identifier = models.CharField(_("identifiant de l'accord-cadre"), max_length=100, blank=True)
    social_status = models.CharField(
        _("considérations sociales"), max_length=8, choices=ConsiderationStatus.choices, default="unknown"
    )
    social_clause = models.BooleanField(_("clause sociale"), default=False)
    social_criterion = models.BooleanField(_("critère social"), default=False)
    reserved = models.BooleanField(_("marché réservé"), default=False)
    environmental_status = models.CharField(
        _("considérations environnementales"), max_length=8, choices=ConsiderationStatus.choices, default="unknown"
    )
    environmental_clause = models.BooleanField(_("clause environnementale"), default=False)
    environmental_criterion = models.BooleanField(_("critère environnemental"), default=False)
    # Bit n set ⇔ defect QualityFlag(n) found; `defects` keeps each defect's detail.
    quality_flags = models.BigIntegerField(_("défauts"), default=0)
    defects = models.JSONField(_("détail des défauts"), default=list, blank=True)
    modifications_count = models.SmallIntegerField(_("nombre de modifications"), default=0)
    source_format = models.CharField(_("format source"), max_length=20, choices=SourceFormat.choices)
    content_hash = models.CharField(_("empreinte du contenu"), max_length=40)
    # Not indexed: every insert would maintain two more B-trees for a lookup made only when a run is deleted.
    first_run = models.ForeignKey(
        ImportRun,
        on_delete=models.PROTECT,
        related_name="contracts_created",
        verbose_name=_("importé par"),
        db_index=False,
    )
    last_run = models.ForeignKey(
        ImportRun,
        on_delete=models.PROTECT,
        related_name="contracts_updated",
        verbose_name=_("mis à jour par"),
        db_index=False,
    )
    source_position = models.BigIntegerField(_("position dans le fichier source"), default=0)
    # The contract's search terms as a JSON list, written by the import (ADR 0013): its `ContractTerm` rows are
    # then made set-based, in SQL, once per run (`search.index_contracts_of_run`), without re-reading the words.
    search_terms = models.TextField(_("termes de recherche"), blank=True, default="", editable=False)

    class Meta:
        ordering = ["-notified_on", "-pk"]
        verbose_name = _("marché public")
        verbose_name_plural = _("marchés publics")
        indexes = [
            models.Index(fields=["buyer_identifier", "identifier"], name="contract_decp_id"),
            # A buyer's contracts since a date (the legal checks of its dashboard), by SIRET or by SIREN: on
            # PostgreSQL the pattern operator class also serves the SIREN's prefix (`LIKE '123456789%'`) whatever
            # the database's collation (without it, a SIREN's dashboard scanned the table: 950 ms at 1.5 M).
            models.Index(
                fields=["buyer_identifier", "notified_on"],
                name="contract_buyer_notified",
                opclasses=["varchar_pattern_ops", "date_ops"],
            ),
            models.Index(fields=["buyer", "notified_year"], name="contract_buyer_year"),
            models.Index(fields=["departement", "notified_year"], name="contract_dep_year"),
            models.Index(fields=["notified_on"], name="contract_notified_on"),
            # A search by amount alone (ADR 0011; the other filters are answered by `ContractTerm`).
            models.Index(fields=["amount"], name="contract_amount"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(social_status="some") | Q(social_clause=False, social_criterion=False, reserved=False),
                name="contract_social_only_when_some",
            ),
            models.CheckConstraint(
                condition=Q(environmental_status="some") | Q(environmental_clause=False, environmental_criterion=False),
                name="contract_environmental_only_when_some",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.identifier or '—'} · {self.object[:80]}"

    def has_flag(self, flag: QualityFlag) -> bool:
        return bool(self.quality_flags >> int(flag) & 1)

    @property
    def flag_labels(self) -> list[str]:
        return [str(label) for value, label in QualityFlag.choices if self.quality_flags >> int(value) & 1]


class ContractHolder(models.Model):
    """A holder (titulaire) of the contract or concession holder, in the order given by the file."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="holders")
    rank = models.SmallIntegerField(_("rang"))
    identifier = models.CharField(_("identifiant"), max_length=40, blank=True)
    id_type = models.CharField(_("type d'identifiant"), max_length=10, blank=True)
    name = models.CharField(_("dénomination"), max_length=255, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contracts_held",
        verbose_name=_("organisation"),
    )

    class Meta:
        ordering = ["contract", "rank"]
        verbose_name = _("titulaire")
        verbose_name_plural = _("titulaires")
        constraints = [models.UniqueConstraint(fields=["contract", "rank"], name="holder_unique_rank")]

    def __str__(self) -> str:
        return self.name or self.identifier


class ContractModification(models.Model):
    """An amendment, in the order the DECP numbers them (else by notification date)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="modifications")
    rank = models.SmallIntegerField(_("rang"))
    number = models.IntegerField(_("numéro"), null=True, blank=True)
    notified_on = models.DateField(_("date de notification"), null=True, blank=True)
    published_on = models.DateField(_("date de publication"), null=True, blank=True)
    duration_months = models.IntegerField(_("nouvelle durée (mois)"), null=True, blank=True)
    amount = models.DecimalField(_("nouveau montant (€ HT)"), max_digits=20, decimal_places=2, null=True, blank=True)
    holders = models.JSONField(_("nouveaux titulaires"), default=list, blank=True)
    object = models.TextField(_("objet de la modification"), blank=True)

    class Meta:
        ordering = ["contract", "rank"]
        verbose_name = _("modification")
        verbose_name_plural = _("modifications")
        constraints = [models.UniqueConstraint(fields=["contract", "rank"], name="modification_unique_rank")]

    def __str__(self) -> str:
        return f"Modification {self.number if self.number is not None else self.rank + 1}"


# Pre-aggregated indicator cubes (issue 4). They are rebuilt from `Contract` by `cubes.indicators_refresh()` after
# each import; `indicators.py`, `compliance.py` and `spaser.py` read them. Every cube has the same measures: counts of
# contracts, value sums over plausible amounts only (0 ≤ amount ≤ `decp.records.MAX_PLAUSIBLE_AMOUNT`; absent,
# negative and absurd amounts count in the numbers, never in the values), and the counts of the legal checks.
# Breakdowns are stored as grouping sets: a row per (…, year, dimension, key), where `dimension` is "" for the total
# of the year or the breakdown ("cpv_division", "contract_type", "procedure") and `key` its value ("" when the
# contracts do not give it). A page thus reads a few hundred rows whatever the scope's size.


class CubeMeasures(models.Model):
    """What each group of contracts of a cube holds.

    Considerations: `*_known` counts contracts whose status is known ("none" or "some"); the 2019 format has no such
    field, so "unknown" is never counted as "none". `value_*` are the same measures summed over plausible amounts.
    Legal checks (see `compliance.py`): `art35_*` counts contracts notified from the date of art. 35 of the Climate
    and Resilience law, defence and security excluded, and those among them with no environmental consideration or
    an unknown one; `eu_above*` counts contracts at or above the EU threshold in force on their notification date
    (all dates), `eu_bound*` those of them notified from the date the social condition became compulsory.
    """

    contracts = models.IntegerField(_("marchés"), default=0)
    social_known = models.IntegerField(_("considérations sociales connues"), default=0)
    social_some = models.IntegerField(_("au moins une considération sociale"), default=0)
    social_clause = models.IntegerField(_("clause sociale"), default=0)
    social_criterion = models.IntegerField(_("critère social"), default=0)
    reserved = models.IntegerField(_("marchés réservés"), default=0)
    environmental_known = models.IntegerField(_("considérations environnementales connues"), default=0)
    environmental_some = models.IntegerField(_("au moins une considération environnementale"), default=0)
    environmental_clause = models.IntegerField(_("clause environnementale"), default=0)
    environmental_criterion = models.IntegerField(_("critère environnemental"), default=0)
    innovative_known = models.IntegerField(_("caractère innovant connu"), default=0)
    innovative = models.IntegerField(_("marchés innovants"), default=0)
    valued = models.IntegerField(_("marchés au montant plausible"), default=0)
    value = models.DecimalField(_("montant (€ HT)"), max_digits=22, decimal_places=2, default=0)
    value_social_known = models.DecimalField(
        _("montant : considérations sociales connues"), max_digits=22, decimal_places=2, default=0
    )
    value_social_some = models.DecimalField(
        _("montant : au moins une considération sociale"), max_digits=22, decimal_places=2, default=0
    )
    value_social_clause = models.DecimalField(_("montant : clause sociale"), max_digits=22, decimal_places=2, default=0)
    value_social_criterion = models.DecimalField(
        _("montant : critère social"), max_digits=22, decimal_places=2, default=0
    )
    value_reserved = models.DecimalField(_("montant : marchés réservés"), max_digits=22, decimal_places=2, default=0)
    value_environmental_known = models.DecimalField(
        _("montant : considérations environnementales connues"), max_digits=22, decimal_places=2, default=0
    )
    value_environmental_some = models.DecimalField(
        _("montant : au moins une considération environnementale"), max_digits=22, decimal_places=2, default=0
    )
    value_environmental_clause = models.DecimalField(
        _("montant : clause environnementale"), max_digits=22, decimal_places=2, default=0
    )
    value_environmental_criterion = models.DecimalField(
        _("montant : critère environnemental"), max_digits=22, decimal_places=2, default=0
    )
    value_innovative_known = models.DecimalField(
        _("montant : caractère innovant connu"), max_digits=22, decimal_places=2, default=0
    )
    value_innovative = models.DecimalField(_("montant : marchés innovants"), max_digits=22, decimal_places=2, default=0)
    art35_checked = models.IntegerField(_("soumis à l'art. 35 (environnement)"), default=0)
    art35_environmental_none = models.IntegerField(_("art. 35 : sans considération environnementale"), default=0)
    art35_environmental_unknown = models.IntegerField(_("art. 35 : considération environnementale inconnue"), default=0)
    eu_above = models.IntegerField(_("au-dessus du seuil européen"), default=0)
    eu_above_social_none = models.IntegerField(_("seuil européen : sans considération sociale"), default=0)
    eu_above_social_unknown = models.IntegerField(_("seuil européen : considération sociale inconnue"), default=0)
    eu_bound = models.IntegerField(_("au-dessus du seuil européen, condition sociale obligatoire"), default=0)
    eu_bound_social_none = models.IntegerField(
        _("condition sociale obligatoire : sans considération sociale"), default=0
    )
    eu_bound_social_unknown = models.IntegerField(
        _("condition sociale obligatoire : considération sociale inconnue"), default=0
    )

    class Meta:
        abstract = True


class BuyerCube(CubeMeasures):
    """The base cube: contracts of one buyer identifier (a SIRET as published), notified in one year, executed in one
    département, of one CPV division, contract type and procedure ("" when not given). It is the only cube read from
    `Contract` (one pass); the others are sums of it. Pages do not read it, so it has no index to maintain.

    `buyer_siren` is the identifier's first nine characters when it has 14 (a SIRET), else the identifier itself: it
    gathers the establishments of one legal person. `buyer_name` is one of the names the buyer published (the last in
    alphabetical order: names vary from one file to another)."""

    buyer_identifier = models.CharField(_("identifiant de l'acheteur"), max_length=40)
    buyer_siren = models.CharField(_("SIREN de l'acheteur"), max_length=40)
    buyer_name = models.CharField(_("nom de l'acheteur"), max_length=255, blank=True)
    year = models.SmallIntegerField(_("année de notification"))
    departement_code = models.CharField(_("département d'exécution"), max_length=3)
    cpv_division = models.CharField(_("division CPV"), max_length=2)
    contract_type = models.CharField(_("catégorie"), max_length=10)
    procedure = models.CharField(_("procédure"), max_length=30)

    class Meta:
        verbose_name = _("cube de base des indicateurs")
        verbose_name_plural = _("cubes de base des indicateurs")

    def __str__(self) -> str:
        return f"{self.buyer_identifier} · {self.year} · {self.departement_code or '—'} · {self.cpv_division or '—'}"


class BuyerYearCube(CubeMeasures):
    """Contracts of one buyer identifier notified in one year and executed in one département ("" when none is
    known), all breakdowns together: buyers' and networks' totals, per-buyer compliance rates and the SPASER estimate
    read it."""

    buyer_identifier = models.CharField(_("identifiant de l'acheteur"), max_length=40)
    buyer_siren = models.CharField(_("SIREN de l'acheteur"), max_length=40)
    buyer_name = models.CharField(_("nom de l'acheteur"), max_length=255, blank=True)
    year = models.SmallIntegerField(_("année de notification"))
    departement_code = models.CharField(_("département d'exécution"), max_length=3)

    class Meta:
        verbose_name = _("cube d'indicateurs par acheteur et année")
        verbose_name_plural = _("cubes d'indicateurs par acheteur et année")
        constraints = [
            models.UniqueConstraint(
                fields=["buyer_identifier", "year", "departement_code"], name="buyeryearcube_unique_group"
            )
        ]
        indexes = [
            models.Index(fields=["buyer_siren", "year"], name="buyeryearcube_siren_year"),
            models.Index(fields=["year", "buyer_siren"], name="buyeryearcube_year_siren"),
            models.Index(fields=["departement_code", "year"], name="buyeryearcube_dep_year"),
        ]

    def __str__(self) -> str:
        return f"{self.buyer_identifier} · {self.year} · {self.departement_code or '—'}"


class BuyerBreakdownCube(CubeMeasures):
    """Contracts of one buyer identifier notified in one year, per value (`key`) of one breakdown (`dimension`:
    "cpv_division", "contract_type" or "procedure"), every département together: buyers' and networks' breakdowns."""

    buyer_identifier = models.CharField(_("identifiant de l'acheteur"), max_length=40)
    buyer_siren = models.CharField(_("SIREN de l'acheteur"), max_length=40)
    year = models.SmallIntegerField(_("année de notification"))
    dimension = models.CharField(_("ventilation"), max_length=20)
    key = models.CharField(_("valeur"), max_length=30)

    class Meta:
        verbose_name = _("cube d'indicateurs ventilés par acheteur")
        verbose_name_plural = _("cubes d'indicateurs ventilés par acheteur")
        constraints = [
            models.UniqueConstraint(
                fields=["buyer_identifier", "dimension", "year", "key"], name="buyerbreakdowncube_unique_group"
            )
        ]
        indexes = [models.Index(fields=["buyer_siren", "dimension", "year"], name="buyerbreakdowncube_siren")]

    def __str__(self) -> str:
        return f"{self.buyer_identifier} · {self.year} · {self.dimension} {self.key or '—'}"


class TerritoryCube(CubeMeasures):
    """Contracts executed in one territory, notified in one year, in total (`dimension` "") or per value (`key`) of
    one breakdown. `level` is "departement" (`code` its INSEE code, "" for contracts whose place of execution gives
    none), "region" (its INSEE code) or "country" (`code` ""). The country counts every contract, those without a
    département included; a région the contracts of its départements."""

    level = models.CharField(_("échelon"), max_length=12)
    code = models.CharField(_("code du territoire"), max_length=3)
    year = models.SmallIntegerField(_("année de notification"))
    dimension = models.CharField(_("ventilation"), max_length=20)
    key = models.CharField(_("valeur"), max_length=30)

    class Meta:
        verbose_name = _("cube d'indicateurs par territoire")
        verbose_name_plural = _("cubes d'indicateurs par territoire")
        constraints = [
            models.UniqueConstraint(
                fields=["level", "code", "dimension", "year", "key"], name="territorycube_unique_group"
            )
        ]

    def __str__(self) -> str:
        return f"{self.level} {self.code or '—'} · {self.year} · {self.dimension or 'total'} {self.key}".rstrip()


class NetworkCube(CubeMeasures):
    """A network's contracts per year, in total (`dimension` "") or per value (`key`) of one breakdown: the sums of
    its members' rows of the buyer cubes, computed at refresh time for the members of that moment. `NetworkCubeState`
    says which members; readers fall back on the buyer cubes when the membership has changed since."""

    network = models.ForeignKey("networks.Network", on_delete=models.CASCADE, related_name="+")
    year = models.SmallIntegerField(_("année de notification"))
    dimension = models.CharField(_("ventilation"), max_length=20)
    key = models.CharField(_("valeur"), max_length=30)

    class Meta:
        verbose_name = _("cube d'indicateurs par réseau")
        verbose_name_plural = _("cubes d'indicateurs par réseau")
        constraints = [
            models.UniqueConstraint(fields=["network", "dimension", "year", "key"], name="networkcube_unique_group")
        ]

    def __str__(self) -> str:
        return f"{self.network_id} · {self.year} · {self.dimension or 'total'} {self.key}".rstrip()


class NetworkCubeState(models.Model):
    """The members a network's cube rows were computed from: a SHA-256 of their sorted SIRENs."""

    network = models.OneToOneField("networks.Network", on_delete=models.CASCADE, related_name="+")
    members_signature = models.CharField(_("empreinte des adhérents"), max_length=64)
    refreshed_at = models.DateTimeField(_("calculé le"))

    class Meta:
        verbose_name = _("état du cube d'un réseau")
        verbose_name_plural = _("états des cubes des réseaux")

    def __str__(self) -> str:
        return f"{self.network_id} · {self.refreshed_at:%d/%m/%Y %H:%M} UTC"


class IndicatorRefresh(models.Model):
    """One rebuild of the cubes: when, how long, from how many contracts, into how many rows. Pages show the date of
    the latest one ("indicateurs calculés le …")."""

    finished_at = models.DateTimeField(_("calculés le"))
    duration_seconds = models.FloatField(_("durée (s)"), default=0)
    contracts = models.BigIntegerField(_("marchés agrégés"), default=0)
    rows = models.JSONField(_("lignes par cube"), default=dict)
    # Buyers whose rows were rebuilt (after an import that touched only them), or None for a full rebuild.
    buyers = models.IntegerField(_("acheteurs recalculés"), null=True, blank=True)
    # The legal rules the checks were computed with (`cubes.rules_fingerprint`): when they change, the next refresh
    # rebuilds every buyer's rows, not only the buyers an import touched.
    rules_fingerprint = models.CharField(_("empreinte des règles"), max_length=64, blank=True, default="")

    class Meta:
        ordering = ["-finished_at", "-pk"]
        get_latest_by = "finished_at"
        verbose_name = _("calcul des indicateurs")
        verbose_name_plural = _("calculs des indicateurs")

    def __str__(self) -> str:
        return f"{self.finished_at:%d/%m/%Y %H:%M} UTC ({self.contracts} marchés)"


class ContractTerm(models.Model):
    """Posting lists of the contract search (ADR 0011): one row per (contract, term), kept by
    `search.reindex_contracts`, which the loader calls for every batch it writes.

    Terms are the stemmed words of the object, the words of the buyer's and holders' names ("a:", "t:") and one
    term per filter value ("c:555" for each level of the CPV code, "d:35", "s:clause", "h:<SIRET>"…). Each row
    carries the contract's sort key and plausible amount, so that a search is answered from the (term, sort key,
    amount) index alone — newest first, date and amount ranges included — without reading the contracts, whose
    rows are wide. The (contract, term) primary key replaces a surrogate id (tens of millions of rows) and serves
    deletions.

    The rows are derived data, written only by the index functions of `search.py` from the contracts themselves:
    no foreign-key constraint in the database (ADR 0018). Checking ~25 rows per contract against `Contract` cost
    more than writing them (25 of 40 s at 150,000 contracts on PostgreSQL); deleting a contract through the ORM
    still deletes its rows (`CASCADE` is applied by Django)."""

    pk = models.CompositePrimaryKey("contract_id", "term")
    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    term = models.CharField(max_length=40)
    # (day of notification << 32) | contract id — see `search.sort_key`: one column both orders the lists newest
    # first and identifies the contract, so that intersecting two lists is a join on one column.
    sort_key = models.BigIntegerField()
    # Initial amount in cents when plausible (0 to 10 billion euros), else NULL: amount filters ignore the others.
    amount_cents = models.BigIntegerField(null=True)

    class Meta:
        verbose_name = _("mot indexé d'un marché")
        verbose_name_plural = _("mots indexés des marchés")
        indexes = [models.Index(fields=["term", "sort_key", "amount_cents"], name="contractterm_lookup")]

    def __str__(self) -> str:
        return self.term
