from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "relais.events"
    label = "events"

    def ready(self) -> None:
        # Reminders go to events starting within 24 hours: checked every hour, each registration reminded once.
        from relais.core.schedule import Hourly, PeriodicJob, register_job

        from .tasks import send_event_reminders

        register_job(
            PeriodicJob(
                name="events.reminders",
                schedule=Hourly(minute=0),
                task=send_event_reminders,
                description="Rappels de la veille aux inscrits des événements",
            )
        )
