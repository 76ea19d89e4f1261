"""Working groups of a network: thematic groups of members that meet and end with a synthesis guide."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from relais.core.models import TimestampedModel
from relais.core.validators import validate_no_markup

from .enums import DeliverableKind, Publication, WorkGroupStatus


class WorkGroupQuerySet(models.QuerySet["WorkGroup"]):
    def of_networks(self, network_ids: set[int]) -> WorkGroupQuerySet:
        return self.filter(network_id__in=network_ids)

    def open(self) -> WorkGroupQuerySet:
        return self.filter(status=WorkGroupStatus.OPEN)


class WorkGroup(TimestampedModel):
    network = models.ForeignKey(
        "networks.Network", on_delete=models.PROTECT, related_name="workgroups", verbose_name=_("réseau")
    )
    title = models.CharField(_("titre"), max_length=200, validators=[validate_no_markup])
    theme = models.ForeignKey(
        "reference.Theme", on_delete=models.PROTECT, related_name="workgroups", verbose_name=_("thème")
    )
    cpvs = models.ManyToManyField("reference.Cpv", blank=True, related_name="workgroups", verbose_name=_("codes CPV"))
    description = models.TextField(_("description"), validators=[validate_no_markup])
    co_pilot = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="copiloted_workgroups",
        verbose_name=_("organisation co-pilote"),
    )
    animator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="animated_workgroups",
        verbose_name=_("animateur"),
    )
    status = models.CharField(_("statut"), max_length=20, choices=WorkGroupStatus.choices, default=WorkGroupStatus.OPEN)
    started_at = models.DateTimeField(_("lancé le"), null=True, blank=True)
    closed_at = models.DateTimeField(_("clos le"), null=True, blank=True)

    objects = WorkGroupQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("groupe de travail")
        verbose_name_plural = _("groupes de travail")
        indexes = [models.Index(fields=["network", "status"], name="workgroup_listing")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=WorkGroupStatus.CLOSED) | Q(closed_at__isnull=False),
                name="workgroup_closed_has_date",
            ),
            models.UniqueConstraint(fields=["network", "title"], name="workgroup_unique_title_per_network"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == WorkGroupStatus.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == WorkGroupStatus.CLOSED


class WorkGroupParticipant(TimestampedModel):
    """A person taking part in a group: joined by themselves (`added_by` empty) or added by an animator."""

    group = models.ForeignKey(WorkGroup, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workgroup_participations"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="workgroupparticipant_unique")]

    def __str__(self) -> str:
        return f"{self.user} — {self.group}"


class Meeting(TimestampedModel):
    """A meeting of a group, online (link) or in a venue — at least one of the two."""

    group = models.ForeignKey(WorkGroup, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField(_("date et heure"))
    online_url = models.URLField(_("lien de la réunion en ligne"), blank=True)
    venue = models.CharField(_("lieu"), max_length=300, blank=True, validators=[validate_no_markup])
    agenda = models.TextField(_("ordre du jour"), blank=True, validators=[validate_no_markup])
    minutes = models.TextField(_("compte rendu"), blank=True, validators=[validate_no_markup])

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("réunion")
        verbose_name_plural = _("réunions")
        constraints = [
            models.CheckConstraint(
                condition=~Q(online_url="") | ~Q(venue=""),
                name="meeting_link_or_venue",
                violation_error_message=_("Indiquez le lien de la réunion en ligne ou son lieu (l'un des deux)."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} — {self.starts_at:%d/%m/%Y %H:%M}"


class WorkGroupDeliverable(TimestampedModel):
    """What a group produces — usually a synthesis guide with recommendations — published to the network's
    members or to the public."""

    group = models.ForeignKey(WorkGroup, on_delete=models.PROTECT, related_name="deliverables")
    kind = models.CharField(
        _("nature"), max_length=30, choices=DeliverableKind.choices, default=DeliverableKind.SYNTHESIS_GUIDE
    )
    title = models.CharField(_("titre"), max_length=200, validators=[validate_no_markup])
    summary = models.TextField(_("résumé"), validators=[validate_no_markup])
    recommendations = models.TextField(_("préconisations"), blank=True, validators=[validate_no_markup])
    publication = models.CharField(
        _("publication"), max_length=20, choices=Publication.choices, default=Publication.MEMBERS
    )
    published_on = models.DateField(_("publié le"))
    # The file of the deliverable, shared in the network's document library with the same audience.
    document = models.ForeignKey(
        "documents.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="workgroup_deliverables",
        verbose_name=_("document de la bibliothèque"),
    )

    class Meta:
        ordering = ["-published_on", "-created_at"]
        verbose_name = _("livrable")
        verbose_name_plural = _("livrables")

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.publication == Publication.PUBLIC
