"""Demo content of the helpdesk: questions of the demo member to the Réseau Grand Ouest, and FAQ entries.

Idempotent: a question is looked up by its title in its network, a FAQ entry by its title; nothing existing is
changed. Questions go through the real services (due date, answer timing, consent, FAQ index).
"""

from __future__ import annotations

from dataclasses import dataclass

from relais.accounts.models import User
from relais.helpdesk.enums import FaqVisibility, QuestionCategory
from relais.helpdesk.models import FaqEntry, Question
from relais.helpdesk.services import (
    faq_entry_publish,
    question_add_note,
    question_answer,
    question_ask,
    question_set_consent,
)
from relais.networks.models import Network
from relais.organisations.models import Organisation

from .accounts import ANIMATOR_EMAIL, MEMBER_EMAIL
from .directory import RGO


@dataclass(frozen=True)
class DemoQuestion:
    title: str
    category: str
    text: str
    answer: str = ""
    note: str = ""
    faq: tuple[str, str, str, str] | None = None  # title, question, answer, visibility


QUESTIONS = (
    DemoQuestion(
        title="Quel taux d'insertion pour notre marché de nettoyage des collèges ?",
        category=QuestionCategory.SOCIAL_CLAUSES,
        text=(
            "Le Département d'Ille-et-Vilaine relance son marché de nettoyage des collèges (4 lots, environ "
            "1,2 M€ HT sur 4 ans). Quel taux d'heures d'insertion retenir sans fragiliser la concurrence ?"
        ),
        answer=(
            "Pour le nettoyage, la main-d'œuvre représente 70 à 80 % du montant : un taux de 5 à 7 % des heures "
            "est courant. Rapprochez-vous du facilitateur de votre territoire pour calibrer lot par lot, et "
            "prévoyez les modalités de suivi mensuel des heures dans le CCAP."
        ),
        note="Voir la fiche REX du CD62 sur les collèges, chiffres très proches.",
        faq=(
            "Quel taux d'insertion retenir pour un marché de nettoyage ?",
            "Une collectivité relance un marché de nettoyage de bâtiments scolaires (plusieurs lots, environ "
            "1 M€ HT sur 4 ans). Quel taux d'heures d'insertion retenir sans fragiliser la concurrence ?",
            "Pour le nettoyage, la main-d'œuvre représente 70 à 80 % du montant : un taux de 5 à 7 % des heures "
            "est courant. Calibrez lot par lot avec le facilitateur de votre territoire et prévoyez le suivi "
            "mensuel des heures dans le CCAP.",
            FaqVisibility.PUBLIC,
        ),
    ),
    DemoQuestion(
        title="Critère environnemental obligatoire en 2026 : comment le pondérer ?",
        category=QuestionCategory.ENVIRONMENTAL,
        text=(
            "À partir du 21 août 2026, chaque marché doit comporter un critère environnemental. Pour un marché de "
            "fournitures de bureau, quelle pondération est raisonnable et comment la noter ?"
        ),
    ),
)


def load(*, networks: dict[str, Network], users: dict[str, User], organisations: dict[str, Organisation]) -> int:
    """Create the demo questions and FAQ entries that are missing; return how many objects were created."""
    network = networks.get(RGO)
    member, animator = users.get(MEMBER_EMAIL), users.get(ANIMATOR_EMAIL)
    organisation = organisations.get("cd35")
    if network is None or member is None or animator is None or organisation is None:
        return 0
    created = 0
    for spec in QUESTIONS:
        if Question.objects.filter(network=network, title=spec.title).exists():
            continue
        question = question_ask(
            network=network,
            organisation=organisation,
            asker=member,
            category=spec.category,
            title=spec.title,
            text=spec.text,
        )
        created += 1
        if spec.note:
            question_add_note(question=question, by=animator, body=spec.note)
        if spec.answer:
            question_answer(question=question, by=animator, body=spec.answer)
        if spec.faq and not FaqEntry.objects.filter(title=spec.faq[0]).exists():
            question_set_consent(question=question, by=member, consent=True)
            title, question_text, answer_text, visibility = spec.faq
            faq_entry_publish(
                question=question,
                by=animator,
                title=title,
                question_text=question_text,
                answer_text=answer_text,
                visibility=visibility,
            )
            created += 1
    return created
