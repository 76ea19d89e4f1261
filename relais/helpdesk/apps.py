from django.apps import AppConfig


class HelpdeskConfig(AppConfig):
    name = "relais.helpdesk"
    label = "helpdesk"
