"""Read-only representations of published case sheets and CPV codes. Public UUIDs only, never integer ids."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from relais.casesheets.models import (
    Attachment,
    AwardCriterion,
    CaseSheet,
    ImpactFigure,
    Link,
    SheetBuyer,
    Stakeholder,
)
from relais.networks.models import Network
from relais.organisations.models import Organisation
from relais.reference.models import Cpv, Departement, Region, Theme


def _absolute(request: Any, path: str) -> str:
    return str(request.build_absolute_uri(path)) if request is not None else path


class CpvBriefSerializer(serializers.ModelSerializer[Cpv]):
    label = serializers.CharField(source="label_fr")  # type: ignore[assignment]

    class Meta:
        model = Cpv
        fields = ["code", "label", "label_en", "division", "level"]


class CpvSerializer(CpvBriefSerializer):
    url = serializers.SerializerMethodField()

    class Meta(CpvBriefSerializer.Meta):
        fields = [*CpvBriefSerializer.Meta.fields, "url"]

    def get_url(self, cpv: Cpv) -> str:
        return _absolute(self.context.get("request"), reverse("api:cpv_detail", kwargs={"code": cpv.code8}))


class CpvDetailSerializer(CpvSerializer):
    parent = CpvSerializer(allow_null=True)
    children = serializers.SerializerMethodField()

    class Meta(CpvSerializer.Meta):
        fields = [*CpvSerializer.Meta.fields, "parent", "children"]

    @extend_schema_field(CpvSerializer(many=True))
    def get_children(self, cpv: Cpv) -> list[dict[str, Any]]:
        return CpvSerializer(cpv.children.order_by("code8"), many=True, context=self.context).data  # type: ignore[return-value]


class NetworkSerializer(serializers.ModelSerializer[Network]):
    class Meta:
        model = Network
        fields = ["slug", "name", "acronym"]


class ThemeSerializer(serializers.ModelSerializer[Theme]):
    class Meta:
        model = Theme
        fields = ["slug", "label", "label_en"]


class RegionSerializer(serializers.ModelSerializer[Region]):
    class Meta:
        model = Region
        fields = ["code", "name"]


class DepartementSerializer(serializers.ModelSerializer[Departement]):
    class Meta:
        model = Departement
        fields = ["code", "name"]


class OrganisationSerializer(serializers.ModelSerializer[Organisation]):
    id = serializers.UUIDField(source="public_id")
    kind_label = serializers.CharField(source="get_kind_display")
    structure_types = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "kind_label", "siret", "siren", "city", "website", "structure_types"]

    def get_structure_types(self, organisation: Organisation) -> list[str]:
        return organisation.structure_type_codes


class BuyerSerializer(serializers.ModelSerializer[SheetBuyer]):
    organisation = OrganisationSerializer()
    role_label = serializers.CharField(source="get_role_display")

    class Meta:
        model = SheetBuyer
        fields = ["organisation", "role", "role_label"]


class StakeholderSerializer(serializers.ModelSerializer[Stakeholder]):
    organisation = OrganisationSerializer()
    role_label = serializers.CharField(source="get_role_display")

    class Meta:
        model = Stakeholder
        fields = ["organisation", "role", "role_label"]


class CriterionSerializer(serializers.ModelSerializer[AwardCriterion]):
    kind_label = serializers.CharField(source="get_kind_display")

    class Meta:
        model = AwardCriterion
        fields = ["kind", "kind_label", "label", "weight"]


class ImpactSerializer(serializers.ModelSerializer[ImpactFigure]):
    class Meta:
        model = ImpactFigure
        fields = ["label", "value", "unit"]


class AttachmentSerializer(serializers.ModelSerializer[Attachment]):
    id = serializers.UUIDField(source="public_id")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "title", "url", "original_name", "content_type", "size"]

    def get_url(self, attachment: Attachment) -> str:
        # The site's download view, which checks that the reader may see the sheet: a members-only sheet's files
        # are never reachable by a bare storage URL.
        path = reverse(
            "web:sheet_attachment",
            kwargs={"public_id": attachment.sheet.public_id, "attachment_id": attachment.public_id},
        )
        return _absolute(self.context.get("request"), path)


class LinkSerializer(serializers.ModelSerializer[Link]):
    class Meta:
        model = Link
        fields = ["title", "url"]


class SheetSerializer(serializers.ModelSerializer[CaseSheet]):
    """What a list shows of a sheet: identity, the contract in brief and its considerations."""

    id = serializers.UUIDField(source="public_id")
    url = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()
    network = NetworkSerializer()
    visibility_label = serializers.CharField(source="get_visibility_display")
    licence_label = serializers.CharField(source="get_licence_display")
    themes = ThemeSerializer(many=True)
    contract_type_label = serializers.CharField(source="get_contract_type_display")
    procedure_label = serializers.CharField(source="get_procedure_display")
    main_cpv = CpvBriefSerializer()
    departement = DepartementSerializer(allow_null=True)
    region = RegionSerializer(allow_null=True)
    year = serializers.IntegerField(allow_null=True)
    has_social_consideration = serializers.BooleanField()
    has_environmental_consideration = serializers.BooleanField()

    class Meta:
        model = CaseSheet
        fields = [
            "id",
            "url",
            "web_url",
            "title",
            "summary",
            "network",
            "visibility",
            "visibility_label",
            "licence",
            "licence_label",
            "published_at",
            "updated_at",
            "themes",
            "contract_type",
            "contract_type_label",
            "procedure",
            "procedure_label",
            "main_cpv",
            "amount_exact",
            "amount_min",
            "amount_max",
            "duration_months",
            "notification_date",
            "year",
            "departement",
            "region",
            "has_social_consideration",
            "has_environmental_consideration",
            "has_insertion_clause",
            "has_social_criterion",
            "reserved_basis",
            "has_environmental_clause",
            "has_environmental_criterion",
            "is_fair_trade",
            "is_innovative",
        ]

    def get_url(self, sheet: CaseSheet) -> str:
        path = reverse("api:sheet_detail", kwargs={"public_id": sheet.public_id})
        return _absolute(self.context.get("request"), path)

    def get_web_url(self, sheet: CaseSheet) -> str:
        # A URL name, not an import: the API and the web interface stay independent packages.
        path = reverse("web:sheet_detail", kwargs={"public_id": sheet.public_id})
        return _absolute(self.context.get("request"), path)


class SheetDetailSerializer(SheetSerializer):
    """Every structured field of a published sheet, with its nested parts."""

    reserved_basis_label = serializers.CharField(source="get_reserved_basis_display")
    additional_cpvs = CpvBriefSerializer(many=True)
    criteria = CriterionSerializer(many=True)
    buyers = BuyerSerializer(many=True)
    stakeholders = StakeholderSerializer(many=True)
    impacts = ImpactSerializer(many=True)
    attachments = AttachmentSerializer(many=True)
    links = LinkSerializer(many=True)

    class Meta(SheetSerializer.Meta):
        fields = [
            *SheetSerializer.Meta.fields,
            "reserved_basis_label",
            "is_purchasing_group",
            "techniques",
            "lots_count",
            "lots_description",
            "additional_cpvs",
            "decp_id",
            "insertion_hours",
            "labels_required",
            "context",
            "actions",
            "value_for_buyer",
            "value_for_supplier",
            "lessons",
            "advice",
            "criteria",
            "buyers",
            "stakeholders",
            "impacts",
            "attachments",
            "links",
        ]


class FacetCountSerializer(serializers.Serializer[Any]):
    value = serializers.CharField()
    count = serializers.IntegerField()
    selected = serializers.BooleanField()


class SheetPageSerializer(serializers.Serializer[Any]):
    """A page of results (documentation of the list's response)."""

    count = serializers.IntegerField(help_text="Nombre total de fiches correspondantes.")
    page = serializers.IntegerField()
    num_pages = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = SheetSerializer(many=True)
    facets = serializers.DictField(
        child=FacetCountSerializer(many=True), help_text="Pour chaque filtre, le nombre de fiches par valeur."
    )
