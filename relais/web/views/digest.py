"""The weekly digest: choosing one's digests (signed in) and unsubscribing from an e-mail's link (no sign-in)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from relais.activity import perms, queries, services
from relais.activity.digest import subscription_from_token
from relais.networks.models import Network

MAX_CHOICES = 100


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def digest_preferences(request: HttpRequest) -> HttpResponse:
    """One box per network where the person holds a role; every box starts unticked (opt-in)."""
    if not perms.can_manage_digest(request.user):
        raise PermissionDenied
    if request.method == "POST":
        slugs = request.POST.getlist("networks")[:MAX_CHOICES]
        network_ids = set(Network.objects.filter(slug__in=slugs).values_list("pk", flat=True))
        services.digest_preferences_save(user=request.user, network_ids=network_ids)
        messages.success(request, "Vos choix de lettre hebdomadaire sont enregistrés.")
        return redirect("web:digest_preferences")
    context = {
        "choices": queries.digest_choices(request.user),
        "breadcrumb_data": {"links": [], "current": "Lettre hebdomadaire"},
    }
    return _private(render(request, "web/digest/preferences.html", context))


# The signed token is the proof of who asks, not a session: mail clients' one-click unsubscribe (RFC 8058) POSTs to
# this link without any cookie, so a CSRF token cannot be required. GET only shows the confirmation, so that mail
# scanners following links unsubscribe nobody.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def digest_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    subscription = subscription_from_token(token)
    if subscription is None:
        response = render(request, "web/digest/unsubscribe.html", {"invalid": True}, status=400)
    elif request.method == "POST":
        services.digest_unsubscribe(subscription=subscription)
        response = render(request, "web/digest/unsubscribe.html", {"subscription": subscription, "done": True})
    else:
        response = render(request, "web/digest/unsubscribe.html", {"subscription": subscription, "token": token})
    # The token is in the URL: never send it to another site, never cache nor index the page.
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return _private(response)
