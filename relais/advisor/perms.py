"""Who may use the legal-lever advisor. Each predicate states the business rule it enforces."""

from __future__ import annotations

from typing import Any

from relais.suppliers.perms import sees_unlisted_suppliers


def can_use_advisor(user: Any) -> bool:
    """Everyone, anonymous visitors included: the rules are public law and the supplier figures are counts
    (aggregates of the directory), which reveal no one."""
    return True


def sees_supplier_names(user: Any) -> bool:
    """Suppliers named under a count: those with a public page for everyone; the others only for the networks'
    members, who see the whole directory (`suppliers.perms.sees_unlisted_suppliers`)."""
    return sees_unlisted_suppliers(user)
