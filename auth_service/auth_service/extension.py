"""The auth service's collaborators, built once by create_app and reached by the views."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app

from auth_service.client_directory import ClientDirectory
from auth_service.config import AuthSettings
from auth_service.domain.rate_limit import LockoutPolicy
from auth_service.keys import KeyRing
from auth_service.passwords import Passwords
from auth_service.sessions import SessionPolicy
from auth_service.tokens import ServiceClients, TokenIssuer, issuer_from_settings

EXTENSION_KEY = "auth_service"


@dataclass(frozen=True)
class AuthExtension:
    settings: AuthSettings
    keys: KeyRing
    issuer: TokenIssuer
    passwords: Passwords
    service_clients: ServiceClients
    client_directory: ClientDirectory
    sessions: SessionPolicy
    login_lockout: LockoutPolicy


def passwords_from_settings(settings: AuthSettings) -> Passwords:
    """The argon2id hasher with the configured cost."""
    return Passwords(
        time_cost=settings.argon2_time_cost,
        memory_cost_kib=settings.argon2_memory_cost_kib,
        parallelism=settings.argon2_parallelism,
    )


def build_extension(
    settings: AuthSettings, keys: KeyRing, client_directory: ClientDirectory
) -> AuthExtension:
    """Wire every collaborator from the settings."""
    return AuthExtension(
        settings=settings,
        keys=keys,
        issuer=issuer_from_settings(settings, keys),
        passwords=passwords_from_settings(settings),
        service_clients=ServiceClients(settings.service_clients),
        client_directory=client_directory,
        sessions=SessionPolicy(
            token_ttl=timedelta(seconds=settings.refresh_token_ttl_seconds),
            max_age=timedelta(seconds=settings.refresh_session_max_age_seconds),
        ),
        login_lockout=LockoutPolicy(
            lockout_after=settings.login_lockout_after_failures,
            base_delay=timedelta(seconds=settings.login_lockout_base_seconds),
            max_delay=timedelta(seconds=settings.login_lockout_max_seconds),
            window=timedelta(seconds=settings.login_window_seconds),
            max_account_failures=settings.login_max_account_failures,
        ),
    )


def current_auth() -> AuthExtension:
    """The AuthExtension of the app handling this request."""
    return current_app.extensions[EXTENSION_KEY]
