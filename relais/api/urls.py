from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView

from . import contracts, documents, events, faq, indicators, urls_advisor, urls_directory, urls_sourcing, views

app_name = "api"

urlpatterns: list[URLPattern | URLResolver] = [
    path("v1/sheets/", views.SheetList.as_view(), name="sheet_list"),
    path("v1/sheets/<uuid:public_id>/", views.SheetDetail.as_view(), name="sheet_detail"),
    path("v1/cpv/", views.CpvList.as_view(), name="cpv_list"),
    path("v1/cpv/<str:code>/", views.CpvDetail.as_view(), name="cpv_detail"),
    path("v1/events/", events.EventList.as_view(), name="event_list"),
    path("v1/events/<uuid:public_id>/", events.EventDetail.as_view(), name="event_detail"),
    path("v1/documents/", documents.DocumentList.as_view(), name="document_list"),
    path("v1/documents/<uuid:public_id>/", documents.DocumentDetail.as_view(), name="document_detail"),
    path("v1/faq/", faq.FaqList.as_view(), name="faq_list"),
    path("v1/faq/<uuid:public_id>/", faq.FaqDetail.as_view(), name="faq_detail"),
    path("v1/contracts/", contracts.ContractList.as_view(), name="contract_list"),
    path("v1/contracts/<uuid:public_id>/", contracts.ContractDetail.as_view(), name="contract_detail"),
    path("v1/indicators/buyers/<str:identifier>/", indicators.IndicatorBuyer.as_view(), name="indicator_buyer"),
    path("v1/indicators/networks/<slug:slug>/", indicators.IndicatorNetwork.as_view(), name="indicator_network"),
    path(
        "v1/indicators/territories/<str:level>/<str:code>/",
        indicators.IndicatorTerritory.as_view(),
        name="indicator_territory",
    ),
    path("", include(urls_directory)),
    path("", include(urls_sourcing)),
    path("", include(urls_advisor)),
    path("v1/schema/", SpectacularAPIView.as_view(api_version="1.0.0"), name="schema"),
]
