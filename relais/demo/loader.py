"""Write the demo content of `data/` to the database, idempotently and in one transaction.

Every object is looked up by its natural key first (network slug, SIRET, e-mail, sheet title within its network)
and only created when missing, so that a second run creates nothing and never overwrites what people changed.
Sheets go through the real workflow services (submit, then publish or return), so that their history, search
index and notification e-mails are those of real use.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from relais.accounts.models import User
from relais.casesheets.enums import SheetStatus
from relais.casesheets.models import (
    AwardCriterion,
    CaseSheet,
    ImpactFigure,
    Link,
    SheetBuyer,
    Stakeholder,
)
from relais.casesheets.services import case_sheet_publish, case_sheet_return, case_sheet_submit
from relais.networks.enums import MembershipStatus, ReferentKind, Role
from relais.networks.models import Membership, Network, NetworkRole, Referent
from relais.organisations.models import Organisation, OrganisationStructure
from relais.reference.models import Cpv, Departement, Region, Theme

from .data import ACCOUNTS, DEMO_PASSWORD, NETWORKS, ORGANISATIONS, SHEETS
from .data import contracts as demo_contracts
from .data import documents as demo_documents
from .data import events as demo_events
from .data import helpdesk as demo_helpdesk
from .data import needs as demo_needs
from .data import suppliers as demo_suppliers
from .data import workgroups as demo_workgroups
from .specs import SheetSpec

# Sourcing needs come after the demo suppliers: they are matched to them.
NETWORK_LIFE = (
    demo_documents,
    demo_workgroups,
    demo_events,
    demo_helpdesk,
    demo_contracts,
    demo_suppliers,
    demo_needs,
)


class DemoDataError(Exception):
    """The demo content cannot be loaded (missing reference data, inconsistent content). Message in French."""


@dataclass
class DemoLoadReport:
    """What one run created (objects that already existed are not counted)."""

    skipped: bool = False
    networks: int = 0
    organisations: int = 0
    memberships: int = 0
    referents: int = 0
    accounts: int = 0
    roles: int = 0
    sheets: int = 0
    published: int = 0
    network_life: int = 0  # documents, working groups, events, helpdesk questions and FAQ entries

    @property
    def created(self) -> int:
        return sum(getattr(self, f.name) for f in fields(self) if f.name not in {"skipped", "published"})

    def __str__(self) -> str:
        if self.skipped:
            return "La base contient déjà des réseaux ou des fiches : données de démonstration non chargées."
        if not self.created:
            return "Données de démonstration déjà présentes : rien à créer."
        return (
            f"Données de démonstration chargées : {self.networks} réseaux, {self.organisations} organisations, "
            f"{self.memberships} adhésions ({self.referents} référents), {self.accounts} comptes, "
            f"{self.sheets} fiches dont {self.published} publiées, {self.network_life} éléments de la vie du réseau "
            "(documents, groupes de travail, événements, questions et FAQ)."
        )


@dataclass
class _Reference:
    cpvs: dict[str, Cpv]
    themes: dict[str, Theme]
    departements: dict[str, Departement]
    regions: dict[str, Region]


def database_has_content() -> bool:
    """`load_demo --if-empty` leaves alone a database that already holds networks or sheets."""
    return Network.objects.exists() or CaseSheet.objects.exists()


def missing_reference_data() -> bool:
    """True when the reference tables the demo needs have not been loaded yet (`manage.py load_reference`)."""
    return not (Cpv.objects.exists() and Theme.objects.exists() and Departement.objects.exists())


def demo_accounts() -> list[User]:
    """The demo accounts present in the database, in the order of the demo content."""
    by_email = {user.email: user for user in User.objects.filter(email__in=[a.email for a in ACCOUNTS])}
    return [by_email[a.email] for a in ACCOUNTS if a.email in by_email]


def load_demo(*, only_if_empty: bool = False) -> DemoLoadReport:
    """Create whatever part of the demo content is missing, all or nothing."""
    report = DemoLoadReport()
    with transaction.atomic():
        if only_if_empty and database_has_content():
            report.skipped = True
            return report
        reference = _reference()
        networks = _load_networks(reference, report)
        organisations = _load_organisations(networks, reference, report)
        users = _load_accounts(networks, organisations, report)
        _load_sheets(networks, organisations, users, reference, report)
        # Documents first: working-group deliverables and FAQ entries link to them.
        for area in NETWORK_LIFE:
            report.network_life += area.load(networks=networks, users=users, organisations=organisations)
    return report


def _reference() -> _Reference:
    """Reference rows the content uses; a missing one stops the load with the list of what is missing."""
    cpv_codes = {code for s in SHEETS for code in (s.main_cpv, *s.additional_cpvs)}
    theme_slugs = {slug for s in SHEETS for slug in s.themes}
    departement_codes = {o.departement for o in ORGANISATIONS} | {s.departement for s in SHEETS if s.departement}
    region_codes = {code for n in NETWORKS for code in n.region_codes} | {s.region for s in SHEETS if s.region}
    reference = _Reference(
        cpvs={c.code: c for c in Cpv.objects.filter(code__in=cpv_codes)},
        themes={t.slug: t for t in Theme.objects.filter(slug__in=theme_slugs)},
        departements={d.code: d for d in Departement.objects.filter(code__in=departement_codes)},
        regions={r.code: r for r in Region.objects.filter(code__in=region_codes)},
    )
    missing = [
        f"{label} : {', '.join(sorted(wanted - set(found)))}"
        for label, wanted, found in (
            ("codes CPV", cpv_codes, reference.cpvs),
            ("thèmes", theme_slugs, reference.themes),
            ("départements", departement_codes, reference.departements),
            ("régions", region_codes, reference.regions),
        )
        if wanted - set(found)
    ]
    if missing:
        raise DemoDataError(
            "Données de référence manquantes (lancez « manage.py load_reference ») — " + " ; ".join(missing)
        )
    return reference


def _load_networks(reference: _Reference, report: DemoLoadReport) -> dict[str, Network]:
    networks: dict[str, Network] = {}
    for spec in NETWORKS:
        network = Network.objects.filter(slug=spec.slug).first()
        if network is None:
            network = Network(
                slug=spec.slug,
                name=spec.name,
                acronym=spec.acronym,
                scope=spec.scope,
                description=spec.description,
            )
            network.full_clean()
            network.save()
            network.regions.set([reference.regions[code] for code in spec.region_codes])
            report.networks += 1
        networks[spec.slug] = network
    return networks


def _load_organisations(
    networks: dict[str, Network], reference: _Reference, report: DemoLoadReport
) -> dict[str, Organisation]:
    organisations: dict[str, Organisation] = {}
    for spec in ORGANISATIONS:
        organisation = Organisation.objects.filter(siret=spec.siret).first()
        if organisation is None:
            organisation = Organisation(
                name=spec.name,
                kind=spec.kind,
                siret=spec.siret,
                siren=spec.siret[:9],
                buyer_category=spec.buyer_category,
                support_category=spec.support_category,
                departement=reference.departements[spec.departement],
                city=spec.city,
                description=spec.description,
            )
            organisation.full_clean()
            organisation.save()
            report.organisations += 1
        for structure_type, evidence in spec.structures:
            OrganisationStructure.objects.get_or_create(
                organisation=organisation, structure_type=structure_type, defaults={"evidence": evidence}
            )
        for membership_spec in spec.memberships:
            membership, created = Membership.objects.get_or_create(
                network=networks[membership_spec.network],
                organisation=organisation,
                defaults={"status": MembershipStatus.ACTIVE, "start_date": membership_spec.since},
            )
            report.memberships += created
            for kind, referent in (
                (ReferentKind.ELECTED, membership_spec.elected),
                (ReferentKind.TECHNICIAN, membership_spec.technician),
            ):
                if referent is None:
                    continue
                _, created = Referent.objects.get_or_create(
                    membership=membership,
                    kind=kind,
                    defaults={"full_name": referent.full_name, "position": referent.position, "email": referent.email},
                )
                report.referents += created
        organisations[spec.key] = organisation
    return organisations


def _load_accounts(
    networks: dict[str, Network], organisations: dict[str, Organisation], report: DemoLoadReport
) -> dict[str, User]:
    # One hash for every account: hashing is deliberately slow, and these passwords are public anyway.
    password_hash = make_password(DEMO_PASSWORD)
    users: dict[str, User] = {}
    for spec in ACCOUNTS:
        user = User.objects.filter(email=spec.email).first()
        if user is None:
            user = User(
                email=spec.email,
                full_name=spec.full_name,
                password=password_hash,
                is_staff=spec.site_admin,
                is_superuser=spec.site_admin,
            )
            user.save()
            report.accounts += 1
        for role in spec.roles:
            _, created = NetworkRole.objects.get_or_create(
                user=user,
                network=networks[role.network],
                role=role.role,
                defaults={"organisation": organisations[role.organisation] if role.organisation else None},
            )
            report.roles += created
        users[spec.email] = user
    return users


def _published_at(day: dt.date | None) -> dt.datetime | None:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0))) if day else None


def _load_sheets(
    networks: dict[str, Network],
    organisations: dict[str, Organisation],
    users: dict[str, User],
    reference: _Reference,
    report: DemoLoadReport,
) -> None:
    animators = {
        role.network: users[account.email]
        for account in ACCOUNTS
        for role in account.roles
        if role.role == Role.ANIMATOR
    }
    for spec in SHEETS:
        network = networks[spec.network]
        if CaseSheet.objects.filter(network=network, title=spec.title).exists():
            continue
        sheet = _create_sheet(spec, network, organisations, users[spec.author], reference)
        _advance(sheet, spec, author=users[spec.author], animator=animators[spec.network])
        report.sheets += 1
        report.published += spec.status == SheetStatus.PUBLISHED


def _create_sheet(
    spec: SheetSpec,
    network: Network,
    organisations: dict[str, Organisation],
    author: User,
    reference: _Reference,
) -> CaseSheet:
    if spec.criteria and sum(c.weight for c in spec.criteria) != 100:
        raise DemoDataError(f"Fiche « {spec.title} » : les pondérations des critères ne totalisent pas 100 %.")
    sheet = CaseSheet(
        network=network,
        author=author,
        visibility=spec.visibility,
        # Kept by the publication service, so that the demo sheets carry realistic publication dates.
        published_at=_published_at(spec.published_on) if spec.status == SheetStatus.PUBLISHED else None,
        title=spec.title,
        summary=spec.summary,
        is_purchasing_group=spec.is_purchasing_group,
        contract_type=spec.contract_type,
        procedure=spec.procedure,
        techniques=list(spec.techniques),
        lots_count=spec.lots_count,
        lots_description=spec.lots_description,
        main_cpv=reference.cpvs[spec.main_cpv],
        duration_months=spec.duration_months,
        amount_exact=spec.amount_exact,
        amount_min=spec.amount_min,
        amount_max=spec.amount_max,
        notification_date=spec.notification_date,
        departement=reference.departements[spec.departement] if spec.departement else None,
        region=reference.regions[spec.region] if spec.region else None,
        has_insertion_clause=spec.has_insertion_clause,
        insertion_hours=spec.insertion_hours,
        has_social_criterion=spec.has_social_criterion,
        reserved_basis=spec.reserved_basis,
        has_environmental_clause=spec.has_environmental_clause,
        has_environmental_criterion=spec.has_environmental_criterion,
        labels_required=spec.labels_required,
        is_fair_trade=spec.is_fair_trade,
        is_innovative=spec.is_innovative,
        context=spec.context,
        actions=spec.actions,
        value_for_buyer=spec.value_for_buyer,
        value_for_supplier=spec.value_for_supplier,
        lessons=spec.lessons,
        advice=spec.advice,
    )
    sheet.full_clean()
    sheet.save()
    sheet.themes.set([reference.themes[slug] for slug in spec.themes])
    sheet.additional_cpvs.set([reference.cpvs[code] for code in spec.additional_cpvs])
    related: list[AwardCriterion | SheetBuyer | Stakeholder | ImpactFigure | Link] = [
        *(
            AwardCriterion(sheet=sheet, kind=c.kind, label=c.label, weight=c.weight, position=i)
            for i, c in enumerate(spec.criteria)
        ),
        *(SheetBuyer(sheet=sheet, organisation=organisations[key], role=role) for key, role in spec.buyers),
        *(Stakeholder(sheet=sheet, organisation=organisations[key], role=role) for key, role in spec.stakeholders),
        *(
            ImpactFigure(sheet=sheet, label=i.label, value=i.value, unit=i.unit, position=n)
            for n, i in enumerate(spec.impacts)
        ),
        *(Link(sheet=sheet, title=title, url=url) for title, url in spec.links),
    ]
    for obj in related:
        obj.full_clean()
        obj.save()
    return sheet


def _advance(sheet: CaseSheet, spec: SheetSpec, *, author: User, animator: User) -> None:
    """Take a new draft through the workflow to the status the demo wants, as its author and animator would."""
    if spec.status == SheetStatus.DRAFT:
        return
    sheet = case_sheet_submit(sheet=sheet, by=author)
    if spec.status == SheetStatus.PUBLISHED:
        case_sheet_publish(sheet=sheet, by=animator)
    elif spec.status == SheetStatus.RETURNED:
        case_sheet_return(sheet=sheet, by=animator, comment=spec.return_comment)
    elif spec.status != SheetStatus.SUBMITTED:
        raise DemoDataError(f"Fiche « {spec.title} » : statut de démonstration non pris en charge ({spec.status}).")
