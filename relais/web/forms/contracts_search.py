"""The filters of the contract search page (a GET form: every filter stays in the query string).

The values are read and checked by `relais.contracts.search_params.parse_contract_search`, the function the API
and the exports use too, so that the three never disagree: this form only lays the fields out in DSFR and puts
that function's French messages next to the fields they concern.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from relais.contracts.search_params import (
    ENVIRONMENTAL_FILTERS,
    PROCEDURE_CHOICES,
    SOCIAL_FILTERS,
    TYPE_CHOICES,
    ContractSearch,
    parse_contract_search,
)
from relais.reference.models import Departement, Region

from .fields import AccessibleFormMixin
from .widgets import CpvInput

ANY = ("", _("Tous"))


def _select(label: StrOrPromise, choices: list[tuple[str, Any]], help_text: StrOrPromise = "") -> forms.CharField:
    # A CharField with a Select widget: the choice is checked by the shared parser, with its own message.
    return forms.CharField(
        label=label, required=False, help_text=help_text, widget=forms.Select(choices=[ANY, *choices])
    )


def _date(label: StrOrPromise) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        help_text=_("Format JJ/MM/AAAA."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


def _amount(label: StrOrPromise) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        help_text=_("En euros hors taxes."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


def _party(label: StrOrPromise, help_text: StrOrPromise) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=200, help_text=help_text)


class ContractSearchForm(AccessibleFormMixin, forms.Form):
    q = forms.CharField(label=_("Objet du marché"), required=False, max_length=200)
    cpv = forms.CharField(
        label=_("Code CPV"),
        required=False,
        help_text=_("Le code et tous ceux qu'il regroupe : 45 pour tous les travaux, 555 pour la restauration."),
        widget=CpvInput(),
    )
    type = _select(_("Catégorie"), TYPE_CHOICES)
    procedure = _select(_("Procédure"), PROCEDURE_CHOICES)
    social = _select(_("Considérations sociales"), list(SOCIAL_FILTERS.items()))
    environmental = _select(_("Considérations environnementales"), list(ENVIRONMENTAL_FILTERS.items()))
    notified_from = _date(_("Notifié à partir du"))
    notified_to = _date(_("Notifié jusqu'au"))
    amount_min = _amount(_("Montant initial minimum"))
    amount_max = _amount(_("Montant initial maximum"))
    region = _select(_("Région d'exécution"), [])
    departement = _select(_("Département d'exécution"), [])
    buyer = _party(_("Acheteur"), _("Nom, SIRET (14 chiffres) ou SIREN (9 chiffres)."))
    holder = _party(_("Titulaire"), _("Nom, SIRET (14 chiffres) ou SIREN (9 chiffres)."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions = Region.objects.order_by("name").values_list("code", "name")
        departements = Departement.objects.order_by("code").values_list("code", "name")
        region_widget: Any = self.fields["region"].widget
        region_widget.choices = [ANY, *regions]
        departement_widget: Any = self.fields["departement"].widget
        departement_widget.choices = [ANY, *((code, f"{name} ({code})") for code, name in departements)]
        # The search made of the valid filters; the invalid ones are shown with their message and left out.
        self.search: ContractSearch
        self.problems: dict[str, str]
        self.search, self.problems = parse_contract_search(self.data)
        self._style_widgets()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, message in self.problems.items():
            self.add_error(name, message)
        return cleaned
