from __future__ import annotations

from typing import Any

from django.core.signals import request_finished
from django.db import close_old_connections


def close_response(response: Any) -> None:
    """Close a response (and the file of a download) without closing the test's database connection: closing a
    response signals the end of a request, on which Django closes connections — as the test client avoids too."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
