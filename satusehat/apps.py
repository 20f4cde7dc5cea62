from django.apps import AppConfig


class SatusehatConfig(AppConfig):
    name = "satusehat"
    verbose_name = "SATUSEHAT"
