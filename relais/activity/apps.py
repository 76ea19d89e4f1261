import datetime as dt

from django.apps import AppConfig

MONDAY = 0


class ActivityConfig(AppConfig):
    name = "relais.activity"
    label = "activity"

    def ready(self) -> None:
        # The week's digest goes out on Monday morning; one digest per person, network and ISO week whatever runs.
        from relais.core.schedule import PeriodicJob, Weekly, register_job

        from .tasks import send_weekly_digest

        register_job(
            PeriodicJob(
                name="activity.weekly_digest",
                schedule=Weekly(weekday=MONDAY, at=dt.time(7, 0), time_zone="Europe/Paris"),
                task=send_weekly_digest,
                description="Lettre hebdomadaire des réseaux",
            )
        )
