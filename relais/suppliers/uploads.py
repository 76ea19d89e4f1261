"""Checks on a supplier's logo and photos: the CONTENT decides, never the name or the browser's content type.

Only JPEG, PNG and WebP pictures are taken (no SVG: it can carry script), up to SUPPLIER_IMAGE_MAX_BYTES. The
files are stored under a random name and served only through the permission-checked view of the profile.
"""

from __future__ import annotations

import uuid
from typing import Any

import filetype
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

IMAGE_TYPES = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}
ACCEPT_IMAGES = ".jpg,.jpeg,.png,.webp,image/jpeg,image/png,image/webp"
DEFAULT_MAX_BYTES = 5 * 1024 * 1024


def image_max_bytes() -> int:
    return int(getattr(settings, "SUPPLIER_IMAGE_MAX_BYTES", DEFAULT_MAX_BYTES))


def check_image(upload: Any) -> str:
    """The content type of a genuine JPEG, PNG or WebP image within the size limit; a French error otherwise."""
    from .services import SupplierError  # the services import this module

    size = upload.size or 0
    if size == 0:
        raise SupplierError(_("Le fichier est vide."))
    if size > image_max_bytes():
        raise SupplierError(
            _("L'image pèse %(size)s : la taille maximale est de %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(image_max_bytes())}
        )
    upload.seek(0)
    head = upload.read(512)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in IMAGE_TYPES:
        raise SupplierError(_("Ce fichier n'est pas une image JPEG, PNG ou WebP (son contenu a été vérifié)."))
    # A random name with the extension of the real content: the uploaded name is never used on disk.
    upload.name = uuid.uuid4().hex + IMAGE_TYPES[kind.mime]
    return str(kind.mime)
