"""A question is private to the asker's organisation and the network's animators: nobody else learns it exists."""

from __future__ import annotations

import html

import pytest
from django.test import Client
from django.urls import reverse

from relais.helpdesk.models import Question
from relais.networks.enums import Role

from ..conftest import Personas
from ..factories import NetworkRoleFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _get(user: object, url: str) -> tuple[int, str]:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    response = client.get(url)
    return response.status_code, html.unescape(response.content.decode())


def test_other_organisation_supplier_and_other_animator_get_404(personas: Personas, question: Question) -> None:
    other_member = UserFactory.create(email="autre.commune@exemple.fr")
    NetworkRoleFactory.create(
        user=other_member, network=personas.network, role=Role.MEMBER, organisation=OrganisationFactory.create()
    )
    url = reverse("web:helpdesk_question", kwargs={"public_id": question.public_id})
    for user in (other_member, personas.supplier, personas.facilitator, personas.other_animator):
        status, _ = _get(user, url)
        assert status == 404, user
        for listing in ("web:helpdesk_my_questions", "web:faq_list"):
            assert question.title not in _get(user, reverse(listing))[1]
    assert question.title not in _get(personas.other_animator, reverse("web:helpdesk_inbox"))[1]


def test_colleague_of_the_same_organisation_reads_it(personas: Personas, question: Question) -> None:
    colleague = UserFactory.create(email="collegue@exemple.fr")
    NetworkRoleFactory.create(
        user=colleague, network=personas.network, role=Role.MEMBER, organisation=question.organisation
    )
    assert _get(colleague, reverse("web:helpdesk_question", kwargs={"public_id": question.public_id}))[0] == 200
    assert question.title in _get(colleague, reverse("web:helpdesk_my_questions"))[1]


def test_same_organisation_in_another_network_does_not_read_it(personas: Personas, question: Question) -> None:
    """The organisation's role in another network does not open this network's questions."""
    person = UserFactory.create(email="meme.orga.autre.reseau@exemple.fr")
    NetworkRoleFactory.create(
        user=person, network=personas.other_network, role=Role.MEMBER, organisation=question.organisation
    )
    assert _get(person, reverse("web:helpdesk_question", kwargs={"public_id": question.public_id}))[0] == 404
    assert question.title not in _get(person, reverse("web:helpdesk_my_questions"))[1]
