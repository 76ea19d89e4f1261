"""People in the back office: accounts log in by e-mail (no username).

Their roles in networks are added as an inline by `relais.networks.admin` (networks sit above accounts in the
layers, so accounts cannot import them)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _

from .models import User


def _clean_email(form: forms.ModelForm[User]) -> str:
    email = User.objects.normalize_email(form.cleaned_data["email"]).strip().lower()
    others = User.objects.filter(email__iexact=email)
    if form.instance.pk:
        others = others.exclude(pk=form.instance.pk)
    if others.exists():
        raise forms.ValidationError(_("Un compte existe déjà avec cette adresse e-mail."))
    return email


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")

    def clean_email(self) -> str:
        return _clean_email(self)


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean_email(self) -> str:
        return _clean_email(self)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    list_display = ["email", "full_name", "is_active", "is_staff", "is_superuser", "last_login", "date_joined"]
    list_filter = ["is_active", "is_staff", "is_superuser", "network_roles__role", "network_roles__network"]
    search_fields = ["email", "full_name"]
    ordering = ["email"]
    readonly_fields = ["public_id", "last_login", "date_joined", "created_at", "updated_at"]
    fieldsets = (
        (None, {"fields": ("email", "password", "full_name", "public_id")}),
        (
            _("Droits"),
            {
                "fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions"),
                "description": _(
                    "Les administrateurs du site ont « superutilisateur ». Les rôles dans les réseaux "
                    "(animateur, adhérent…) se gèrent plus bas."
                ),
            },
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined", "created_at", "updated_at")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "usable_password", "password1", "password2")}),
    )
    filter_horizontal = ("groups", "user_permissions")


def _login_through_the_site(request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
    """The back office has no login form of its own: one login page, one throttle (see throttle.py).

    Django's admin login would let anyone try passwords without the per-address and per-e-mail limits. A person
    already logged in without back-office access is refused rather than sent back to the login page (a loop).
    """
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("admin:index")
    if request.user.is_authenticated:
        if request.user.is_active and request.user.is_staff:
            return HttpResponseRedirect(next_url)
        raise PermissionDenied
    # A URL name, not an import: the domain never imports the web interface.
    return HttpResponseRedirect(f"{reverse('web:login')}?{urlencode({'next': next_url})}")


admin.site.login = _login_through_the_site  # type: ignore[method-assign]
