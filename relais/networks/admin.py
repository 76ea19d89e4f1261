"""Networks, memberships (with their referents), people's roles and invitations in the back office.

Referents are personal data: opening a membership logs the access on the "relais.access" logger.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse

from relais.accounts.admin import UserAdmin as AccountsUserAdmin
from relais.accounts.models import User

from .models import Invitation, Membership, Network, NetworkRole, Referent
from .signals import announce_members_change

access_log = logging.getLogger("relais.access")


class ReferentInline(admin.TabularInline):
    model = Referent
    extra = 0
    max_num = 2  # one elected official and one technician
    fields = ["kind", "full_name", "position", "email", "phone"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["organisation", "status", "start_date", "end_date"]
    autocomplete_fields = ["organisation"]
    show_change_link = True


class NetworkRoleInline(admin.TabularInline):
    model = NetworkRole
    extra = 0
    fields = ["network", "role", "organisation"]
    autocomplete_fields = ["organisation"]


class NetworkRoleOfNetworkInline(admin.TabularInline):
    model = NetworkRole
    extra = 0
    fields = ["user", "role", "organisation"]
    autocomplete_fields = ["user", "organisation"]


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "slug", "scope"]
    list_filter = ["scope"]
    search_fields = ["name", "acronym", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["regions"]
    readonly_fields = ["public_id", "created_at", "updated_at"]
    inlines = [MembershipInline, NetworkRoleOfNetworkInline]

    def save_formset(self, request: HttpRequest, form: ModelForm[Network], formset: Any, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        if formset.model is Membership and formset.has_changed():
            announce_members_change(form.instance.pk)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["organisation", "network", "status", "start_date", "end_date"]
    list_filter = ["network", "status"]
    search_fields = ["organisation__name", "organisation__siret", "referents__full_name", "referents__email"]
    autocomplete_fields = ["organisation"]
    list_select_related = ["organisation", "network"]
    readonly_fields = ["public_id", "created_at", "updated_at"]
    inlines = [ReferentInline]

    def change_view(self, request: HttpRequest, object_id: str, *args: Any, **kwargs: Any) -> HttpResponse:
        access_log.info("referents_viewed user=%s via=admin membership=%s", request.user.pk, object_id)
        return super().change_view(request, object_id, *args, **kwargs)

    # Every write of a membership tells the apps that follow a network's members (its indicator cube).
    def save_model(self, request: HttpRequest, obj: Membership, form: ModelForm[Membership], change: bool) -> None:
        moved_from = form.initial.get("network") if change else None
        super().save_model(request, obj, form, change)
        for network_id in {obj.network_id, *([moved_from] if moved_from else [])}:
            announce_members_change(int(network_id))

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        super().delete_model(request, obj)
        announce_members_change(obj.network_id)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        networks = set(queryset.values_list("network_id", flat=True))
        super().delete_queryset(request, queryset)
        for network_id in networks:
            announce_members_change(network_id)


@admin.register(Referent)
class ReferentAdmin(admin.ModelAdmin):
    list_display = ["full_name", "kind", "membership", "position", "email", "phone"]
    list_filter = ["kind", "membership__network"]
    search_fields = ["full_name", "email", "membership__organisation__name", "membership__organisation__siret"]
    raw_id_fields = ["membership"]
    list_select_related = ["membership__organisation", "membership__network"]

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        access_log.info("referents_viewed user=%s via=admin list", request.user.pk)
        return super().changelist_view(request, extra_context)


@admin.register(NetworkRole)
class NetworkRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "network", "organisation", "created_at"]
    list_filter = ["role", "network"]
    search_fields = ["user__email", "user__full_name", "organisation__name", "organisation__siret"]
    autocomplete_fields = ["user", "organisation"]
    list_select_related = ["user", "network", "organisation"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations are created from the site (the e-mail with the link leaves from there); here they are read."""

    list_display = ["email", "role", "network", "organisation", "invited_by", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role", "network", ("accepted_at", admin.EmptyFieldListFilter)]
    search_fields = ["email", "organisation__name", "organisation__siret", "invited_by__email"]
    autocomplete_fields = ["organisation", "invited_by"]
    list_select_related = ["network", "organisation", "invited_by"]
    # The token is the invitation's only secret: never displayed.
    readonly_fields = ["public_id", "created_at", "updated_at", "accepted_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        access_log.info("invitations_viewed user=%s via=admin", request.user.pk)
        return super().changelist_view(request, extra_context)


# The account admin lives in relais.accounts, which may not import networks (layers): the roles inline is added
# here by re-registering the same admin with it.
admin.site.unregister(User)


@admin.register(User)
class UserAdmin(AccountsUserAdmin):
    def get_inlines(self, request: HttpRequest, obj: Any) -> list[type[admin.options.InlineModelAdmin]]:
        # Roles are added once the account exists (the add form is Django's short creation form).
        return [NetworkRoleInline] if obj is not None else []
