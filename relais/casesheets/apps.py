from django.apps import AppConfig


class CasesheetsConfig(AppConfig):
    name = "relais.casesheets"
    label = "casesheets"
