from django.apps import AppConfig


class AdvisorConfig(AppConfig):
    name = "relais.advisor"
    verbose_name = "Leviers juridiques"
    default_auto_field = "django.db.models.BigAutoField"
