"""Working groups of the networks (members-only) and their deliverables (public or members-only)."""

from django.urls import path

from .views import workgroups

urlpatterns = [
    path("groupes-de-travail/", workgroups.workgroup_list, name="workgroup_list"),
    path("groupes-de-travail/livrables/", workgroups.workgroup_deliverable_list, name="workgroup_deliverable_list"),
    path(
        "groupes-de-travail/livrables/<uuid:public_id>/",
        workgroups.workgroup_deliverable_detail,
        name="workgroup_deliverable_detail",
    ),
    path(
        "groupes-de-travail/livrables/<uuid:public_id>/modifier/",
        workgroups.workgroup_deliverable_edit,
        name="workgroup_deliverable_edit",
    ),
    path("reseaux/<slug:slug>/groupes-de-travail/nouveau/", workgroups.workgroup_create, name="workgroup_create"),
    path("groupes-de-travail/<uuid:public_id>/", workgroups.workgroup_detail, name="workgroup_detail"),
    path("groupes-de-travail/<uuid:public_id>/modifier/", workgroups.workgroup_edit, name="workgroup_edit"),
    path("groupes-de-travail/<uuid:public_id>/statut/", workgroups.workgroup_status, name="workgroup_status"),
    path("groupes-de-travail/<uuid:public_id>/rejoindre/", workgroups.workgroup_join, name="workgroup_join"),
    path("groupes-de-travail/<uuid:public_id>/quitter/", workgroups.workgroup_leave, name="workgroup_leave"),
    path(
        "groupes-de-travail/<uuid:public_id>/participants/ajouter/",
        workgroups.workgroup_participant_add,
        name="workgroup_participant_add",
    ),
    path(
        "groupes-de-travail/<uuid:public_id>/participants/<uuid:participant_id>/retirer/",
        workgroups.workgroup_participant_remove,
        name="workgroup_participant_remove",
    ),
    path(
        "groupes-de-travail/<uuid:public_id>/reunions/nouvelle/",
        workgroups.workgroup_meeting_create,
        name="workgroup_meeting_create",
    ),
    path(
        "groupes-de-travail/<uuid:public_id>/reunions/<uuid:meeting_id>/",
        workgroups.workgroup_meeting_minutes,
        name="workgroup_meeting_minutes",
    ),
    path(
        "groupes-de-travail/<uuid:public_id>/livrables/nouveau/",
        workgroups.workgroup_deliverable_create,
        name="workgroup_deliverable_create",
    ),
]
