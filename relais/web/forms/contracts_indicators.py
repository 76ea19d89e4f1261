"""Filters of the indicator pages, read from the query string: the perimeter (the country, a région, a département
or a network), the year, the check, the number of buyers listed, the order. A value that is not one of the choices
offered gives a French message and the default, never an error page: the choices are DSFR selects, so such a value
only comes from an edited address."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _

from relais.contracts.compliance import Check
from relais.contracts.indicators import Country, Departement, NetworkScope, Region, Scope
from relais.networks.models import Network
from relais.reference.models import Departement as DepartementRow
from relais.reference.models import Region as RegionRow

COUNTRY_VALUE = "france"
REGION_PREFIX = "region-"
DEPARTEMENT_PREFIX = "departement-"
NETWORK_PREFIX = "reseau-"
ALL_YEARS = "tout"
TOP_CHOICES = (20, 50, 100)
MAX_PARAM_LENGTH = 80


@dataclass(frozen=True)
class Perimeter:
    """A scope of the observatory with its query value, its French name and its kind ("pays", "région",
    "département", "réseau"); `network` is set for a network."""

    value: str
    label: str
    kind: str
    scope: Scope
    network: Network | None = None
    region_code: str = ""

    def comparisons(self) -> list[tuple[str, Scope]]:
        """What the perimeter is compared with: a département with its région and the country, a région or a network
        with the country, the country with nothing."""
        if isinstance(self.scope, Departement):
            return [*([("région", Region(self.region_code))] if self.region_code else []), ("pays", Country())]
        if isinstance(self.scope, Country):
            return []
        return [("pays", Country())]


COUNTRY = Perimeter(COUNTRY_VALUE, "France entière", "pays", Country())


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class ChoiceGroup:
    label: str
    choices: tuple[Choice, ...]


def perimeter_groups(networks: list[Network]) -> list[ChoiceGroup]:
    """The options of the perimeter select: the country, the régions, the départements, then `networks`."""
    regions = tuple(
        Choice(f"{REGION_PREFIX}{code}", name) for code, name in RegionRow.objects.values_list("code", "name")
    )
    departements = tuple(
        Choice(f"{DEPARTEMENT_PREFIX}{code}", f"{code} — {name}")
        for code, name in DepartementRow.objects.order_by("code").values_list("code", "name")
    )
    groups = [
        ChoiceGroup("Pays", (Choice(COUNTRY_VALUE, COUNTRY.label),)),
        ChoiceGroup("Régions", regions),
        ChoiceGroup("Départements", departements),
    ]
    if networks:
        groups.append(ChoiceGroup("Réseaux", tuple(Choice(f"{NETWORK_PREFIX}{n.slug}", n.name) for n in networks)))
    return groups


def parse_perimeter(value: str) -> Perimeter | None:
    """The perimeter of a query value ("france", "region-53", "departement-35", "reseau-<slug>"); None when it names
    nothing known."""
    value = value.strip()[:MAX_PARAM_LENGTH]
    if value in ("", COUNTRY_VALUE):
        return COUNTRY
    if value.startswith(REGION_PREFIX):
        region = RegionRow.objects.filter(code=value.removeprefix(REGION_PREFIX)).first()
        return Perimeter(value, region.name, "région", Region(region.code)) if region else None
    if value.startswith(DEPARTEMENT_PREFIX):
        departement = (
            DepartementRow.objects.select_related("region").filter(code=value.removeprefix(DEPARTEMENT_PREFIX)).first()
        )
        if departement is None:
            return None
        region_code = departement.region.code if departement.region else ""
        return Perimeter(value, str(departement), "département", Departement(departement.code), region_code=region_code)
    if value.startswith(NETWORK_PREFIX):
        network = Network.objects.filter(slug=value.removeprefix(NETWORK_PREFIX)).first()
        return Perimeter(value, network.name, "réseau", NetworkScope(network), network=network) if network else None
    return None


@dataclass(frozen=True)
class IndicatorFilters:
    """What the query string asks for, with the messages of the values refused."""

    perimeter: Perimeter
    year_value: str  # "" (default), "tout" or a year as typed
    check: Check
    top: int
    order: str
    problems: dict[str, str]

    @classmethod
    def from_querydict(cls, data: QueryDict, *, orders: tuple[str, ...] = ("",)) -> IndicatorFilters:
        problems: dict[str, str] = {}
        perimeter = parse_perimeter(data.get("perimetre", ""))
        if perimeter is None:
            problems["perimetre"] = _(
                "Ce périmètre n'existe pas : choisissez-le dans la liste. La France entière est affichée."
            )
            perimeter = COUNTRY
        check_value = data.get("controle", "")
        if check_value and check_value not in Check.values:
            problems["controle"] = _("Ce contrôle n'existe pas : choisissez-le dans la liste.")
        top_value = data.get("nombre", "")
        top = TOP_CHOICES[0]
        if top_value.isdigit() and int(top_value) in TOP_CHOICES:
            top = int(top_value)
        elif top_value:
            problems["nombre"] = _("Choisissez le nombre d'acheteurs dans la liste.")
        order = data.get("tri", "")
        if order not in orders:
            problems["tri"] = _("Ce tri n'existe pas : choisissez-le dans la liste.")
            order = orders[0]
        return cls(
            perimeter=perimeter,
            year_value=data.get("annee", "").strip()[:MAX_PARAM_LENGTH],
            check=Check(check_value) if check_value in Check.values else Check.ENVIRONMENTAL,
            top=top,
            order=order,
            problems=problems,
        )

    def year_in(self, years: tuple[int, ...] | list[int]) -> tuple[int | None, str]:
        """The year selected among `years` (None: the whole period) and the message when the one asked is not
        among them. Default: the latest year."""
        default = years[-1] if years else None
        if self.year_value == "":
            return default, ""
        if self.year_value == ALL_YEARS:
            return None, ""
        if self.year_value.isdigit() and int(self.year_value) in years:
            return int(self.year_value), ""
        if default:
            message = _("Aucun marché n'est connu pour l'année « %(year)s » : l'année %(default)s est affichée.")
        else:
            message = _("Aucun marché n'est connu pour l'année « %(year)s » : toute la période est affichée.")
        return default, message % {"year": self.year_value, "default": default}

    def query(self, **changes: Any) -> str:
        """The query string of these filters, with `changes` ("" removes a parameter)."""
        params = QueryDict(mutable=True)
        values = {
            "perimetre": self.perimeter.value if self.perimeter is not COUNTRY else "",
            "annee": self.year_value,
        } | {key: str(value) for key, value in changes.items()}
        for key, value in values.items():
            if value:
                params[key] = value
        return params.urlencode()
