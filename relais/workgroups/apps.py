from django.apps import AppConfig


class WorkgroupsConfig(AppConfig):
    name = "relais.workgroups"
    label = "workgroups"

    def ready(self) -> None:
        # The document library restricts documents to a working group's participants through this directory.
        from relais.documents.access import register_workgroup_directory

        from .access import WorkGroupDirectory

        register_workgroup_directory(WorkGroupDirectory())
