from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "relais.reference"
    label = "reference"
