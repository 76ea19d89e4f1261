"""The back office: every model of the domain apps is registered and its pages open for a site admin."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from relais.accounts.models import User
from tests.conftest import Personas
from tests.factories import CaseSheetFactory

APPS = ["accounts", "organisations", "networks", "casesheets"]


def test_every_model_of_the_domain_apps_is_registered() -> None:
    inline_only = {"awardcriterion", "sheetbuyer", "stakeholder", "impactfigure", "attachment", "link"}
    missing = [
        f"{model._meta.app_label}.{model._meta.model_name}"
        for label in APPS
        for model in apps.get_app_config(label).get_models()
        if model not in admin.site._registry and model._meta.model_name not in inline_only
    ]
    assert missing == []


@pytest.mark.parametrize("label", APPS)
def test_admin_pages_open(client: Client, personas: Personas, label: str) -> None:
    CaseSheetFactory.create(network=personas.network, published=True)
    client.force_login(personas.site_admin)
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label != label:
            continue
        info = (model._meta.app_label, model._meta.model_name)
        changelist = client.get(reverse("admin:{}_{}_changelist".format(*info)), {"q": "a"})
        assert changelist.status_code == 200, info
        obj = model.objects.first()  # type: ignore[attr-defined]
        if obj is not None:
            assert client.get(reverse("admin:{}_{}_change".format(*info), args=[obj.pk])).status_code == 200, info
        if model_admin.has_add_permission(changelist.wsgi_request):
            assert client.get(reverse("admin:{}_{}_add".format(*info))).status_code == 200, info


def test_cpv_and_organisations_are_never_full_selects(client: Client, personas: Personas) -> None:
    sheet = CaseSheetFactory.create(network=personas.network, published=True)
    client.force_login(personas.site_admin)
    html = client.get(reverse("admin:casesheets_casesheet_change", args=[sheet.pk])).content.decode()
    # 9,454 CPV codes and thousands of organisations: autocomplete widgets render only the selected option.
    for name in ("main_cpv", "additional_cpvs", "buyers-0-organisation", "stakeholders-0-organisation"):
        tag = re.search(rf'<select[^>]*name="{name}"[^>]*>', html)
        assert tag, name
        assert "admin-autocomplete" in tag.group(0), name


def test_site_admin_creates_an_account_by_email(client: Client, personas: Personas) -> None:
    client.force_login(personas.site_admin)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "Nouvelle.Personne@Exemple.fr",
            "full_name": "Nouvelle Personne",
            "usable_password": "true",
            "password1": "Un-mot-de-passe-solide-2025",
            "password2": "Un-mot-de-passe-solide-2025",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(email="nouvelle.personne@exemple.fr")
    assert user.check_password("Un-mot-de-passe-solide-2025")


def test_non_staff_cannot_open_the_admin(client: Client, personas: Personas) -> None:
    client.force_login(personas.animator)
    response = client.get(reverse("admin:casesheets_casesheet_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_admin_login_goes_through_the_throttled_site_login(client: Client, personas: Personas) -> None:
    response = client.get(reverse("admin:login"), {"next": "/admin/"})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:login") + "?next=%2Fadmin%2F"
    # Posting passwords to the admin login checks nothing.
    posted = client.post(reverse("admin:login"), {"username": "admin@exemple.fr", "password": "mot-de-passe-solide"})
    assert posted.status_code == 302
    assert "_auth_user_id" not in client.session
    # The site's login brings a site admin back to the back office.
    logged = client.post(
        reverse("web:login"), {"email": "admin@exemple.fr", "password": "mot-de-passe-solide", "next": "/admin/"}
    )
    assert logged["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_signed_in_person_without_back_office_access_is_refused_without_a_loop(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.animator)
    assert client.get(reverse("admin:login"), {"next": "/admin/"}).status_code == 403
