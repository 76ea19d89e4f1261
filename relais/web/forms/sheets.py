"""The case-sheet form: one main form and six inline formsets, validated together and saved in one transaction.

Every text field runs the model validators (`validate_no_markup`) through `ModelForm._post_clean`; fields defined
here for a better message keep the same validators. Cross-field rules (amount exact OR range, range ordered,
weights summing to 100, one coordinator per purchasing group) give a message on the field the person must fix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.forms.models import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext, gettext_lazy

from relais.accounts.models import User
from relais.casesheets import perms
from relais.casesheets.enums import BuyerRole, SheetStatus, Technique
from relais.casesheets.models import (
    Attachment,
    AwardCriterion,
    CaseSheet,
    ImpactFigure,
    Link,
    SheetBuyer,
    Stakeholder,
)
from relais.casesheets.services import case_sheet_changed
from relais.networks.models import Network
from relais.organisations.enums import OrganisationKind

from .fields import AccessibleFormMixin, CpvField, CpvMultipleField, OrganisationField, amount_field
from .uploads import ACCEPT_ATTRIBUTE, check_attachment


def authorable_networks(user: Any) -> list[Network]:
    """Networks where the user may write a case sheet (perms.can_create)."""
    return [network for network in Network.objects.order_by("name") if perms.can_create(user, network)]


# ---------------------------------------------------------------------------------------------------------------
# Main form

NARRATIVE_FIELDS = ["context", "actions", "value_for_buyer", "value_for_supplier", "lessons", "advice"]


class CaseSheetForm(AccessibleFormMixin, forms.ModelForm[CaseSheet]):
    network = forms.ModelChoiceField(
        label=gettext_lazy("Réseau"),
        queryset=Network.objects.none(),
        empty_label=None,
        help_text=gettext_lazy("La fiche est relue et publiée par les animateurs de ce réseau."),
        error_messages={
            "invalid_choice": gettext_lazy("Vous ne pouvez pas rédiger de fiche pour ce réseau."),
            "required": gettext_lazy("Choisissez le réseau de la fiche."),
        },
    )
    techniques = forms.MultipleChoiceField(
        label=gettext_lazy("Techniques d'achat"),
        choices=Technique.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    main_cpv = CpvField(
        label=gettext_lazy("Code CPV principal"),
        help_text=gettext_lazy("Saisissez le code (par exemple 55524000-9) ou quelques mots pour le rechercher."),
        error_messages={"required": gettext_lazy("Indiquez le code CPV principal du marché.")},
    )
    additional_cpvs = CpvMultipleField(
        label=gettext_lazy("Codes CPV complémentaires"),
        required=False,
        help_text=gettext_lazy("Séparez les codes par des virgules."),
    )
    duration_months = forms.IntegerField(
        label=gettext_lazy("Durée du marché (mois)"),
        min_value=1,
        max_value=600,
        help_text=gettext_lazy("Reconductions comprises."),
        error_messages={
            "min_value": gettext_lazy("La durée doit être d'au moins 1 mois."),
            "max_value": gettext_lazy("La durée ne peut pas dépasser 600 mois."),
            "required": gettext_lazy("Indiquez la durée du marché en mois."),
            "invalid": gettext_lazy("Saisissez un nombre entier de mois."),
        },
    )
    amount_exact = amount_field(gettext_lazy("Montant HT (€)"))
    amount_min = amount_field(gettext_lazy("Montant HT minimum (€)"))
    amount_max = amount_field(gettext_lazy("Montant HT maximum (€)"))
    notification_date = forms.DateField(
        label=gettext_lazy("Date de notification"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        error_messages={"invalid": gettext_lazy("Saisissez une date valide, par exemple 01/09/2024.")},
    )
    insertion_hours = forms.IntegerField(
        label=gettext_lazy("Heures d'insertion prévues"),
        required=False,
        min_value=0,
        error_messages={"min_value": gettext_lazy("Le nombre d'heures ne peut pas être négatif.")},
    )

    class Meta:
        model = CaseSheet
        fields = [
            "title",
            "summary",
            "themes",
            "network",
            "visibility",
            "licence",
            "contract_type",
            "procedure",
            "techniques",
            "lots_count",
            "lots_description",
            "main_cpv",
            "additional_cpvs",
            "duration_months",
            "amount_exact",
            "amount_min",
            "amount_max",
            "notification_date",
            "departement",
            "region",
            "decp_id",
            "has_insertion_clause",
            "insertion_hours",
            "has_social_criterion",
            "reserved_basis",
            "has_environmental_clause",
            "has_environmental_criterion",
            "labels_required",
            "is_fair_trade",
            "is_innovative",
            *NARRATIVE_FIELDS,
        ]
        widgets = {
            "themes": forms.CheckboxSelectMultiple,
            "summary": forms.Textarea(attrs={"rows": 4}),
            "lots_description": forms.Textarea(attrs={"rows": 3}),
            **{name: forms.Textarea(attrs={"rows": 5}) for name in NARRATIVE_FIELDS},
        }
        labels = {
            "title": gettext_lazy("Titre de la fiche"),
            "summary": gettext_lazy("Résumé"),
            "themes": gettext_lazy("Thèmes"),
            "decp_id": gettext_lazy("Identifiant DECP"),
        }
        help_texts = {
            "summary": gettext_lazy(
                "Quelques phrases : ce qui a été acheté, par qui, et ce qui en fait un achat responsable."
            ),
            "decp_id": gettext_lazy(
                "Identifiant du marché dans les données essentielles de la commande publique, s'il existe."
            ),
            "labels_required": gettext_lazy("Un label équivalent doit toujours être accepté."),
        }
        error_messages = {
            "title": {"required": gettext_lazy("Donnez un titre à la fiche.")},
            "summary": {"required": gettext_lazy("Résumez la fiche en quelques phrases.")},
            "themes": {"required": gettext_lazy("Choisissez au moins un thème.")},
            "contract_type": {"required": gettext_lazy("Indiquez le type de marché.")},
            "procedure": {"required": gettext_lazy("Indiquez la procédure de passation.")},
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = Q(pk__in=[network.pk for network in authorable_networks(user)])
        if self.instance.network_id:
            # An animator or admin editing a sheet keeps its network even if they could not author in it.
            allowed |= Q(pk=self.instance.network_id)
        network_field: forms.ModelChoiceField[Network] = self.fields["network"]  # type: ignore[assignment]
        network_field.queryset = Network.objects.filter(allowed).order_by("name")
        if len(network_field.queryset) > 1:
            network_field.empty_label = "Choisissez un réseau"
        self._style_widgets()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        exact, low, high = cleaned.get("amount_exact"), cleaned.get("amount_min"), cleaned.get("amount_max")
        if exact is not None and (low is not None or high is not None):
            self.add_error(
                "amount_exact",
                gettext("Indiquez soit un montant exact, soit une fourchette minimum–maximum, pas les deux."),
            )
        elif low is not None and high is not None and low > high:
            self.add_error("amount_max", gettext("Le montant maximum doit être supérieur ou égal au montant minimum."))
        if cleaned.get("insertion_hours") and not cleaned.get("has_insertion_clause"):
            self.add_error(
                "insertion_hours", gettext("Cochez « clause d'insertion » pour indiquer des heures d'insertion.")
            )
        departement, region = cleaned.get("departement"), cleaned.get("region")
        if departement and region and departement.region_id and departement.region_id != region.pk:
            self.add_error("departement", gettext("Ce département n'appartient pas à la région choisie."))
        main_cpv, additional = cleaned.get("main_cpv"), cleaned.get("additional_cpvs")
        if main_cpv and additional:
            cleaned["additional_cpvs"] = [cpv for cpv in additional if cpv.pk != main_cpv.pk]
        return cleaned


# ---------------------------------------------------------------------------------------------------------------
# Formsets


class BuyerForm(AccessibleFormMixin, forms.ModelForm[SheetBuyer]):
    organisation = OrganisationField(
        label=gettext_lazy("Acheteur"),
        kind=OrganisationKind.BUYER,
        help_text=gettext_lazy("Nom ou SIRET de l'acheteur public."),
    )

    class Meta:
        model = SheetBuyer
        fields = ["organisation", "role"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style_widgets()


class StakeholderForm(AccessibleFormMixin, forms.ModelForm[Stakeholder]):
    organisation = OrganisationField(
        label=gettext_lazy("Organisation"), help_text=gettext_lazy("Nom ou SIRET de l'organisation.")
    )

    class Meta:
        model = Stakeholder
        fields = ["organisation", "role"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style_widgets()


class CriterionForm(AccessibleFormMixin, forms.ModelForm[AwardCriterion]):
    weight = forms.IntegerField(
        label=gettext_lazy("Pondération (%)"),
        min_value=0,
        max_value=100,
        error_messages={
            "min_value": gettext_lazy("La pondération ne peut pas être négative."),
            "max_value": gettext_lazy("La pondération ne peut pas dépasser 100 %."),
            "required": gettext_lazy("Indiquez la pondération de ce critère."),
        },
    )

    class Meta:
        model = AwardCriterion
        fields = ["kind", "label", "weight"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style_widgets()


class ImpactForm(AccessibleFormMixin, forms.ModelForm[ImpactFigure]):
    class Meta:
        model = ImpactFigure
        fields = ["label", "value", "unit"]
        help_texts = {"label": gettext_lazy("Par exemple « personnes en parcours d'insertion ».")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["value"].localize = True
        self.fields["value"].widget = forms.TextInput(attrs={"inputmode": "decimal"})
        self.fields["value"].widget.is_localized = True
        self._style_widgets()


class LinkForm(AccessibleFormMixin, forms.ModelForm[Link]):
    class Meta:
        model = Link
        fields = ["title", "url"]
        error_messages = {
            "url": {"invalid": gettext_lazy("Saisissez une adresse web complète, commençant par https://.")}
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style_widgets()


class AttachmentForm(AccessibleFormMixin, forms.ModelForm[Attachment]):
    class Meta:
        model = Attachment
        fields = ["title", "file"]
        widgets = {"file": forms.FileInput(attrs={"accept": ACCEPT_ATTRIBUTE})}
        help_texts = {"file": gettext_lazy("PDF, ODT, DOCX ou XLSX.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style_widgets()

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload and "file" in self.changed_data:
            checked = check_attachment(upload)
            self.instance.original_name = checked.original_name
            self.instance.content_type = checked.content_type
            self.instance.size = checked.size
        return upload


class BaseSheetFormSet(BaseInlineFormSet):
    def kept_forms(self) -> list[forms.ModelForm[Any]]:
        """Forms that will be saved: filled in and not marked for deletion."""
        return [
            form
            for form in self.forms
            if form.has_changed() or form.instance.pk
            if not (self.can_delete and form.cleaned_data.get("DELETE"))
        ]


class BuyerFormSet(BaseSheetFormSet):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        kept = self.kept_forms()
        if not kept:
            raise ValidationError(gettext("Indiquez l'acheteur du marché."), code="no_buyer")
        organisations = [form.cleaned_data["organisation"].pk for form in kept]
        if len(set(organisations)) != len(organisations):
            raise ValidationError(gettext("Un même acheteur est indiqué deux fois."), code="duplicate")
        roles = [form.cleaned_data["role"] for form in kept]
        if len(kept) == 1:
            if roles[0] != BuyerRole.SOLE:
                raise ValidationError(
                    gettext(
                        "Un acheteur seul a le rôle « Acheteur ». Pour un groupement de commandes, indiquez tous ses "
                        "membres et un seul coordonnateur."
                    ),
                    code="sole_role",
                )
            return
        coordinators = roles.count(BuyerRole.COORDINATOR)
        if coordinators != 1 or BuyerRole.SOLE in roles:
            raise ValidationError(
                gettext(
                    "Un groupement de commandes a exactement un coordonnateur ; les autres acheteurs en sont membres "
                    "(%(count)s coordonnateur(s) indiqué(s))."
                ),
                code="coordinator",
                params={"count": coordinators},
            )


class CriterionFormSet(BaseSheetFormSet):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        kept = self.kept_forms()
        total = sum(form.cleaned_data.get("weight") or 0 for form in kept)
        if kept and total != 100:
            raise ValidationError(
                gettext("La somme des pondérations des critères doit être égale à 100 %% (elle est de %(total)s %%)."),
                code="weights",
                params={"total": total},
            )


class StakeholderFormSet(BaseSheetFormSet):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        pairs = [(form.cleaned_data["organisation"].pk, form.cleaned_data["role"]) for form in self.kept_forms()]
        if len(set(pairs)) != len(pairs):
            raise ValidationError(
                gettext("Une même organisation est indiquée deux fois avec le même rôle."), code="duplicate"
            )


_COMMON: dict[str, Any] = {"can_delete": True, "max_num": 30, "validate_max": True}
BuyerFormSetClass = inlineformset_factory(
    CaseSheet, SheetBuyer, form=BuyerForm, formset=BuyerFormSet, extra=1, **_COMMON
)
CriterionFormSetClass = inlineformset_factory(
    CaseSheet, AwardCriterion, form=CriterionForm, formset=CriterionFormSet, extra=2, **_COMMON
)
StakeholderFormSetClass = inlineformset_factory(
    CaseSheet, Stakeholder, form=StakeholderForm, formset=StakeholderFormSet, extra=1, **_COMMON
)
ImpactFormSetClass = inlineformset_factory(
    CaseSheet, ImpactFigure, form=ImpactForm, formset=BaseSheetFormSet, extra=1, **_COMMON
)
LinkFormSetClass = inlineformset_factory(CaseSheet, Link, form=LinkForm, formset=BaseSheetFormSet, extra=1, **_COMMON)
AttachmentFormSetClass = inlineformset_factory(
    CaseSheet,
    Attachment,
    form=AttachmentForm,
    formset=BaseSheetFormSet,
    extra=1,
    can_delete=True,
    max_num=10,
    validate_max=True,
)


# ---------------------------------------------------------------------------------------------------------------
# The editor: everything the page shows and saves


@dataclass
class FormsetBlock:
    formset: BaseSheetFormSet
    item_label: str
    add_label: str


@dataclass
class Section:
    slug: str
    title: str
    fields: list[forms.BoundField] = field(default_factory=list)
    block: FormsetBlock | None = None
    intro: str = ""

    @property
    def has_errors(self) -> bool:
        if any(bound.errors for bound in self.fields):
            return True
        return bool(self.block and (self.block.formset.non_form_errors() or any(self.block.formset.errors)))


# (slug, title, main-form fields, formset prefix or None, intro)
_LAYOUT: list[tuple[str, str, list[str], str | None, str]] = [
    ("identite", "Identité de la fiche", ["title", "summary", "themes", "network", "visibility", "licence"], None, ""),
    (
        "marche",
        "Le marché",
        [
            "contract_type",
            "procedure",
            "techniques",
            "lots_count",
            "lots_description",
            "main_cpv",
            "additional_cpvs",
            "duration_months",
            "amount_exact",
            "amount_min",
            "amount_max",
            "notification_date",
            "departement",
            "region",
            "decp_id",
        ],
        None,
        "Indiquez soit le montant exact, soit une fourchette (minimum et maximum).",
    ),
    (
        "acheteurs",
        "Acheteurs",
        [],
        "buyers",
        "Pour un groupement de commandes : tous les membres, un seul coordonnateur.",
    ),
    ("criteres", "Critères d'attribution", [], "criteria", "Les pondérations doivent totaliser 100 %."),
    (
        "social",
        "Considérations sociales",
        ["has_insertion_clause", "insertion_hours", "has_social_criterion", "reserved_basis"],
        None,
        "",
    ),
    (
        "environnement",
        "Considérations environnementales",
        ["has_environmental_clause", "has_environmental_criterion", "labels_required"],
        None,
        "",
    ),
    ("equitable-innovation", "Commerce équitable et innovation", ["is_fair_trade", "is_innovative"], None, ""),
    ("parties-prenantes", "Parties prenantes", [], "stakeholders", "Titulaire, cotraitants, facilitateur…"),
    ("impact", "Chiffres d'impact", [], "impacts", ""),
    ("recit", "Récit", NARRATIVE_FIELDS, None, ""),
    ("liens", "Liens", [], "links", ""),
    ("pieces-jointes", "Pièces jointes", [], "attachments", "PDF, ODT, DOCX ou XLSX uniquement."),
]

_FORMSETS: dict[str, tuple[Any, str, str]] = {
    "buyers": (BuyerFormSetClass, "Acheteur", "Ajouter un acheteur"),
    "criteria": (CriterionFormSetClass, "Critère", "Ajouter un critère"),
    "stakeholders": (StakeholderFormSetClass, "Partie prenante", "Ajouter une partie prenante"),
    "impacts": (ImpactFormSetClass, "Chiffre", "Ajouter un chiffre d'impact"),
    "links": (LinkFormSetClass, "Lien", "Ajouter un lien"),
    "attachments": (AttachmentFormSetClass, "Pièce jointe", "Ajouter une pièce jointe"),
}


class CaseSheetEditor:
    """The main form and its formsets, validated together and saved in a single transaction."""

    def __init__(self, *, user: Any, instance: CaseSheet | None = None, data: Any = None, files: Any = None) -> None:
        self.sheet = instance if instance is not None else CaseSheet()
        self.is_new = self.sheet.pk is None
        self.form = CaseSheetForm(data, files, instance=self.sheet, user=user)
        self.formsets: dict[str, BaseSheetFormSet] = {
            prefix: formset_class(data, files, instance=self.sheet, prefix=prefix)
            for prefix, (formset_class, _, _) in _FORMSETS.items()
        }

    def is_valid(self) -> bool:
        # Validate everything (no short-circuit) so that every error is shown at once.
        results = [self.form.is_valid()] + [formset.is_valid() for formset in self.formsets.values()]
        return all(results)

    def save(self, *, by: User) -> CaseSheet:
        with transaction.atomic():
            sheet = self.form.save(commit=False)
            if self.is_new:
                sheet.author = by
                sheet.status = SheetStatus.DRAFT
            sheet.is_purchasing_group = len(self.formsets["buyers"].kept_forms()) > 1
            sheet.save()
            self.form.save_m2m()
            for prefix, formset in self.formsets.items():
                formset.instance = sheet
                if prefix in {"criteria", "impacts"}:
                    for position, form in enumerate(formset.forms):
                        form.instance.position = position
                formset.save()
            case_sheet_changed(sheet=sheet, by=by)
        return sheet

    @property
    def media(self) -> forms.Media:
        return self.form.media

    def is_multipart(self) -> bool:
        return True

    def sections(self) -> list[Section]:
        sections = []
        for slug, title, names, prefix, intro in _LAYOUT:
            block = None
            if prefix:
                _, item_label, add_label = _FORMSETS[prefix]
                block = FormsetBlock(self.formsets[prefix], item_label, add_label)
            sections.append(Section(slug, title, [self.form[name] for name in names], block, intro))
        return sections

    def error_sections(self) -> list[Section]:
        return [section for section in self.sections() if section.has_errors]
