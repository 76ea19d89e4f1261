from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "relais.contracts"
    verbose_name = "Marchés publics (données essentielles)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from relais.networks.signals import members_changed
        from relais.organisations.signals import organisation_renamed

        from . import tasks

        organisation_renamed.connect(tasks.organisation_renamed, dispatch_uid="contracts.organisation_renamed")
        members_changed.connect(tasks.members_changed, dispatch_uid="contracts.members_changed")
