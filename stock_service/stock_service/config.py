"""Settings of the stock service (environment only)."""

from __future__ import annotations

from dataclasses import dataclass

from shared.config import ServiceSettings

SERVICE_NAME = "stock_service"


@dataclass(frozen=True)
class StockSettings(ServiceSettings):
    @classmethod
    def from_env(cls) -> StockSettings:  # type: ignore[override]
        return cls(**cls.common_from_env(SERVICE_NAME))
