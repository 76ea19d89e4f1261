from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "relais.contracts"
    verbose_name = "Marchés publics (données essentielles)"
    default_auto_field = "django.db.models.BigAutoField"
