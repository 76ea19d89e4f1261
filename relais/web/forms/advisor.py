"""The advisor's form (a GET form: the address of an advice can be shared). The values are read and checked by
`relais.advisor.params.parse_advice_params`, which the API uses too; this form lays the fields out in DSFR and puts
that function's French messages next to their fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from relais.advisor.enums import BuyerType
from relais.advisor.params import AdviceParams, parse_advice_params
from relais.reference.models import Departement

from .fields import AccessibleFormMixin
from .widgets import CpvInput


def _number(label: StrOrPromise, help_text: StrOrPromise) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, help_text=help_text, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )


class AdvisorForm(AccessibleFormMixin, forms.Form):
    cpv = forms.CharField(
        label=_("Codes CPV"),
        help_text=_("Le premier est l'objet principal ; séparez-les par des virgules (ex. 45442100, 45262500)."),
        widget=CpvInput(multiple=True),
    )
    departement = forms.CharField(label=_("Département d'exécution"), widget=forms.Select())
    montant = _number(_("Montant estimé (€ HT)"), _("Sur toute la durée du marché, reconductions comprises."))
    type_acheteur = forms.CharField(
        label=_("Type d'acheteur"), required=False, widget=forms.Select(choices=BuyerType.choices)
    )
    date = forms.CharField(
        label=_("Date de lancement de la consultation"),
        required=False,
        help_text=_("Les règles en vigueur à cette date s'appliquent (aujourd'hui par défaut)."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    defense = forms.BooleanField(label=_("Marché de défense ou de sécurité"), required=False)
    taux = _number(_("Taux d'insertion (%)"), _("Laissez vide pour la valeur par défaut (5 %)."))
    part = _number(_("Part de main-d'œuvre (%)"), _("Laissez vide pour la valeur par défaut selon le code CPV."))
    cout_horaire = _number(_("Coût horaire chargé (€/h)"), _("Laissez vide pour la valeur par défaut (30 €/h)."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departements = Departement.objects.order_by("code").values_list("code", "name")
        widget: Any = self.fields["departement"].widget
        widget.choices = [("", "Choisir un département"), *((code, f"{name} ({code})") for code, name in departements)]
        self.fields["date"].widget.attrs["placeholder"] = f"{timezone.localdate():%Y-%m-%d}"
        self.params: AdviceParams | None = None
        self.problems: dict[str, str] = {}
        if self.is_bound:
            self.params, self.problems = parse_advice_params(self.data)
        self._style_widgets()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, message in self.problems.items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)
        return cleaned

    @property
    def insertion_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("taux", "part", "cout_horaire")]

    @property
    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("cpv", "departement", "montant", "type_acheteur", "date")]
