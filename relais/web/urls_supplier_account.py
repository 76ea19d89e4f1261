"""Supplier self-service (claims, profile editor) and the bulk import of supplier lists. Every name starts with
`supplier_` (permission matrix: tests/suppliers/test_permissions_self_service.py)."""

from django.urls import URLPattern, path

from .views import supplier_account as views
from .views import supplier_import

PROFILE = "espace-fournisseur/<uuid:public_id>/"
PARTS = (
    ("structures", "types-de-structure", "structure"),
    ("activities", "activites", "activity"),
    ("labels", "labels", "label"),
    ("contacts", "contacts", "contact"),
)

urlpatterns: list[URLPattern] = [
    path("espace-fournisseur/revendiquer/", views.supplier_claim, name="supplier_claim"),
    path("espace-fournisseur/mes-structures/", views.supplier_claims_mine, name="supplier_claims_mine"),
    path("espace-fournisseur/revendications/", views.supplier_claim_queue, name="supplier_claim_queue"),
    path(
        "espace-fournisseur/revendications/<uuid:public_id>/",
        views.supplier_claim_review,
        name="supplier_claim_review",
    ),
    path(
        "espace-fournisseur/revendications/<uuid:public_id>/verifier/",
        views.supplier_claim_verify,
        name="supplier_claim_verify",
    ),
    path(
        "espace-fournisseur/revendications/<uuid:public_id>/refuser/",
        views.supplier_claim_reject,
        name="supplier_claim_reject",
    ),
    path(PROFILE, views.supplier_profile_edit, name="supplier_profile_edit"),
    path(PROFILE + "photos/", views.supplier_part, {"part": "photos"}, name="supplier_photos"),
    path(
        PROFILE + "photos/<uuid:item_id>/supprimer/",
        views.supplier_part_delete,
        {"part": "photos"},
        name="supplier_photo_delete",
    ),
    path(PROFILE + "logo/", views.supplier_logo, name="supplier_logo"),
    # Bulk import of supplier lists (animators, site admins).
    path("espace-fournisseur/imports/", supplier_import.supplier_imports, name="supplier_imports"),
    path(
        "espace-fournisseur/imports/<uuid:public_id>/colonnes/",
        supplier_import.supplier_import_mapping,
        name="supplier_import_mapping",
    ),
    path(
        "espace-fournisseur/imports/<uuid:public_id>/",
        supplier_import.supplier_import_detail,
        name="supplier_import_detail",
    ),
    path(
        "espace-fournisseur/imports/<uuid:public_id>/appliquer/",
        supplier_import.supplier_import_apply,
        name="supplier_import_apply",
    ),
    path(
        "espace-fournisseur/imports/<uuid:public_id>/rejets.csv",
        supplier_import.supplier_import_rejects_csv,
        name="supplier_import_rejects_csv",
    ),
]

for part, slug, item in PARTS:
    urlpatterns += [
        path(PROFILE + f"{slug}/", views.supplier_part, {"part": part}, name=f"supplier_{part}"),
        path(PROFILE + f"{slug}/<uuid:item_id>/", views.supplier_part, {"part": part}, name=f"supplier_{item}_edit"),
        path(
            PROFILE + f"{slug}/<uuid:item_id>/supprimer/",
            views.supplier_part_delete,
            {"part": part},
            name=f"supplier_{item}_delete",
        ),
    ]
