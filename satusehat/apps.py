from django.apps import AppConfig


class SatusehatConfig(AppConfig):
    name = "satusehat"
    verbose_name = "SATUSEHAT"

    def ready(self) -> None:
        # The outbox enqueues the task by name from web processes too: register it here.
        from satusehat import tasks  # noqa: F401
