from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "relais.contracts"
    verbose_name = "Marchés publics (données essentielles)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from relais.networks.models import Membership
        from relais.organisations.signals import organisation_renamed

        from . import tasks

        organisation_renamed.connect(tasks.organisation_renamed, dispatch_uid="contracts.organisation_renamed")
        for signal in (post_save, post_delete):
            signal.connect(tasks.membership_changed, sender=Membership, dispatch_uid=f"contracts.membership.{signal}")
