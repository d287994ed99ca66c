"""Settings of the order service (environment only)."""

from __future__ import annotations

from dataclasses import dataclass

from shared.config import ServiceSettings

SERVICE_NAME = "order_service"


@dataclass(frozen=True)
class OrderSettings(ServiceSettings):
    @classmethod
    def from_env(cls) -> OrderSettings:  # type: ignore[override]
        return cls(**cls.common_from_env(SERVICE_NAME))
