from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self) -> None:
        # Imported once the app registry is ready: accounts.audit loads pghistory's models.
        from accounts.audit import seal_trigger_ignore

        # Once per migrate run (the signal is sent for every app): after all triggers exist.
        post_migrate.connect(seal_trigger_ignore, sender=self, dispatch_uid="seal_trigger_ignore")
