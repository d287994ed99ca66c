"""Settings of the stock service (environment only)."""

from __future__ import annotations

from dataclasses import dataclass

from shared.config import ConfigError, ServiceSettings, env_float, env_int, env_str

SERVICE_NAME = "stock_service"

DEFAULT_IMAGES_DIR = "var/images"
DEFAULT_IMAGES_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_LOW_STOCK_PERCENT = 20
# A reservation batch's cost is mostly per row, but its ~10 statements and commit are per
# batch: on a backlog 200 orders a batch reserved ~1,500/s, 100 ~1,150/s and 50 ~1,000/s
# (docs/performance.md). A quiet queue still gives batches of one. Prefetch twice that, so
# the broker sends the next batch while this one is being written.
CONSUMER_BATCH_SIZE = 200
# A fall of free stock reaches the order service's catalogue copy this many seconds (at most
# about twice that) after it happened; a rise at once (migration 0005, docs/orders.md).
DEFAULT_STOCK_FALLS_WINDOW = 1.0
MAX_STOCK_FALLS_WINDOW = 60.0
CONSUMER_PREFETCH = 2 * CONSUMER_BATCH_SIZE


@dataclass(frozen=True)
class StockSettings(ServiceSettings):
    # Product images live on disk, outside the database; a relative path is taken from the
    # working directory (the repository root under `make run`, a volume in containers).
    images_dir: str = DEFAULT_IMAGES_DIR
    images_max_bytes: int = DEFAULT_IMAGES_MAX_BYTES
    # `stock.low` is published when available falls below this share of ideal_quantity.
    low_stock_percent: int = DEFAULT_LOW_STOCK_PERCENT
    stock_falls_window: float = DEFAULT_STOCK_FALLS_WINDOW

    def __post_init__(self) -> None:
        if not 0.05 <= self.stock_falls_window <= MAX_STOCK_FALLS_WINDOW:
            raise ConfigError(
                "STOCK_FALLS_WINDOW_SECONDS deve estar entre 0.05 e "
                f"{MAX_STOCK_FALLS_WINDOW:g}, recebido {self.stock_falls_window}."
            )
        if not 1 <= self.low_stock_percent <= 100:
            raise ConfigError(
                f"LOW_STOCK_PERCENT deve estar entre 1 e 100, recebido {self.low_stock_percent}."
            )
        if self.images_max_bytes < 1:
            raise ConfigError("IMAGES_MAX_BYTES deve ser um número positivo de bytes.")

    @classmethod
    def from_env(cls) -> StockSettings:  # type: ignore[override]
        return cls(
            **cls.common_from_env(SERVICE_NAME),
            images_dir=env_str("IMAGES_DIR", DEFAULT_IMAGES_DIR),
            images_max_bytes=env_int("IMAGES_MAX_BYTES", DEFAULT_IMAGES_MAX_BYTES),
            low_stock_percent=env_int("LOW_STOCK_PERCENT", DEFAULT_LOW_STOCK_PERCENT),
            stock_falls_window=env_float("STOCK_FALLS_WINDOW_SECONDS", DEFAULT_STOCK_FALLS_WINDOW),
        )
