"""API v1: the supplier directory, read only.

Visibility is the site's (`relais.suppliers.perms`): suppliers who agreed to a public page for everyone, every
supplier for the networks' members; a supplier account also reads its own record. Contacts (personal data) are given
only to the networks' members and to the accounts acting for the supplier, never to anonymous callers, and each
answer that carries them is access-logged. The list takes the directory page's filters, parsed and answered by the
same code (`relais.suppliers.search`), so that the API and the site always agree; an invalid filter is a 400 with a
French message per parameter.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from relais.networks.perms import member_network_ids
from relais.organisations.enums import StructureType
from relais.organisations.models import Organisation, OrganisationStructure
from relais.suppliers import perms
from relais.suppliers.enums import ServiceKind
from relais.suppliers.facts import is_valid_on, supplier_case_sheets, supplier_facts, supplier_track_record
from relais.suppliers.models import SupplierActivity, SupplierContact, SupplierLabel
from relais.suppliers.search import BASIS_LABELS, DirectoryPage, directory_search, parse_directory_search

from .paging import PAGE_PARAM, PageFieldsSerializer, choices_help, page_links, query_param
from .serializers import _absolute
from .throttling import THROTTLES

access_log = logging.getLogger("relais.access")


def _with_details(suppliers: QuerySet[Organisation]) -> QuerySet[Organisation]:
    return suppliers.select_related("departement", "supplier_profile").prefetch_related(
        Prefetch("structures", queryset=OrganisationStructure.objects.order_by("structure_type")),
        Prefetch(
            "activities",
            queryset=SupplierActivity.objects.prefetch_related("cpvs", "themes", "regions", "departements"),
        ),
        Prefetch("labels", queryset=SupplierLabel.objects.select_related("label")),
    )


# ── Serializers ─────────────────────────────────────────────────────────────────────────────────────────────────────


class StructureSerializer(serializers.ModelSerializer[OrganisationStructure]):
    type = serializers.CharField(source="structure_type", help_text=choices_help("Type", StructureType.choices))
    type_label = serializers.CharField(source="get_structure_type_display")
    valid = serializers.SerializerMethodField(help_text="Valable aujourd'hui (sans date : compté, à vérifier).")

    class Meta:
        model = OrganisationStructure
        fields = ["type", "type_label", "evidence", "valid_until", "valid"]

    def get_valid(self, structure: OrganisationStructure) -> bool:
        return is_valid_on(structure, timezone.localdate())


class ActivitySerializer(serializers.ModelSerializer[SupplierActivity]):
    service_kind = serializers.CharField(help_text=choices_help("Type de prestation", ServiceKind.choices))
    service_kind_label = serializers.CharField(source="get_service_kind_display")
    coverage_label = serializers.CharField(source="get_coverage_display")
    cpvs = serializers.SerializerMethodField(help_text="Codes CPV 2008 (avec clé).")
    themes = serializers.SerializerMethodField(help_text="Identifiants des thèmes.")
    regions = serializers.SerializerMethodField(help_text="Codes INSEE des régions couvertes.")
    departements = serializers.SerializerMethodField(help_text="Codes INSEE des départements couverts.")

    class Meta:
        model = SupplierActivity
        fields = [
            "title",
            "description",
            "service_kind",
            "service_kind_label",
            "cpvs",
            "themes",
            "coverage",
            "coverage_label",
            "regions",
            "departements",
            "radius_km",
        ]

    def get_cpvs(self, activity: SupplierActivity) -> list[str]:
        return [cpv.code for cpv in activity.cpvs.all()]

    def get_themes(self, activity: SupplierActivity) -> list[str]:
        return [theme.slug for theme in activity.themes.all()]

    def get_regions(self, activity: SupplierActivity) -> list[str]:
        return [region.code for region in activity.regions.all()]

    def get_departements(self, activity: SupplierActivity) -> list[str]:
        return [departement.code for departement in activity.departements.all()]


class HeldLabelSerializer(serializers.ModelSerializer[SupplierLabel]):
    slug = serializers.CharField(source="label.slug")
    name = serializers.CharField(source="label.name")
    kind = serializers.CharField(source="label.kind")
    issuer = serializers.CharField(source="label.issuer")
    equivalent_accepted = serializers.BooleanField(
        source="label.equivalent_accepted", help_text="Un label équivalent doit être accepté (CCP R2111-12 s.)."
    )

    class Meta:
        model = SupplierLabel
        fields = ["slug", "name", "kind", "issuer", "equivalent_accepted", "evidence", "valid_until"]


class SupplierSerializer(serializers.ModelSerializer[Organisation]):
    """What a list shows of a supplier."""

    id = serializers.UUIDField(source="public_id")
    url = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()
    departement = serializers.SerializerMethodField(help_text="Code INSEE du département de l'adresse, ou null.")
    public_listing = serializers.SerializerMethodField(help_text="Le fournisseur a accepté une page publique.")
    structures = StructureSerializer(many=True)
    activities = ActivitySerializer(many=True)
    labels = HeldLabelSerializer(many=True)

    class Meta:
        model = Organisation
        fields = [
            "id",
            "url",
            "web_url",
            "name",
            "siret",
            "city",
            "departement",
            "public_listing",
            "structures",
            "activities",
            "labels",
        ]

    def get_url(self, organisation: Organisation) -> str:
        path = reverse("api:directory_detail", kwargs={"public_id": organisation.public_id})
        return _absolute(self.context.get("request"), path)

    def get_web_url(self, organisation: Organisation) -> str:
        path = reverse("web:directory_supplier", kwargs={"public_id": organisation.public_id})
        return _absolute(self.context.get("request"), path)

    def get_departement(self, organisation: Organisation) -> str | None:
        return organisation.departement.code if organisation.departement else None

    def get_public_listing(self, organisation: Organisation) -> bool:
        profile = getattr(organisation, "supplier_profile", None)
        return bool(profile and profile.public_listing)


def _media(request: Any, organisation: Organisation, media_id: Any) -> str:
    path = reverse("web:directory_supplier_media", kwargs={"public_id": organisation.public_id, "media_id": media_id})
    return _absolute(request, path)


class SupplierDetailSerializer(SupplierSerializer):
    """A supplier with its profile, derived facts, track record, case sheets and (to those who may) contacts."""

    profile = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField()
    facts = serializers.SerializerMethodField()
    track_record = serializers.SerializerMethodField()
    case_sheets = serializers.SerializerMethodField(
        help_text="Fiches retour d'expérience publiées où il apparaît, que l'appelant peut lire."
    )
    contacts = serializers.SerializerMethodField(
        help_text="Contacts : donnés aux adhérents des réseaux et au fournisseur lui-même ; null sinon."
    )

    class Meta(SupplierSerializer.Meta):
        fields = [
            *SupplierSerializer.Meta.fields,
            "description",
            "website",
            "profile",
            "photos",
            "facts",
            "track_record",
            "case_sheets",
            "contacts",
        ]

    @extend_schema_field(
        inline_serializer(
            "SupplierProfileData",
            {
                "address": serializers.CharField(),
                "postcode": serializers.CharField(),
                "latitude": serializers.FloatField(allow_null=True),
                "longitude": serializers.FloatField(allow_null=True),
                "staff_insertion": serializers.IntegerField(allow_null=True),
                "staff_permanent": serializers.IntegerField(allow_null=True),
                "turnover_band": serializers.CharField(),
                "turnover_band_label": serializers.CharField(),
                "logo_url": serializers.URLField(allow_null=True),
            },
            allow_null=True,
        )
    )
    def get_profile(self, organisation: Organisation) -> dict[str, Any] | None:
        profile = getattr(organisation, "supplier_profile", None)
        if profile is None:
            return None
        return {
            "address": profile.address,
            "postcode": profile.postcode,
            "latitude": profile.latitude,
            "longitude": profile.longitude,
            "staff_insertion": profile.staff_insertion,
            "staff_permanent": profile.staff_permanent,
            "turnover_band": profile.turnover_band,
            "turnover_band_label": profile.get_turnover_band_display() if profile.turnover_band else "",
            "logo_url": _media(self.context.get("request"), organisation, profile.public_id) if profile.logo else None,
        }

    @extend_schema_field(
        inline_serializer(
            "SupplierPhotoData", {"url": serializers.URLField(), "caption": serializers.CharField()}, many=True
        )
    )
    def get_photos(self, organisation: Organisation) -> list[dict[str, Any]]:
        request = self.context.get("request")
        return [
            {"url": _media(request, organisation, photo.public_id), "caption": photo.caption}
            for photo in organisation.photos.all()
        ]

    @extend_schema_field(
        inline_serializer(
            "SupplierFact",
            {
                "code": serializers.CharField(),
                "label": serializers.CharField(),
                "holds": serializers.BooleanField(),
                "reason": serializers.CharField(),
                "legal_reference": serializers.CharField(),
            },
            many=True,
        )
    )
    def get_facts(self, organisation: Organisation) -> list[dict[str, Any]]:
        return [
            {
                "code": fact.code,
                "label": fact.label,
                "holds": fact.holds,
                "reason": fact.reason,
                "legal_reference": fact.legal_reference,
            }
            for fact in supplier_facts(organisation, on=timezone.localdate())
        ]

    @extend_schema_field(
        inline_serializer(
            "SupplierTrackRecord",
            {
                "since": serializers.DateField(),
                "count": serializers.IntegerField(),
                "amount": serializers.DecimalField(max_digits=20, decimal_places=2),
                "unvalued": serializers.IntegerField(),
                "by_year": serializers.ListField(child=serializers.DictField()),
                "web_url": serializers.URLField(),
            },
        )
    )
    def get_track_record(self, organisation: Organisation) -> dict[str, Any]:
        record = supplier_track_record(organisation, today=timezone.localdate())
        path = reverse("web:contract_holder", kwargs={"public_id": organisation.public_id})
        return {
            "since": record.since,
            "count": record.count,
            "amount": f"{record.amount:.2f}",
            "unvalued": record.unvalued,
            "by_year": [
                {"year": year.year, "count": year.count, "amount": f"{year.amount:.2f}", "unvalued": year.unvalued}
                for year in record.by_year
            ],
            "web_url": _absolute(self.context.get("request"), path),
        }

    @extend_schema_field(
        inline_serializer(
            "SupplierCaseSheet",
            {
                "id": serializers.UUIDField(),
                "title": serializers.CharField(),
                "url": serializers.URLField(),
                "roles": serializers.ListField(child=serializers.CharField()),
            },
            many=True,
        )
    )
    def get_case_sheets(self, organisation: Organisation) -> list[dict[str, Any]]:
        request = self.context.get("request")
        network_ids = member_network_ids(request.user) if request is not None else set()
        return [
            {
                "id": item.sheet.public_id,
                "title": item.sheet.title,
                "url": _absolute(request, reverse("api:sheet_detail", kwargs={"public_id": item.sheet.public_id})),
                "roles": item.roles,
            }
            for item in supplier_case_sheets(organisation, member_network_ids=network_ids)
        ]

    @extend_schema_field(
        inline_serializer(
            "SupplierContactData",
            {
                "full_name": serializers.CharField(),
                "position": serializers.CharField(),
                "email": serializers.EmailField(),
                "phone": serializers.CharField(),
            },
            many=True,
            allow_null=True,
        )
    )
    def get_contacts(self, organisation: Organisation) -> list[dict[str, str]] | None:
        contacts: list[SupplierContact] | None = self.context.get("contacts")
        if contacts is None:
            return None
        return [
            {"full_name": c.full_name, "position": c.position, "email": c.email, "phone": c.phone} for c in contacts
        ]


class SupplierPageSerializer(PageFieldsSerializer):
    results = SupplierSerializer(many=True)
    facets = serializers.DictField(
        child=serializers.ListField(child=serializers.DictField()),
        help_text="Par filtre (`structure`, `label`, `kind`, `basis`) : {value, label, count, selected}.",
    )


# ── Filters ─────────────────────────────────────────────────────────────────────────────────────────────────────────

SUPPLIER_FILTERS = [
    query_param("q", "Mots du nom, de la présentation ou des activités."),
    query_param("cpv", "Code CPV (8 chiffres) : activités de ce code, des codes plus fins et des codes plus larges."),
    query_param("theme", "Identifiant d'un thème (`restauration-collective`)."),
    query_param("departement", "Code INSEE d'un département : les fournisseurs qui le couvrent."),
    query_param("region", "Code INSEE d'une région : fournisseurs qui la couvrent ou couvrent un de ses départements."),
    query_param("structure", choices_help("Type de structure valable aujourd'hui (répétable)", StructureType.choices)),
    query_param("label", "Identifiant d'un label détenu et valable (répétable)."),
    query_param("kind", choices_help("Type de prestation (répétable)", ServiceKind.choices)),
    query_param("basis", choices_help("Fondement de marché réservé (répétable)", BASIS_LABELS.items())),
    PAGE_PARAM,
]


def _facets(result: DirectoryPage) -> dict[str, list[dict[str, Any]]]:
    return {
        name: [{"value": v.value, "label": v.label, "count": v.count, "selected": v.selected} for v in values]
        for name, values in result.facets.items()
    }


# ── Views ───────────────────────────────────────────────────────────────────────────────────────────────────────────


class SupplierList(generics.GenericAPIView[Organisation]):
    """Suppliers of the directory the caller may see, with the directory page's filters, read by the same function
    (`suppliers.search.parse_directory_search`) and answered by the same query (`directory_search`)."""

    serializer_class = SupplierSerializer
    throttle_classes = THROTTLES
    pagination_class = None

    @extend_schema(
        parameters=SUPPLIER_FILTERS,
        responses={
            200: SupplierPageSerializer,
            400: inline_serializer(
                "SupplierFilterErrors", {"errors": serializers.DictField(child=serializers.CharField())}
            ),
        },
        operation_id="suppliers_list",
        summary="Lister les fournisseurs de l'annuaire",
        description=(
            "Structures de l'économie sociale et solidaire de l'annuaire, par nom : celles qui ont accepté une page "
            "publique pour tous, toutes pour les adhérents des réseaux. Mêmes filtres que la page de l'annuaire ; "
            "plusieurs valeurs d'un filtre répétable sont des alternatives, les filtres différents s'ajoutent. "
            "`facets` compte les résultats par type de structure, label, type de prestation et fondement de marché "
            "réservé. Les contacts ne figurent jamais dans la liste. 20 par page. Un filtre invalide donne une "
            "erreur 400 avec un message par paramètre."
        ),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        params, problems = parse_directory_search(request.query_params)
        if problems:
            return Response({"errors": problems}, status=400)
        result = directory_search(params, request.user)
        by_id = _with_details(Organisation.objects.filter(pk__in=result.organisation_ids)).in_bulk()
        items = [by_id[pk] for pk in result.organisation_ids if pk in by_id]
        return Response(
            {
                "count": result.total,
                "page": result.page,
                "num_pages": result.num_pages,
                **page_links(request, result.page, result.num_pages),
                "results": SupplierSerializer(items, many=True, context=self.get_serializer_context()).data,
                "facets": _facets(result),
            }
        )


class SupplierDetail(generics.GenericAPIView[Organisation]):
    """One supplier. 404 when it does not exist or the caller may not see it."""

    serializer_class = SupplierDetailSerializer
    throttle_classes = THROTTLES

    @extend_schema(
        operation_id="suppliers_retrieve",
        summary="Lire un fournisseur de l'annuaire",
        description=(
            "Un fournisseur avec son profil, ses activités, labels, faits dérivés (marchés réservés L2113-12, "
            "L2113-13, L2113-13-1, L2113-15, clause d'insertion — chacun avec sa raison et sa référence), ses "
            "marchés remportés ces 3 dernières années (DECP) et les fiches où il apparaît. `contacts` est null "
            "sauf pour les adhérents des réseaux et le fournisseur lui-même. 404 si le fournisseur n'existe pas ou "
            "n'a pas accepté de page publique et que l'appelant n'est pas adhérent d'un réseau."
        ),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        organisation = _with_details(Organisation.objects.suppliers()).filter(public_id=kwargs["public_id"]).first()
        if organisation is None or not perms.can_view_supplier(request.user, organisation):
            raise Http404
        contacts: list[SupplierContact] | None = None
        if perms.can_see_contacts_of(request.user, organisation):
            contacts = list(organisation.contacts.all())
            if contacts:
                access_log.info(
                    "supplier_contacts_viewed_api user=%s supplier=%s count=%d",
                    getattr(request.user, "public_id", ""),
                    organisation.public_id,
                    len(contacts),
                )
        context = {**self.get_serializer_context(), "contacts": contacts}
        response = Response(SupplierDetailSerializer(organisation, context=context).data)
        profile = getattr(organisation, "supplier_profile", None)
        if contacts is not None or profile is None or not profile.public_listing:
            response["Cache-Control"] = "private, no-store"
        return response
