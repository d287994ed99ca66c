"""Settings of the order service (environment only)."""

from __future__ import annotations

from dataclasses import dataclass

from shared.config import ServiceSettings, env_float, env_str

SERVICE_NAME = "order_service"

DEFAULT_STOCK_SERVICE_URL = "http://127.0.0.1:5003"


@dataclass(frozen=True)
class OrderSettings(ServiceSettings):
    service_name: str = SERVICE_NAME
    # The stock service: product data and the availability check when an order is placed.
    stock_service_url: str = DEFAULT_STOCK_SERVICE_URL
    # Connecting must be quick (a dead host fails fast); reading may take http_timeout.
    stock_connect_timeout: float = 2.0
    # WhatsApp Business Cloud API: without both, notifications are recorded as skipped.
    whatsapp_access_token: str = ""
    whatsapp_phone_number_id: str = ""
    # Another Graph API origin (a stand-in in tests, a sandbox); empty: Meta's own.
    whatsapp_api_url: str = ""
    # Delivery receipts (webhook): Meta signs them with the app secret; the handshake token.
    whatsapp_app_secret: str = ""
    whatsapp_verify_token: str = ""
    # Staff numbers told about stock.low (comma-separated in NOTIFY_STAFF_WHATSAPP).
    notify_staff_whatsapp: tuple[str, ...] = ()

    @property
    def whatsapp_configured(self) -> bool:
        return bool(self.whatsapp_access_token and self.whatsapp_phone_number_id)

    @classmethod
    def from_env(cls) -> OrderSettings:  # type: ignore[override]
        return cls(
            **cls.common_from_env(SERVICE_NAME),
            stock_service_url=env_str("STOCK_SERVICE_URL", DEFAULT_STOCK_SERVICE_URL),
            stock_connect_timeout=env_float("STOCK_CONNECT_TIMEOUT", 2.0),
            whatsapp_access_token=env_str("WHATSAPP_ACCESS_TOKEN", ""),
            whatsapp_phone_number_id=env_str("WHATSAPP_PHONE_NUMBER_ID", ""),
            whatsapp_api_url=env_str("WHATSAPP_API_URL", ""),
            whatsapp_app_secret=env_str("WHATSAPP_APP_SECRET", ""),
            whatsapp_verify_token=env_str("WHATSAPP_VERIFY_TOKEN", ""),
            notify_staff_whatsapp=tuple(
                number.strip()
                for number in env_str("NOTIFY_STAFF_WHATSAPP", "").split(",")
                if number.strip()
            ),
        )
