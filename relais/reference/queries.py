"""Reads of the reference tables: CPV hierarchy and autocomplete, territories, dated legal rules."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

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


def rules_in_force(on: dt.date, kind: str | None = None) -> QuerySet[LegalRule]:
    """Every dated legal rule in force on a date, optionally of one kind (e.g. "eu_threshold")."""
    rules = LegalRule.objects.in_force(on)
    return rules.filter(kind=kind) if kind else rules


def rule_on(kind: str, code: str, on: dt.date) -> LegalRule | None:
    """The version of a rule in force on a date (its value, unit, legal reference), or None if none is."""
    return LegalRule.objects.in_force(on).filter(kind=kind, code=code).order_by("-valid_from").first()


def threshold_on(kind: str, code: str, on: dt.date) -> Decimal | None:
    """Value of a dated rule on a date, e.g. `threshold_on("eu_threshold", "supplies_services_local", today)`."""
    return LegalRule.value_on(kind, code, on)
