from django.apps import AppConfig


class OutboxAppConfig(AppConfig):
    name = "tests.support.outbox_app"
    label = "outbox_app"
