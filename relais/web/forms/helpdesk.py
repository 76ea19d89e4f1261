"""Forms of the helpdesk and the FAQ. French messages per field; uploads checked by content (check_attachment)."""

from __future__ import annotations

import re
import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from relais.accounts.models import User
from relais.casesheets.enums import SheetStatus
from relais.casesheets.models import CaseSheet
from relais.core.validators import validate_no_markup
from relais.documents.models import Document
from relais.helpdesk.enums import FaqVisibility, QuestionCategory, QuestionStatus
from relais.helpdesk.models import FaqEntry, HelpdeskSettings, Question
from relais.helpdesk.perms import asker_organisations
from relais.helpdesk.services import HelpdeskError, NewAttachment, check_related_documents
from relais.networks.enums import Role
from relais.networks.models import Network, NetworkRole
from relais.reference.models import Theme

from .fields import AccessibleFormMixin, CpvField
from .uploads import ACCEPT_ATTRIBUTE, check_attachment

MAX_FILES = 5
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Up to MAX_FILES documents, each checked by its content (PDF, ODT, DOCX, XLSX) and size."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "Pièces jointes")
        kwargs.setdefault(
            "help_text", f"Jusqu'à {MAX_FILES} documents PDF, ODT, DOCX ou XLSX (projet de DCE, cahier des charges…)."
        )
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[NewAttachment]:
        uploads = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if len(uploads) > MAX_FILES:
            raise ValidationError(_("Joignez au plus %(count)s documents.") % {"count": MAX_FILES}, code="too_many")
        checked: list[NewAttachment] = []
        errors: list[ValidationError] = []
        for upload in uploads:
            try:
                result = check_attachment(upload)
            except ValidationError as error:
                message = _("%(file)s : %(errors)s") % {"file": upload.name, "errors": " ".join(error.messages)}
                errors.append(ValidationError(message))
            else:
                checked.append(NewAttachment(upload, result.content_type, result.size, result.original_name))
        if errors:
            raise ValidationError(errors)
        return checked


class QuestionForm(AccessibleFormMixin, forms.ModelForm[Question]):
    network = forms.ModelChoiceField(
        label=_lazy("Réseau"),
        queryset=Network.objects.none(),
        empty_label=None,
        help_text=_lazy(
            "Votre question est lue par les animateurs de ce réseau et par les personnes de votre organisation."
        ),
        error_messages={
            "invalid_choice": _lazy("Vous ne pouvez pas poser de question à ce réseau."),
            "required": _lazy("Choisissez le réseau auquel vous posez la question."),
        },
    )
    cpv = CpvField(
        label=_lazy("Code CPV (facultatif)"),
        required=False,
        help_text=_lazy("Saisissez le code (par exemple 55524000-9) ou quelques mots pour le rechercher."),
    )
    attachments = AttachmentsField()

    class Meta:
        model = Question
        fields = ["network", "category", "theme", "cpv", "title", "text"]
        labels = {
            "title": _lazy("Titre de votre question"),
            "text": _lazy("Votre question"),
            "category": _lazy("Catégorie"),
        }
        help_texts = {
            "title": _lazy("En une phrase : c'est par ce titre que la FAQ est d'abord cherchée."),
            "text": _lazy("Donnez le contexte utile : objet du marché, procédure, montant estimé, calendrier."),
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 8})}
        error_messages = {
            "title": {
                "required": _lazy("Donnez un titre à votre question."),
                "max_length": _lazy("Le titre est trop long."),
            },
            "text": {"required": _lazy("Rédigez votre question."), "max_length": _lazy("La question est trop longue.")},
            "category": {
                "required": _lazy("Choisissez la catégorie de votre question."),
                "invalid_choice": _lazy("Choisissez une catégorie de la liste."),
            },
            "theme": {"invalid_choice": _lazy("Choisissez un thème de la liste.")},
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = asker_organisations(user)
        self.fields["network"].queryset = Network.objects.filter(pk__in=self.organisations).order_by("name")  # type: ignore[attr-defined]
        self.fields["theme"].queryset = Theme.objects.order_by("position", "label")  # type: ignore[attr-defined]
        self.fields["theme"].empty_label = "Aucun thème en particulier"  # type: ignore[attr-defined]
        self._style_widgets()


class MessageForm(AccessibleFormMixin, forms.Form):
    body = forms.CharField(
        label=_lazy("Message"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        validators=[validate_no_markup],
        error_messages={"required": _lazy("Rédigez votre message."), "max_length": _lazy("Le message est trop long.")},
    )
    attachments = AttachmentsField()

    def __init__(self, *args: Any, label: str = "Message", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].label = label
        self._style_widgets()


class NoteForm(AccessibleFormMixin, forms.Form):
    note = forms.CharField(
        label=_lazy("Note interne"),
        help_text=_lazy("Visible uniquement des animateurs et experts du guichet, jamais du demandeur."),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[validate_no_markup],
        error_messages={"required": _lazy("Rédigez la note."), "max_length": _lazy("La note est trop longue.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style_widgets()


def helpdesk_team(network_id: int) -> Any:
    """People a question of this network may be assigned to: its animators and the experts it named."""
    animators = NetworkRole.objects.filter(network_id=network_id, role=Role.ANIMATOR).values("user_id")
    experts = HelpdeskSettings.objects.filter(network_id=network_id).values("experts")
    return User.objects.filter(is_active=True).filter(pk__in=animators.union(experts)).order_by("full_name", "email")


class AssignForm(AccessibleFormMixin, forms.Form):
    assignee = forms.ModelChoiceField(
        label=_lazy("Attribuer à"),
        queryset=User.objects.none(),
        to_field_name="public_id",
        empty_label=None,
        error_messages={
            "required": _lazy("Choisissez la personne qui traite la question."),
            "invalid_choice": _lazy("Cette personne n'est ni animatrice ni experte du guichet de ce réseau."),
        },
    )

    def __init__(self, *args: Any, question: Question, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = list(helpdesk_team(question.network_id).values_list("pk", flat=True))
        self.fields["assignee"].queryset = User.objects.filter(pk__in=ids).order_by("full_name", "email")  # type: ignore[attr-defined]
        self.fields["assignee"].label_from_instance = lambda user: user.full_name or user.email  # type: ignore[attr-defined]
        self._style_widgets()


class SettingsForm(AccessibleFormMixin, forms.ModelForm[HelpdeskSettings]):
    first_answer_days = forms.IntegerField(
        label=_lazy("Délai cible de première réponse (jours ouvrés)"),
        min_value=1,
        max_value=60,
        help_text=_lazy(
            "Du lundi au vendredi, hors jours fériés. Une question sans réponse après ce délai est signalée en retard."
        ),
        error_messages={
            "required": _lazy("Indiquez un délai en jours ouvrés."),
            "invalid": _lazy("Saisissez un nombre entier de jours."),
            "min_value": _lazy("Le délai doit être d'au moins 1 jour ouvré."),
            "max_value": _lazy("Le délai ne peut pas dépasser 60 jours ouvrés."),
        },
    )
    experts = forms.ModelMultipleChoiceField(
        label=_lazy("Experts du guichet"),
        required=False,
        queryset=User.objects.none(),
        to_field_name="public_id",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _lazy("Choisissez des personnes ayant un rôle dans le réseau.")},
    )

    class Meta:
        model = HelpdeskSettings
        fields = ["first_answer_days", "experts"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = NetworkRole.objects.filter(
            network_id=self.instance.network_id, role__in=[Role.MEMBER, Role.FACILITATOR]
        ).values("user_id")
        field = self.fields["experts"]
        field.queryset = User.objects.filter(pk__in=people, is_active=True).order_by("full_name", "email")  # type: ignore[attr-defined]
        field.label_from_instance = lambda user: user.full_name or user.email  # type: ignore[attr-defined]
        self._style_widgets()


class FaqEntryForm(AccessibleFormMixin, forms.ModelForm[FaqEntry]):
    related_sheets_text = forms.CharField(
        label=_lazy("Fiches retour d'expérience liées (facultatif)"),
        required=False,
        help_text=_lazy(
            "Collez les adresses des fiches publiées, séparées par des virgules ou des retours à la ligne."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    related_documents_text = forms.CharField(
        label=_lazy("Documents liés (facultatif)"),
        required=False,
        help_text=_lazy(
            "Collez les adresses des documents de la bibliothèque (…/documents/<identifiant>/), séparées par "
            "des virgules ou des retours à la ligne : documents du réseau ou documents publics. Chaque lecteur ne voit "
            "que les documents auxquels il a accès."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = FaqEntry
        fields = ["title", "question_text", "answer_text", "visibility"]
        labels = {
            "title": _lazy("Titre"),
            "question_text": _lazy("Question (anonymisée)"),
            "answer_text": _lazy("Réponse (anonymisée)"),
        }
        help_texts = {
            "question_text": _lazy(
                "Retirez les noms de personnes, d'organisations et tout détail qui identifierait l'acheteur."
            ),
            "visibility": _lazy("Une entrée réservée aux adhérents n'est lue que par les membres du réseau."),
        }
        widgets = {
            "question_text": forms.Textarea(attrs={"rows": 6}),
            "answer_text": forms.Textarea(attrs={"rows": 10}),
        }
        error_messages = {
            "title": {"required": _lazy("Donnez un titre à l'entrée."), "max_length": _lazy("Le titre est trop long.")},
            "question_text": {"required": _lazy("Rédigez la question anonymisée.")},
            "answer_text": {"required": _lazy("Rédigez la réponse anonymisée.")},
            "visibility": {"invalid_choice": _lazy("Choisissez une visibilité de la liste.")},
        }

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.network = network
        self.fields["visibility"].choices = FaqVisibility.choices  # type: ignore[attr-defined]
        if self.instance.pk and not self.is_bound:
            self.initial.update(_related_addresses(self.instance))
        self._style_widgets()

    def clean_related_sheets_text(self) -> list[CaseSheet]:
        ids = _addresses(
            self.cleaned_data.get("related_sheets_text", ""),
            _("« %(token)s » n'est pas l'adresse d'une fiche (…/fiches/<identifiant>/)."),
        )
        sheets = list(CaseSheet.objects.filter(public_id__in=ids, status=SheetStatus.PUBLISHED))
        if len(sheets) != len(ids):
            raise ValidationError(
                _("Certaines fiches sont introuvables ou ne sont pas publiées : vérifiez les adresses.")
            )
        return sheets

    def clean_related_documents_text(self) -> list[Document]:
        ids = _addresses(
            self.cleaned_data.get("related_documents_text", ""),
            _("« %(token)s » n'est pas l'adresse d'un document (…/documents/<identifiant>/)."),
        )
        found = {document.public_id: document for document in Document.objects.filter(public_id__in=ids)}
        if len(found) != len(ids):
            raise ValidationError(_("Certains documents sont introuvables : vérifiez les adresses."))
        try:
            return check_related_documents(self.network.pk, [found[public_id] for public_id in ids])
        except HelpdeskError as error:
            raise ValidationError(str(error)) from error


def _addresses(text: str, invalid_message: str) -> list[uuid.UUID]:
    """The public ids found in addresses pasted one per line or separated by commas, in order, without repeats."""
    ids: list[uuid.UUID] = []
    for token in re.split(r"[\s,;]+", text):
        if not token:
            continue
        match = _UUID.search(token)
        if match is None:
            raise ValidationError(invalid_message, params={"token": token[:80]})
        if uuid.UUID(match.group()) not in ids:
            ids.append(uuid.UUID(match.group()))
    return ids


def _related_addresses(entry: FaqEntry) -> dict[str, str]:
    return {
        "related_sheets_text": "\n".join(str(sheet.public_id) for sheet in entry.related_sheets.all()),
        "related_documents_text": "\n".join(
            f"/documents/{document.public_id}/" for document in entry.related_documents.all()
        ),
    }


def faq_initial_from_entry(entry: FaqEntry) -> dict[str, Any]:
    """The form of an entry republished after a withdrawal starts from the anonymised text published before."""
    return {
        "title": entry.title,
        "question_text": entry.question_text,
        "answer_text": entry.answer_text,
        "visibility": entry.visibility,
        **_related_addresses(entry),
    }


def question_initial_for_faq(question: Question) -> dict[str, Any]:
    answers = [message.body for message in question.messages.all() if message.from_helpdesk]
    return {"title": question.title, "question_text": question.text, "answer_text": "\n\n".join(answers)}


INBOX_ASSIGNEE_CHOICES = [
    ("", _lazy("Tout le monde")),
    ("me", _lazy("Moi")),
    ("none", _lazy("Personne (non attribuées)")),
]


class InboxFilterForm(AccessibleFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_lazy("Statut"), required=False, choices=[("", _lazy("Tous")), *QuestionStatus.choices]
    )
    category = forms.ChoiceField(
        label=_lazy("Catégorie"), required=False, choices=[("", _lazy("Toutes")), *QuestionCategory.choices]
    )
    assignee = forms.ChoiceField(label=_lazy("Attribuée à"), required=False, choices=INBOX_ASSIGNEE_CHOICES)
    overdue = forms.BooleanField(label=_lazy("En retard seulement"), required=False)

    def __init__(self, *args: Any, team: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [  # type: ignore[attr-defined]
            *INBOX_ASSIGNEE_CHOICES,
            *((str(user.public_id), user.full_name or user.email) for user in team),
        ]
        self._style_widgets()
