"""Login throttling per email and per client address, shared through PostgreSQL."""

import pytest


@pytest.fixture
def limited_app(make_app, keys_dir_with):
    """Small limits so the tests stay short: 3 failures per email, 5 per address."""
    return make_app(
        keys_dir_with(("k.pem", 0)),
        login_max_failures_per_email=3,
        login_max_failures_per_address=5,
    )


def test_the_email_limit_answers_429_with_retry_after(limited_app, api_for, account_in):
    account = account_in(limited_app, login=False)
    api = api_for(limited_app)

    failures = [api.login(account.email, "Errada#2026").status_code for _ in range(3)]
    blocked = api.login(account.email, account.password)  # even the right password waits

    assert failures == [401, 401, 401]
    assert blocked.status_code == 429
    assert blocked.json["code"] == "rate_limited"
    assert 1 <= int(blocked.headers["Retry-After"]) <= 300
    assert "retry_after" not in blocked.json.get("data", {})


def test_the_email_limit_holds_across_addresses(limited_app, api_for, account_in):
    account = account_in(limited_app, login=False)

    for _ in range(3):
        api_for(limited_app).login(account.email, "Errada#2026")  # a new address each time

    assert api_for(limited_app).login(account.email, account.password).status_code == 429


def test_the_email_limit_ignores_case(limited_app, api_for, account_in):
    account = account_in(limited_app, login=False)
    api = api_for(limited_app)

    for variant in (account.email.upper(), account.email.title(), account.email):
        api.login(variant, "Errada#2026")

    assert api.login(account.email, account.password).status_code == 429


def test_a_successful_login_forgives_earlier_failures_of_that_email(
    limited_app, api_for, account_in
):
    account = account_in(limited_app, login=False)
    api = api_for(limited_app)

    api.login(account.email, "Errada#2026")
    api.login(account.email, "Errada#2026")
    assert api.login(account.email, account.password).status_code == 200
    api.login(account.email, "Errada#2026")
    api.login(account.email, "Errada#2026")

    assert api.login(account.email, account.password).status_code == 200


def test_the_address_limit_counts_every_email_from_one_address(limited_app, api_for, email):
    api = api_for(limited_app)

    failures = [api.login(email("spray"), "Errada#2026").status_code for _ in range(5)]
    blocked = api.login(email("spray"), "Errada#2026")

    assert failures == [401] * 5
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) >= 1


def test_another_address_is_not_blocked_by_a_neighbour(limited_app, api_for, email, account_in):
    noisy = api_for(limited_app)
    for _ in range(5):
        noisy.login(email("spray"), "Errada#2026")
    account = account_in(limited_app, login=False)

    assert api_for(limited_app).login(account.email, account.password).status_code == 200


def test_the_address_comes_from_the_gateways_x_forwarded_for(limited_app, email):
    client = limited_app.test_client()
    headers = {"X-Forwarded-For": "198.51.100.7"}
    for _ in range(5):
        client.post(
            "/api/v1/auth/login",
            json={"email": email("xff"), "password": "Errada#2026"},
            headers=headers,
        )

    other_address = client.post(
        "/api/v1/auth/login",
        json={"email": email("xff"), "password": "Errada#2026"},
        headers={"X-Forwarded-For": "198.51.100.8"},
    )
    same_address = client.post(
        "/api/v1/auth/login",
        json={"email": email("xff"), "password": "Errada#2026"},
        headers=headers,
    )

    assert other_address.status_code == 401
    assert same_address.status_code == 429


def test_the_default_limit_is_five_failures_per_email(api, make_account):
    account = make_account(login=False)

    statuses = [api.login(account.email, "Errada#2026").status_code for _ in range(6)]

    assert statuses == [401] * 5 + [429]
