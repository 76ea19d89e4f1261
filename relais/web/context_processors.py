"""What every page's layout needs: the site name and, for a signed-in person, what the navigation shows them."""

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from relais.networks.enums import Role
from relais.networks.perms import network_ids_with_roles
from relais.sourcing.queries import unread_notification_count
from relais.suppliers.perms import is_network_member


def relais(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    # Lazy where it can be: pages that never render the navigation (files, exports) pay no query for the roles. The
    # unread count is used by `blocktranslate count`, which needs a number: one indexed query for signed-in people.
    return {
        "SITE_NAME": "Relais",
        "nav_is_member": SimpleLazyObject(lambda: is_network_member(user)),
        "nav_is_supplier": SimpleLazyObject(lambda: bool(network_ids_with_roles(user, frozenset({Role.SUPPLIER})))),
        "nav_unread": unread_notification_count(user),
    }
