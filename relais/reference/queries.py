"""Reads of the reference tables: CPV hierarchy and autocomplete, territories, dated legal rules."""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
import uuid
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.signals import post_delete, post_save

from relais.core.text import STOP_WORDS, fold

from .models import Cpv, Departement, LegalRule

_WORD = re.compile(r"[a-z0-9]+")
_CODE = re.compile(r"^\d{1,8}(-\d)?$")


def cpv_under(code: str) -> QuerySet[Cpv]:
    """A CPV code and every code below it ("division 90 and everything under it")."""
    return Cpv.objects.under(code)


def cpv_by_code(code: str) -> Cpv | None:
    """The CPV code written with or without its check digit ("90911200-8" or "90911200"), if it exists."""
    code8 = code.strip().replace(" ", "").split("-")[0]
    return Cpv.objects.filter(code8=code8).first() if len(code8) == 8 else None


def cpv_lookup(text: str, limit: int = 20) -> list[Cpv]:
    """CPV codes for an autocomplete field.

    A number (with or without dash and check digit) matches codes starting with it; otherwise every word must be
    found in the French label (accents and case ignored) or in the English label. A number among words filters by
    code prefix. The code typed in full comes first, then broader codes (lower level), then by code.
    """
    compact = text.strip().replace(" ", "")
    if _CODE.match(compact):
        digits = compact.split("-")[0]
        exact = digits.ljust(8, "0")
        return list(
            Cpv.objects.filter(code8__startswith=digits)
            .annotate(_exact=Case(When(code8=exact, then=Value(0)), default=Value(1), output_field=IntegerField()))
            .order_by("_exact", "level", "code8")[:limit]
        )
    words = _WORD.findall(fold(text))
    significant = [word for word in words if word not in STOP_WORDS] or words
    if not significant:
        return []
    condition = Q()
    for word in significant:
        if word.isdigit():
            condition &= Q(code8__startswith=word)
        else:
            condition &= Q(search_label__contains=word) | Q(label_en__icontains=word)
    return list(Cpv.objects.filter(condition).order_by("level", "code8")[:limit])


def departements_of_region(region_code: str) -> QuerySet[Departement]:
    return Departement.objects.filter(region__code=region_code).order_by("code")


# --- Dated legal rules ---------------------------------------------------------------------------------------------
#
# The table is small (~100 rows) and changes only through `manage.py load_reference`, yet a dashboard asks for a
# dozen rules: each process keeps the whole table in memory. `load_legal_rules` (and any save or delete of a rule)
# calls `legal_rules_changed`, which empties this process's copy and bumps a version in the shared cache (Redis or
# the database cache): other processes compare their copy's version with it at most every `_RECHECK_SECONDS`.
# Reads inside a transaction are never kept: what they see may be rolled back (tests, a loader failing midway).

_VERSION_KEY = "relais:reference:legal_rules:version"
_RECHECK_SECONDS = 30.0
_lock = threading.Lock()
_copy: dict[str, Any] = {}  # "version", "checked" (monotonic time), "rules" (tuple of LegalRule)


def legal_rules_changed(**_signal: Any) -> None:
    """Forget the in-memory copy of the legal rules, in this process and (through the shared version) the others."""
    with _lock:
        _copy.clear()
    cache.set(_VERSION_KEY, uuid.uuid4().hex, None)


post_save.connect(legal_rules_changed, sender=LegalRule, dispatch_uid="reference.legal_rules_changed.save")
post_delete.connect(legal_rules_changed, sender=LegalRule, dispatch_uid="reference.legal_rules_changed.delete")


def legal_rules() -> tuple[LegalRule, ...]:
    """Every dated legal rule, ordered by kind, code and start date (read once per process, see above)."""
    if connection.in_atomic_block:
        return tuple(LegalRule.objects.order_by("kind", "code", "valid_from"))
    now = time.monotonic()
    with _lock:
        if _copy and now - _copy["checked"] < _RECHECK_SECONDS:
            rules: tuple[LegalRule, ...] = _copy["rules"]
            return rules
    version = cache.get(_VERSION_KEY)
    with _lock:
        if _copy and _copy["version"] == version:
            _copy["checked"] = now
            return tuple(_copy["rules"])
    rules = tuple(LegalRule.objects.order_by("kind", "code", "valid_from"))
    with _lock:
        _copy.update(version=version, checked=now, rules=rules)
    return rules


def _in_force(rule: LegalRule, on: dt.date) -> bool:
    return rule.valid_from <= on and (rule.valid_until is None or on <= rule.valid_until)


def rule_versions(kind: str, code: str | None = None) -> list[LegalRule]:
    """Every version of the rules of a kind (and code), oldest first, from the in-memory copy."""
    return [rule for rule in legal_rules() if rule.kind == kind and (code is None or rule.code == code)]


def rules_in_force(on: dt.date, kind: str | None = None) -> QuerySet[LegalRule]:
    """Every dated legal rule in force on a date, optionally of one kind (e.g. "eu_threshold")."""
    rules = LegalRule.objects.in_force(on)
    return rules.filter(kind=kind) if kind else rules


def rule_on(kind: str, code: str, on: dt.date) -> LegalRule | None:
    """The version of a rule in force on a date (its value, unit, legal reference), or None if none is."""
    versions = [rule for rule in rule_versions(kind, code) if _in_force(rule, on)]
    return versions[-1] if versions else None


def threshold_on(kind: str, code: str, on: dt.date) -> Decimal | None:
    """Value of a dated rule on a date, e.g. `threshold_on("eu_threshold", "supplies_services_local", today)`."""
    rule = rule_on(kind, code, on)
    return rule.value if rule else None
