"""Rate limits of the API (rates in settings REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]).

DRF's throttles copy the rates once, when the module is imported; these read them at each request, so that a
changed setting (an operator's environment, a test's override) takes effect without a restart.
"""

from __future__ import annotations

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


def _rate(scope: str | None) -> str | None:
    rate = api_settings.DEFAULT_THROTTLE_RATES.get(scope or "")
    return str(rate) if rate is not None else None


class AnonThrottle(AnonRateThrottle):
    def get_rate(self) -> str | None:
        return _rate(self.scope)


class UserThrottle(UserRateThrottle):
    def get_rate(self) -> str | None:
        return _rate(self.scope)


THROTTLES = [AnonThrottle, UserThrottle]
