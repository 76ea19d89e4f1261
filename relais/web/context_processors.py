from typing import Any

from django.http import HttpRequest


def relais(request: HttpRequest) -> dict[str, Any]:
    return {"SITE_NAME": "Relais"}
