"""The filters of the supplier directory (a GET form: every filter stays in the query string).

Values are read and checked by `relais.suppliers.search.parse_directory_search`, the function the exports and the
map use too; this form lays the fields out in DSFR and puts that function's French messages next to their fields.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from relais.organisations.enums import StructureType
from relais.reference.models import Departement, Label, Region, Theme
from relais.suppliers.enums import ServiceKind
from relais.suppliers.queries import BASIS_LABELS
from relais.suppliers.search import DirectorySearch, parse_directory_search

from .fields import AccessibleFormMixin
from .widgets import CpvInput

ANY = ("", _("Tous"))


def _select(label: StrOrPromise, help_text: StrOrPromise = "") -> forms.CharField:
    # A CharField with a Select widget: the choice is checked by the shared parser, with its own message.
    return forms.CharField(label=label, required=False, help_text=help_text, widget=forms.Select(choices=[ANY]))


def _checkboxes(
    label: StrOrPromise, choices: list[tuple[str, str]], help_text: StrOrPromise = ""
) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, required=False, help_text=help_text, choices=choices, widget=forms.CheckboxSelectMultiple
    )


class DirectorySearchForm(AccessibleFormMixin, forms.Form):
    q = forms.CharField(label=_("Nom, présentation ou activité"), required=False, max_length=200)
    cpv = forms.CharField(
        label=_("Code CPV"),
        required=False,
        help_text=_(
            "Le code, ceux qu'il regroupe et ceux qui le regroupent : 77 pour les services agricoles et "
            "les espaces verts."
        ),
        widget=CpvInput(),
    )
    theme = _select(_("Thème"))
    departement = _select(_("Département d'intervention"), _("Les structures qui interviennent dans ce département."))
    region = _select(_("Région d'intervention"))
    kind = _checkboxes(_("Type de prestation"), [(str(v), str(label)) for v, label in ServiceKind.choices])
    basis = _checkboxes(
        _("Marché réservé possible"),
        list(BASIS_LABELS.items()),
        _("Structures dont le type (en cours de validité) permet ce fondement."),
    )
    structure = _checkboxes(_("Type de structure"), [(str(v), str(label)) for v, label in StructureType.choices])
    label = _checkboxes(_("Labels"), [])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: dict[str, list[tuple[str, str]]] = {
            "theme": list(Theme.objects.values_list("slug", "label")),
            "region": list(Region.objects.order_by("name").values_list("code", "name")),
            "departement": [
                (code, f"{name} ({code})")
                for code, name in Departement.objects.order_by("code").values_list("code", "name")
            ],
        }
        for name, values in choices.items():
            widget: Any = self.fields[name].widget
            widget.choices = [ANY, *values]
        label_field: Any = self.fields["label"]
        label_field.choices = list(Label.objects.values_list("slug", "name"))
        # The search made of the valid filters; the invalid ones are shown with their message and left out.
        self.search: DirectorySearch
        self.problems: dict[str, str]
        self.search, self.problems = parse_directory_search(self.data)
        self._style_widgets()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, message in self.problems.items():
            if name in self.fields and not self.has_error(name):
                self.add_error(name, message)
        return cleaned
