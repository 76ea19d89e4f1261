from django.apps import AppConfig


class SuppliersConfig(AppConfig):
    name = "relais.suppliers"
    verbose_name = "Annuaire des fournisseurs de l'ESS"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from relais.organisations.signals import organisation_renamed

        from . import reindex

        organisation_renamed.connect(reindex.organisation_renamed, dispatch_uid="suppliers.organisation_renamed")
