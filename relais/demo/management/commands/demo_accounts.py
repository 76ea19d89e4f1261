"""`manage.py demo_accounts`: print where to open Relais and the demo accounts with their roles and password."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse

from relais.accounts.models import User
from relais.demo.data import DEMO_PASSWORD
from relais.demo.loader import demo_accounts
from relais.networks.models import NetworkRole


def roles_text(user: User) -> str:
    """The roles an account really holds, read from the database: "Adhérent (RGO, RNAR) — Département de …"."""
    if user.is_superuser:
        return "Administrateur du site (tous les réseaux, /admin/)"
    grouped: dict[tuple[str, str], list[str]] = {}
    for role in NetworkRole.objects.filter(user=user).select_related("network", "organisation").order_by("id"):
        key = (role.get_role_display(), role.organisation.name if role.organisation else "")
        grouped.setdefault(key, []).append(str(role.network))
    parts = [
        f"{label} ({', '.join(networks)})" + (f" — {organisation}" if organisation else "")
        for (label, organisation), networks in grouped.items()
    ]
    return " ; ".join(parts) or "aucun rôle"


class Command(BaseCommand):
    help = "Affiche l'adresse de Relais et les comptes de démonstration (rôles et mot de passe)."

    def handle(self, *args: Any, **options: Any) -> None:
        users = demo_accounts()
        if not users:
            self.stdout.write("Les données de démonstration ne sont pas chargées : lancez « manage.py load_demo ».")
            return
        rows = [(user.email, roles_text(user)) for user in users]
        width = max(len(email) for email, _ in rows)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Relais : {settings.SITE_URL}/"))
        self.stdout.write(f"Connexion : {settings.SITE_URL}{reverse('web:login')}")
        self.stdout.write("")
        self.stdout.write(f"{'Compte de démonstration'.ljust(width)}  Rôle")
        self.stdout.write(f"{'-' * width}  {'-' * 40}")
        for email, roles in rows:
            self.stdout.write(f"{email.ljust(width)}  {roles}")
        self.stdout.write("")
        self.stdout.write(f"Mot de passe de tous ces comptes : {DEMO_PASSWORD}")
        self.stdout.write("")
