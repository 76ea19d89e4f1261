"""The in-memory copy of the dated legal rules (`queries.legal_rules`): read once per process, forgotten when the
rules change (`load_legal_rules`, a save or a delete), never kept from inside a transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.test.utils import CaptureQueriesContext

from relais.reference.loaders import load_legal_rules
from relais.reference.models import LegalRule
from relais.reference.queries import legal_rules, legal_rules_changed, threshold_on

DAY = dt.date(2026, 6, 1)
RULE = ("eu_threshold", "works")


@pytest.fixture
def fresh_copy():  # type: ignore[no-untyped-def]
    legal_rules_changed()
    yield
    legal_rules_changed()


def _reads(connection) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        legal_rules()
    return len(queries.captured_queries)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("fresh_copy")
def test_rules_are_read_once_and_again_after_a_change() -> None:
    from django.db import connection

    load_legal_rules()
    assert _reads(connection) == 1
    assert _reads(connection) == 0  # the process's copy
    works = threshold_on(*RULE, DAY)
    assert works is not None

    rule = LegalRule.objects.in_force(DAY).get(kind=RULE[0], code=RULE[1])
    rule.value = Decimal("1234567")
    rule.save()
    assert threshold_on(*RULE, DAY) == Decimal("1234567")

    load_legal_rules()  # back to the file's value
    assert threshold_on(*RULE, DAY) == works

    LegalRule.objects.filter(kind=RULE[0], code=RULE[1]).delete()
    assert threshold_on(*RULE, DAY) is None


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("fresh_copy")
def test_what_a_transaction_reads_is_not_kept() -> None:
    from django.db import connection

    with transaction.atomic():
        load_legal_rules()
        assert threshold_on(*RULE, DAY) is not None
        transaction.set_rollback(True)
    assert threshold_on(*RULE, DAY) is None
    assert not legal_rules()
    assert _reads(connection) == 0
