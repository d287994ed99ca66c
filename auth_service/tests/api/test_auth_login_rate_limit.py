"""Login lockout per account and address, shared through PostgreSQL (docs/security.md)."""

from datetime import timedelta

import pytest

from auth_service.extension import EXTENSION_KEY
from shared.forwarding import sign_forwarded_for
from tests.support.business_hours import BOUNDARY_HOURS

WRONG = "Errada#2026"
NOON = BOUNDARY_HOURS["12:00-Brasilia"].instant


@pytest.fixture
def limited_app(make_app, keys_dir_with):
    """Small limits so the tests stay short: locked after 3 failures, 5 per account."""
    return make_app(
        keys_dir_with(("k.pem", 0)), login_lockout_after_failures=3, login_max_account_failures=5
    )


def test_after_the_lockout_after_the_address_waits_even_with_the_right_password(
    limited_app, api_for, account_in
):
    account = account_in(limited_app, login=False)
    api = api_for(limited_app)

    failures = [api.login(account.email, WRONG).status_code for _ in range(3)]
    blocked = api.login(account.email, account.password)

    assert failures == [401, 401, 401]
    assert blocked.status_code == 429
    assert blocked.json["code"] == "rate_limited"
    assert 1 <= int(blocked.headers["Retry-After"]) <= 30
    assert "retry_after" not in blocked.json.get("data", {})


def test_the_owner_logs_in_from_another_address_while_the_guesser_waits(
    limited_app, api_for, account_in
):
    account = account_in(limited_app, login=False)
    guesser = api_for(limited_app)
    for _ in range(10):
        guesser.login(account.email, WRONG)

    assert guesser.login(account.email, account.password).status_code == 429
    assert api_for(limited_app).login(account.email, account.password).status_code == 200


def test_another_account_logs_in_from_the_guessers_address(limited_app, api_for, account_in):
    victim = account_in(limited_app, login=False)
    colleague = account_in(limited_app, login=False)
    shared_address = api_for(limited_app)
    for _ in range(10):
        shared_address.login(victim.email, WRONG)

    assert shared_address.login(colleague.email, colleague.password).status_code == 200


def test_the_wait_doubles_with_each_failure_after_it(
    make_app, keys_dir_with, api_for, account_in, time_machine
):
    limited_app = make_app(keys_dir_with(("k.pem", 0)), login_lockout_after_failures=3)
    time_machine.move_to(NOON, tick=False)
    account = account_in(limited_app, login=False)
    api = api_for(limited_app)
    for _ in range(3):
        api.login(account.email, WRONG)
    first = int(api.login(account.email, WRONG).headers["Retry-After"])

    time_machine.move_to(NOON + timedelta(seconds=31), tick=False)
    assert api.login(account.email, WRONG).status_code == 401  # the 4th failure
    second = int(api.login(account.email, WRONG).headers["Retry-After"])

    assert (first, second) == (30, 60)


def test_the_pair_ignores_the_emails_case(limited_app, api_for, account_in):
    account = account_in(limited_app, login=False)
    api = api_for(limited_app)

    for variant in (account.email.upper(), account.email.title(), account.email):
        api.login(variant, WRONG)

    assert api.login(account.email, account.password).status_code == 429


def test_a_successful_login_forgives_the_earlier_failures_of_its_address(
    limited_app, api_for, account_in
):
    account = account_in(limited_app, login=False)
    api = api_for(limited_app)

    for _ in range(2):
        api.login(account.email, WRONG)
    assert api.login(account.email, account.password).status_code == 200
    for _ in range(2):
        api.login(account.email, WRONG)

    assert api.login(account.email, account.password).status_code == 200


def test_guesses_spread_over_addresses_stop_each_address_but_not_a_clean_one(
    limited_app, api_for, account_in
):
    account = account_in(limited_app, login=False)
    guessers = [api_for(limited_app) for _ in range(5)]
    for guesser in guessers:
        assert guesser.login(account.email, WRONG).status_code == 401

    assert [g.login(account.email, account.password).status_code for g in guessers] == [429] * 5
    assert api_for(limited_app).login(account.email, account.password).status_code == 200


def test_a_forged_x_forwarded_for_is_ignored_and_a_signed_one_believed(
    limited_app, api_for, account_in
):
    account = account_in(limited_app, login=False)
    attacker = api_for(limited_app).client
    secret = limited_app.extensions[EXTENSION_KEY].settings.forwarded_for_secret

    def login(client, password, forwarded_for=None, signed=False):
        headers = {}
        if forwarded_for:
            headers["X-Forwarded-For"] = forwarded_for
            if signed:
                headers["X-Forwarded-For-Signature"] = sign_forwarded_for(secret, forwarded_for)
        return client.post(
            "/api/v1/auth/login",
            json={"email": account.email, "password": password},
            headers=headers,
        )

    # A new forged address on every guess: all of them count against the connection's.
    for n in range(3):
        login(attacker, WRONG, forwarded_for=f"198.51.100.{n}")
    forged = login(attacker, account.password, forwarded_for="198.51.100.99")
    badly_signed = attacker.post(
        "/api/v1/auth/login",
        json={"email": account.email, "password": account.password},
        headers={"X-Forwarded-For": "198.51.100.98", "X-Forwarded-For-Signature": "0" * 64},
    )
    # The gateway's signed header names the real caller, here a clean address.
    through_gateway = login(attacker, account.password, forwarded_for="203.0.113.5", signed=True)

    assert forged.status_code == 429
    assert badly_signed.status_code == 429
    assert through_gateway.status_code == 200


def test_by_default_five_failures_lock_the_address_out_of_the_account(api, make_account):
    account = make_account(login=False)

    statuses = [api.login(account.email, WRONG).status_code for _ in range(6)]

    assert statuses == [401] * 5 + [429]
