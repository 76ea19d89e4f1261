"""Account workflows. Accounts are created by accepting an invitation (see networks.services) or by a site admin."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from relais.core.validators import validate_no_markup

from .models import User


class AccountError(Exception):
    """A request the account rules refuse. The message is shown to the user."""


def user_create(*, email: str, full_name: str, password: str) -> User:
    """Create an active account identified by its e-mail address.

    The password goes through the project's validators (AUTH_PASSWORD_VALIDATORS: at least 10 characters, not too
    common, not only digits, not too close to the name or the address) before anything is written.
    """
    email = User.objects.normalize_email(email).strip().lower()
    full_name = full_name.strip()
    if not full_name:
        raise AccountError("Indiquez votre nom.")
    validate_no_markup(full_name)
    if User.objects.filter(email__iexact=email).exists():
        raise AccountError("Un compte existe déjà avec cette adresse e-mail : connectez-vous.")
    validate_password(password, user=User(email=email, full_name=full_name))
    with transaction.atomic():
        return User.objects.create_user(email=email, password=password, full_name=full_name)
