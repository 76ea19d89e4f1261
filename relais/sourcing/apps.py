from django.apps import AppConfig


class SourcingConfig(AppConfig):
    name = "relais.sourcing"
    verbose_name = "Besoins de sourçage"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Batches and reminders are counted in days: an hourly pass sends each one within the hour it is due.
        from relais.core.schedule import Hourly, PeriodicJob, register_job

        from .tasks import send_sourcing_batches

        register_job(
            PeriodicJob(
                name="sourcing.batches",
                schedule=Hourly(minute=15),
                task=send_sourcing_batches,
                description="Vagues d'envoi et relances des besoins de sourçage",
            )
        )
