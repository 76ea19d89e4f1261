"""Account pages: log in (throttled), log out, accept an invitation; and the animators' invitation page."""

from __future__ import annotations

import logging
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_http_methods, require_POST

from relais.accounts import throttle
from relais.accounts.models import User
from relais.accounts.services import AccountError
from relais.core.validators import normalise_identifier, validate_no_markup
from relais.networks.enums import MembershipStatus, Role
from relais.networks.models import Invitation, Network
from relais.networks.perms import is_animator
from relais.networks.services import (
    InvitationError,
    invitation_accept,
    invitation_accept_with_new_account,
    invitation_create,
)
from relais.organisations.models import Organisation

# Reads of personal data (who invited whom, referents) are logged on their own logger (see settings LOGGING).
access_log = logging.getLogger("relais.access")

THROTTLED_MESSAGE = (
    "Trop de tentatives de connexion ont échoué. Pour protéger les comptes, les connexions sont suspendues "
    "pendant {minutes} minutes pour cette adresse. Réessayez plus tard ou réinitialisez votre mot de passe."
)


class LoginForm(forms.Form):
    email = forms.EmailField(
        label="Adresse e-mail",
        help_text="Format attendu : nom@domaine.fr",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label="Mot de passe", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        self.request = request
        self.user: User | None = None
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        email, password = cleaned.get("email"), cleaned.get("password")
        if email and password:
            user = authenticate(self.request, email=email.lower(), password=password)
            assert user is None or isinstance(user, User)  # noqa: S101 - the only backend returns accounts
            if user is None:
                raise ValidationError(
                    "Adresse e-mail ou mot de passe incorrect. Vérifiez votre saisie (les majuscules comptent).",
                    code="invalid_login",
                )
            self.user = user
        return cleaned


def _client_ip(request: HttpRequest) -> str:
    # The reverse proxy must pass the client's address as REMOTE_ADDR (see .env.example): forwarded headers are
    # not trusted here, since any client could forge them to escape the per-address limit.
    return str(request.META.get("REMOTE_ADDR", ""))


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return resolve_url(fallback)


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    """Log in by e-mail and password. Past the failure limit, the password is not even checked (HTTP 429)."""
    next_url = _safe_next(request, settings.LOGIN_REDIRECT_URL)
    if request.method != "POST":
        if request.user.is_authenticated:
            return redirect(next_url)
        return render(request, "web/accounts/login.html", {"form": LoginForm(request), "next": next_url})

    form = LoginForm(request, data=request.POST)
    email = request.POST.get("email", "").strip().lower()
    ip = _client_ip(request)
    if throttle.is_locked(email=email, ip=ip):
        minutes = max(1, settings.LOGIN_THROTTLE_WINDOW_SECONDS // 60)
        context = {"form": LoginForm(request, initial={"email": email}), "next": next_url}
        context["throttled"] = THROTTLED_MESSAGE.format(minutes=minutes)
        return render(request, "web/accounts/login.html", context, status=429)
    if form.is_valid() and form.user is not None:
        throttle.clear_email(email=email)
        login(request, form.user)
        return HttpResponseRedirect(next_url)
    throttle.record_failure(email=email, ip=ip)
    return render(request, "web/accounts/login.html", {"form": form, "next": next_url})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, "Vous êtes déconnecté.")
    return redirect(settings.LOGOUT_REDIRECT_URL)


# Invitations ----------------------------------------------------------------------------------------------------


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Adresse e-mail de la personne invitée", help_text="Format attendu : nom@domaine.fr")
    role = forms.ChoiceField(label="Rôle dans le réseau", choices=Role.choices, initial=Role.MEMBER)
    organisation = forms.ModelChoiceField(
        label="Pour l'organisation adhérente (facultatif)",
        queryset=Organisation.objects.none(),
        to_field_name="public_id",
        required=False,
        empty_label="— Aucune —",
        help_text="Un adhérent représente une organisation adhérente ; un animateur agit pour le réseau.",
    )
    siret = forms.CharField(
        label="Ou SIRET d'une autre organisation (facultatif)",
        required=False,
        max_length=20,
        help_text="Pour un fournisseur ou un facilitateur : 14 chiffres, espaces acceptés.",
    )

    def __init__(self, network: Network, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            memberships__network=network,
            memberships__status__in=[MembershipStatus.ACTIVE, MembershipStatus.PENDING],
        ).order_by("name")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        siret = normalise_identifier(cleaned.get("siret", ""))
        if siret:
            if cleaned.get("organisation"):
                self.add_error("siret", "Choisissez une organisation adhérente ou saisissez un SIRET, pas les deux.")
            else:
                found = Organisation.objects.filter(siret=siret).first()
                if found is None:
                    self.add_error("siret", "Aucune organisation de l'annuaire n'a ce SIRET. Vérifiez les chiffres.")
                cleaned["organisation"] = found
        return cleaned


@require_http_methods(["GET", "POST"])
def invitation_create_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Animators of a network invite people to it and see the invitations sent (personal data: logged)."""
    network = get_object_or_404(Network, slug=slug)
    user = request.user
    if not isinstance(user, User) or not is_animator(user, network):
        raise PermissionDenied
    form = InvitationForm(network, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = invitation_create(
                network=network,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                organisation=form.cleaned_data.get("organisation"),
                by=user,
            )
        except InvitationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Invitation envoyée à {invitation.email}.")
            return redirect("web:invitation_create", slug=network.slug)
    invitations = list(
        Invitation.objects.filter(network=network)
        .select_related("organisation", "invited_by")
        .order_by("-created_at")[:100]
    )
    access_log.info(
        "invitations_viewed user=%s network=%s count=%d",
        user.public_id,
        network.slug,
        len(invitations),
    )
    context = {
        "network": network,
        "form": form,
        "invitations": invitations,
        "breadcrumb_data": {"links": [], "current": f"Inviter dans {network}"},
    }
    return render(request, "web/networks/invitation_create.html", context)


class NewAccountForm(forms.Form):
    full_name = forms.CharField(
        label="Nom et prénom",
        max_length=150,
        validators=[validate_no_markup],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password1 = forms.CharField(
        label="Mot de passe",
        strip=False,
        help_text="Au moins 10 caractères, pas uniquement des chiffres, ni un mot de passe courant, ni votre nom.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="Confirmation du mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("password1") and cleaned.get("password2") and cleaned["password1"] != cleaned["password2"]:
            self.add_error("password2", "Les deux mots de passe ne sont pas identiques.")
        return cleaned


def _invitation_invalid(request: HttpRequest, invitation: Invitation | None) -> HttpResponse:
    if invitation is None:
        reason, status = "Ce lien d'invitation n'existe pas. Vérifiez que vous avez copié l'adresse en entier.", 404
    elif invitation.accepted_at is not None:
        reason, status = "Cette invitation a déjà été acceptée. Connectez-vous pour accéder au réseau.", 410
    else:
        reason, status = "Cette invitation a expiré. Demandez à l'animateur du réseau de vous inviter à nouveau.", 410
    return render(
        request, "web/networks/invitation_invalid.html", {"reason": reason, "invitation": invitation}, status=status
    )


@require_http_methods(["GET", "POST"])
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    """Accept an invitation: with the existing account of its address (logged in), or by creating that account."""
    invitation = Invitation.objects.select_related("network", "organisation").filter(token=token).first()
    if invitation is None or not invitation.is_usable():
        return _invitation_invalid(request, invitation)
    has_account = User.objects.filter(email__iexact=invitation.email).exists()
    context: dict[str, Any] = {"invitation": invitation, "has_account": has_account}

    current = request.user if isinstance(request.user, User) else None

    if has_account:
        if current is None:
            messages.info(request, f"Connectez-vous avec le compte {invitation.email} pour accepter l'invitation.")
            return redirect(f"{reverse('web:login')}?{urlencode({'next': request.path})}")
        if current.email.lower() != invitation.email.lower():
            context["wrong_account"] = True
            return render(request, "web/networks/invitation_accept.html", context, status=403)
        if request.method == "POST":
            try:
                invitation_accept(invitation=invitation, user=current)
            except InvitationError as error:
                messages.error(request, str(error))
                return redirect("web:home")
            messages.success(request, f"Bienvenue dans le réseau {invitation.network.name} !")
            return redirect("web:dashboard")
        return render(request, "web/networks/invitation_accept.html", context)

    if current is not None:
        context["wrong_account"] = True
        return render(request, "web/networks/invitation_accept.html", context, status=403)
    form = NewAccountForm(data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept_with_new_account(
                invitation=invitation,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as error:
            form.add_error("password1", error)
        except (AccountError, InvitationError) as error:
            form.add_error(None, str(error))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Votre compte est créé. Bienvenue dans le réseau {invitation.network.name} !")
            return redirect("web:dashboard")
    context["form"] = form
    return render(request, "web/networks/invitation_accept.html", context)
