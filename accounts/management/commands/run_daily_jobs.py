from celery import current_app
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Run every job of the Celery beat schedule once, in this process. "
        "For deployments without Redis: call it daily from cron."
    )

    def handle(self, *args: object, **options: object) -> None:
        current_app.loader.import_default_modules()
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
            task = current_app.tasks[entry["task"]]
            result = task.apply(args=entry.get("args", ()), kwargs=entry.get("kwargs", {}))
            result.get(propagate=True)
            self.stdout.write(f"{name}: {result.result}")
