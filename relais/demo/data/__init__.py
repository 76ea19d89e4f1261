"""The demo content, in French: two networks, their members, demo accounts and case sheets."""

from .accounts import (
    ACCOUNTS,
    ADMIN_EMAIL,
    ANIMATOR_EMAIL,
    DEMO_PASSWORD,
    FACILITATOR_EMAIL,
    MEMBER_EMAIL,
    NATIONAL_ANIMATOR_EMAIL,
    SUPPLIER_EMAIL,
)
from .directory import NETWORKS, ORGANISATIONS
from .sheets_in_progress import SHEETS_IN_PROGRESS
from .sheets_national import SHEETS_NATIONAL
from .sheets_regional import SHEETS_REGIONAL

SHEETS = SHEETS_NATIONAL + SHEETS_REGIONAL + SHEETS_IN_PROGRESS

__all__ = [
    "ACCOUNTS",
    "ADMIN_EMAIL",
    "ANIMATOR_EMAIL",
    "DEMO_PASSWORD",
    "FACILITATOR_EMAIL",
    "MEMBER_EMAIL",
    "NATIONAL_ANIMATOR_EMAIL",
    "NETWORKS",
    "ORGANISATIONS",
    "SHEETS",
    "SUPPLIER_EMAIL",
]
