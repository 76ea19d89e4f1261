"""Public-contract data (DECP)."""

from django.urls import path

from .views import contracts, contracts_indicator_lists, contracts_indicators, contracts_public

urlpatterns = [
    path("donnees-essentielles/imports/", contracts.decp_imports, name="decp_imports"),
    path("donnees-essentielles/imports/<uuid:public_id>/", contracts.decp_import_detail, name="decp_import_detail"),
    # Search, detail, track record (public, Licence Ouverte) and the step to a draft case sheet (members).
    path("marches/", contracts_public.contract_search, name="contract_search"),
    path("marches/export.csv", contracts_public.contract_export_csv, name="contract_export_csv"),
    path("marches/export.xlsx", contracts_public.contract_export_xlsx, name="contract_export_xlsx"),
    path("marches/titulaires/<uuid:public_id>/", contracts_public.contract_holder, name="contract_holder"),
    path("marches/<uuid:public_id>/", contracts_public.contract_detail, name="contract_detail"),
    path("marches/<uuid:public_id>/fiche/", contracts_public.contract_to_sheet, name="contract_to_sheet"),
    # Indicators (public figures; a network's per-member lists for its members): buyer, observatory, checks, SPASER.
    path("observatoire/", contracts_indicators.indicator_observatory, name="indicator_observatory"),
    path("observatoire/export.csv", contracts_indicators.indicator_observatory_csv, name="indicator_observatory_csv"),
    path(
        "observatoire/export.xlsx", contracts_indicators.indicator_observatory_xlsx, name="indicator_observatory_xlsx"
    ),
    path("observatoire/acheteurs/<str:identifier>/", contracts_indicators.indicator_buyer, name="indicator_buyer"),
    path(
        "observatoire/acheteurs/<str:identifier>/export.csv",
        contracts_indicators.indicator_buyer_csv,
        name="indicator_buyer_csv",
    ),
    path(
        "observatoire/acheteurs/<str:identifier>/export.xlsx",
        contracts_indicators.indicator_buyer_xlsx,
        name="indicator_buyer_xlsx",
    ),
    path("observatoire/controles/", contracts_indicator_lists.indicator_compliance, name="indicator_compliance"),
    path(
        "observatoire/controles/export.csv",
        contracts_indicator_lists.indicator_compliance_csv,
        name="indicator_compliance_csv",
    ),
    path(
        "observatoire/controles/export.xlsx",
        contracts_indicator_lists.indicator_compliance_xlsx,
        name="indicator_compliance_xlsx",
    ),
    path("observatoire/spaser/", contracts_indicator_lists.indicator_spaser, name="indicator_spaser"),
    path("observatoire/spaser/export.csv", contracts_indicator_lists.indicator_spaser_csv, name="indicator_spaser_csv"),
    path(
        "observatoire/spaser/export.xlsx", contracts_indicator_lists.indicator_spaser_xlsx, name="indicator_spaser_xlsx"
    ),
]
