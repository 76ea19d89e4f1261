"""Demo accounts, one per role, all with the same public password (printed by `manage.py demo_accounts`)."""

from __future__ import annotations

from relais.networks.enums import Role

from ..specs import AccountSpec, RoleSpec
from .directory import NATIONAL, RGO

# Public on purpose: printed by `manage.py demo_accounts`, and load_demo refuses to run without DEBUG.
DEMO_PASSWORD = "relais-demo-2026"  # noqa: S105

ANIMATOR_EMAIL = "animateur@demo.relais.fr"
NATIONAL_ANIMATOR_EMAIL = "animateur.national@demo.relais.fr"
MEMBER_EMAIL = "adherent@demo.relais.fr"
FACILITATOR_EMAIL = "facilitateur@demo.relais.fr"
SUPPLIER_EMAIL = "fournisseur@demo.relais.fr"
ADMIN_EMAIL = "admin@demo.relais.fr"

ACCOUNTS = (
    AccountSpec(
        email=ANIMATOR_EMAIL,
        full_name="Claire Morvan",
        description="Animatrice du Réseau Grand Ouest : relit, publie ou renvoie les fiches, invite les membres",
        roles=(RoleSpec(RGO, Role.ANIMATOR),),
    ),
    AccountSpec(
        email=NATIONAL_ANIMATOR_EMAIL,
        full_name="Julien Lefort",
        description="Animateur du Réseau national des acheteurs responsables",
        roles=(RoleSpec(NATIONAL, Role.ANIMATOR),),
    ),
    AccountSpec(
        email=MEMBER_EMAIL,
        full_name="Sophie Le Bihan",
        description="Adhérente pour le Département d'Ille-et-Vilaine (deux réseaux) : rédige et soumet ses fiches",
        roles=(RoleSpec(RGO, Role.MEMBER, "cd35"), RoleSpec(NATIONAL, Role.MEMBER, "cd35")),
    ),
    AccountSpec(
        email=FACILITATOR_EMAIL,
        full_name="Karim Benali",
        description="Facilitateur des clauses sociales à la Maison de l'emploi Loire Estuaire",
        roles=(RoleSpec(RGO, Role.FACILITATOR, "mde-estuaire"),),
    ),
    AccountSpec(
        email=SUPPLIER_EMAIL,
        full_name="Nathalie Guérin",
        description="Fournisseuse pour l'ESAT Les Jardins de la Vilaine (ne voit pas les fiches réservées)",
        roles=(RoleSpec(RGO, Role.SUPPLIER, "esat-jardins-vilaine"),),
    ),
    AccountSpec(
        email=ADMIN_EMAIL,
        full_name="Administratrice Relais",
        description="Administratrice du site (tous les réseaux, /admin/)",
        site_admin=True,
    ),
)
