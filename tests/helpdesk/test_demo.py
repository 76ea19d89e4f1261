import pytest

from relais.demo.data import helpdesk as demo
from relais.demo.data.accounts import ANIMATOR_EMAIL, MEMBER_EMAIL
from relais.demo.data.directory import RGO
from relais.helpdesk.models import FaqEntry, Question
from relais.helpdesk.queries import faq_search

from ..factories import NetworkFactory, OrganisationFactory, UserFactory


@pytest.mark.django_db
def test_demo_load_is_idempotent() -> None:
    args = {
        "networks": {RGO: NetworkFactory.create(slug=RGO)},
        "users": {MEMBER_EMAIL: UserFactory.create(email=MEMBER_EMAIL), ANIMATOR_EMAIL: UserFactory.create()},
        "organisations": {"cd35": OrganisationFactory.create()},
    }
    assert demo.load(**args) == 3
    assert demo.load(**args) == 0
    assert Question.objects.count() == 2
    entry = FaqEntry.objects.get()
    assert list(faq_search(None, "insertion nettoyage")) == [entry]
