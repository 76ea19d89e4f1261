from django.apps import AppConfig


class SuppliersConfig(AppConfig):
    name = "relais.suppliers"
    verbose_name = "Annuaire des fournisseurs de l'ESS"
    default_auto_field = "django.db.models.BigAutoField"
