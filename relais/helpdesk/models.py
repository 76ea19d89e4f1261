"""Helpdesk ("guichet"): members' questions to their network, answered by its animators, and the FAQ built from
the answered ones (with the asker's consent, anonymised by an animator)."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from relais.core.models import TimestampedModel
from relais.core.validators import validate_no_markup

from .enums import FaqVisibility, QuestionCategory, QuestionStatus

DEFAULT_FIRST_ANSWER_DAYS = 5


class HelpdeskSettings(TimestampedModel):
    """Settings of one network's helpdesk: the first-answer target and the experts animators may assign."""

    network = models.OneToOneField(
        "networks.Network", on_delete=models.CASCADE, related_name="helpdesk_settings", verbose_name=_("réseau")
    )
    first_answer_days = models.PositiveSmallIntegerField(
        _("délai cible de première réponse (jours ouvrés)"),
        default=DEFAULT_FIRST_ANSWER_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    experts = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="helpdesk_expertises", verbose_name=_("experts")
    )

    class Meta:
        verbose_name = _("réglages du guichet")
        verbose_name_plural = _("réglages du guichet")
        constraints = [
            models.CheckConstraint(
                condition=Q(first_answer_days__gte=1) & Q(first_answer_days__lte=60),
                name="helpdesksettings_days_range",
            )
        ]

    def __str__(self) -> str:
        return f"Guichet — {self.network}"


class QuestionQuerySet(models.QuerySet["Question"]):
    def overdue(self, today: dt.date) -> QuestionQuerySet:
        """Open questions still without a first answer after their due date."""
        return self.filter(status__in=QuestionStatus.open(), first_answered_at__isnull=True, due_on__lt=today)


class Question(TimestampedModel):
    """A question asked by a person on behalf of their organisation. Private to that organisation (people with a
    role in the network for it) and to the network's animators (see perms.can_view_question)."""

    network = models.ForeignKey(
        "networks.Network", on_delete=models.PROTECT, related_name="questions", verbose_name=_("réseau")
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="questions", verbose_name=_("organisation")
    )
    asker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="questions_asked")
    category = models.CharField(_("catégorie"), max_length=20, choices=QuestionCategory.choices)
    theme = models.ForeignKey(
        "reference.Theme", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("thème")
    )
    cpv = models.ForeignKey(
        "reference.Cpv", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("code CPV")
    )
    title = models.CharField(_("titre"), max_length=200, validators=[validate_no_markup])
    text = models.TextField(_("question"), max_length=10000, validators=[validate_no_markup])
    status = models.CharField(_("statut"), max_length=20, choices=QuestionStatus.choices, default=QuestionStatus.NEW)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions_assigned",
        verbose_name=_("attribuée à"),
    )
    # Fixed when the question is asked: changing the network's target later does not move existing questions.
    due_on = models.DateField(_("première réponse attendue le"))
    first_answered_at = models.DateTimeField(_("première réponse le"), null=True, blank=True)
    closed_at = models.DateTimeField(_("close le"), null=True, blank=True)
    faq_consent = models.BooleanField(_("accord pour une entrée de FAQ anonymisée"), default=False)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("question au guichet")
        verbose_name_plural = _("questions au guichet")
        indexes = [
            models.Index(fields=["network", "status"], name="question_inbox"),
            models.Index(fields=["network", "organisation"], name="question_asker_org"),
        ]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: dt.date) -> bool:
        return self.status in QuestionStatus.open() and self.first_answered_at is None and self.due_on < today


class Message(TimestampedModel):
    """One message of the thread seen by the asker: an answer of the helpdesk or a reply of the asker's side."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_helpdesk = models.BooleanField(_("réponse du guichet"), default=False)
    body = models.TextField(_("message"), max_length=20000, validators=[validate_no_markup])

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"{self.question} — {self.created_at:%d/%m/%Y}"


class InternalNote(TimestampedModel):
    """A note of the helpdesk team on a question. A separate table from the thread, so that no query of the
    asker's page can ever pick one up."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="internal_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("note interne"), max_length=20000, validators=[validate_no_markup])

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("note interne")
        verbose_name_plural = _("notes internes")

    def __str__(self) -> str:
        return f"Note sur {self.question}"


def attachment_path(instance: QuestionAttachment, filename: str) -> str:
    # Never keep the uploaded name on disk: it is user input. The original name is stored separately.
    suffix = Path(filename).suffix.lower()[:8]
    return f"helpdesk/{uuid.uuid4().hex}{suffix}"


class QuestionAttachment(TimestampedModel):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(_("fichier"), upload_to=attachment_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")

    def __str__(self) -> str:
        return self.original_name


class FaqEntryQuerySet(models.QuerySet["FaqEntry"]):
    def published(self) -> FaqEntryQuerySet:
        """Entries still published: not withdrawn because the asker withdrew their consent."""
        return self.filter(withdrawn_at__isnull=True)

    def visible_to_networks(self, member_network_ids: set[int]) -> FaqEntryQuerySet:
        """Published entries that are public, plus members-only ones of the reader's networks."""
        return self.published().filter(Q(visibility=FaqVisibility.PUBLIC) | Q(network_id__in=member_network_ids))


class FaqEntry(TimestampedModel):
    """An anonymised question and its answer, published by an animator with the asker's consent, and withdrawn
    as soon as the asker withdraws it (services.question_set_consent)."""

    network = models.ForeignKey(
        "networks.Network", on_delete=models.PROTECT, related_name="faq_entries", verbose_name=_("réseau")
    )
    source_question = models.OneToOneField(
        Question, null=True, blank=True, on_delete=models.SET_NULL, related_name="faq_entry"
    )
    category = models.CharField(_("catégorie"), max_length=20, choices=QuestionCategory.choices)
    theme = models.ForeignKey(
        "reference.Theme", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("thème")
    )
    title = models.CharField(_("titre"), max_length=200, validators=[validate_no_markup])
    question_text = models.TextField(_("question"), max_length=10000, validators=[validate_no_markup])
    answer_text = models.TextField(_("réponse"), max_length=20000, validators=[validate_no_markup])
    visibility = models.CharField(
        _("visibilité"), max_length=20, choices=FaqVisibility.choices, default=FaqVisibility.MEMBERS
    )
    related_sheets = models.ManyToManyField(
        "casesheets.CaseSheet", blank=True, related_name="faq_entries", verbose_name=_("fiches liées")
    )
    related_documents = models.ManyToManyField(
        "documents.Document", blank=True, related_name="faq_entries", verbose_name=_("documents liés")
    )
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("publiée le"))
    # The row is kept when consent is withdrawn (out of every page, search, digest and the API, without index
    # rows) so that the animators can republish the same entry if the asker agrees again.
    withdrawn_at = models.DateTimeField(_("retirée le"), null=True, blank=True)

    objects = FaqEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at"]
        verbose_name = _("entrée de FAQ")
        verbose_name_plural = _("entrées de FAQ")
        indexes = [models.Index(fields=["visibility", "network"], name="faqentry_listing")]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=models.F("published_at")),
                name="faqentry_withdrawn_after_publication",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class FaqTerm(models.Model):
    """Inverted index of FAQ entries: one row per (entry, stemmed term), like casesheets.SheetTerm (ADR 0003)."""

    entry = models.ForeignKey(FaqEntry, on_delete=models.CASCADE, related_name="terms")
    term = models.CharField(max_length=40)
    weight = models.PositiveSmallIntegerField()
    in_title = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["term", "entry"], name="faqterm_lookup")]
        constraints = [models.UniqueConstraint(fields=["entry", "term"], name="faqterm_unique")]

    def __str__(self) -> str:
        return self.term
