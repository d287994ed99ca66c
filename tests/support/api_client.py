"""A tiny client for the API through the gateway, so tests read as the user's steps."""

from __future__ import annotations

import uuid
from typing import Any

import requests
from requests.adapters import HTTPAdapter


class FromAddress(HTTPAdapter):
    """Connections that leave from `address`: any 127.x.y.z is this machine, so a test can
    call the gateway as another client address (the per-address limits, the lockout)."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


class ApiClient:
    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        timeout: float = 10.0,
        source_address: str | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.source_address = source_address
        self.http = requests.Session()
        if source_address:
            self.http.mount("http://", FromAddress(source_address))
        self.refresh_token: str | None = None
        self.user: dict[str, Any] | None = None

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        headers = dict(kwargs.pop("headers", {}) or {})
        if self.token and "Authorization" not in headers:
            headers["Authorization"] = f"Bearer {self.token}"
        kwargs.setdefault("timeout", self.timeout)
        return self.http.request(method, f"{self.base_url}{path}", headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("PUT", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("DELETE", path, **kwargs)

    def logged_in(self, email: str, password: str) -> ApiClient:
        """A new client carrying the tokens of `email`."""
        response = self.post("/auth/login", json={"email": email, "password": password})
        assert response.status_code == 200, response.text
        data = response.json()["data"]
        client = ApiClient(
            self.base_url,
            data["access_token"],
            timeout=self.timeout,
            source_address=self.source_address,
        )
        client.refresh_token = data["refresh_token"]
        client.user = data["user"]
        return client

    def create_user(self, role: str, **fields: Any) -> tuple[str, str]:
        """As an admin: create a user of `role`; returns (email, password)."""
        email = f"{role}-{uuid.uuid4().hex[:10]}@teste.pedidos.local"
        password = "Senha#Forte-2026"
        response = self.post(
            "/auth/users",
            json={
                "name": f"Teste {role}",
                "email": email,
                "password": password,
                "role": role,
                **fields,
            },
        )
        assert response.status_code == 201, response.text
        return email, password
