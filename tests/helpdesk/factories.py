"""Factories of the helpdesk, with named traits."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from relais.helpdesk.enums import FaqVisibility, QuestionCategory, QuestionStatus
from relais.helpdesk.models import FaqEntry, Question
from relais.helpdesk.search import reindex_faq_entry

from ..factories import NetworkFactory, OrganisationFactory, UserFactory


class QuestionFactory(DjangoModelFactory[Question]):
    class Meta:
        model = Question

    network = factory.SubFactory(NetworkFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    asker = factory.SubFactory(UserFactory)
    category = QuestionCategory.SOCIAL_CLAUSES
    title = factory.Sequence(lambda n: f"Calibrer une clause d'insertion n°{n}")
    text = "Quel taux d'insertion retenir pour un marché de nettoyage de 300 k€ HT sur 4 ans ?"
    due_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=7))

    class Params:
        answered = factory.Trait(status=QuestionStatus.ANSWERED, first_answered_at=factory.LazyFunction(timezone.now))
        closed = factory.Trait(
            status=QuestionStatus.CLOSED,
            first_answered_at=factory.LazyFunction(timezone.now),
            closed_at=factory.LazyFunction(timezone.now),
        )
        consented = factory.Trait(faq_consent=True)


class FaqEntryFactory(DjangoModelFactory[FaqEntry]):
    class Meta:
        model = FaqEntry
        skip_postgeneration_save = True

    network = factory.SubFactory(NetworkFactory)
    category = QuestionCategory.SOCIAL_CLAUSES
    title = factory.Sequence(lambda n: f"Quel taux pour une clause d'insertion ? n°{n}")
    question_text = "Quel taux d'insertion retenir pour un marché de nettoyage ?"
    answer_text = "Entre 5 et 10 % des heures travaillées, selon la part de main-d'œuvre du marché."
    visibility = FaqVisibility.PUBLIC
    published_by = factory.SubFactory(UserFactory)
    published_at = factory.LazyFunction(timezone.now)

    class Params:
        members_only = factory.Trait(visibility=FaqVisibility.MEMBERS)

    @factory.post_generation
    def index(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            reindex_faq_entry(self)
