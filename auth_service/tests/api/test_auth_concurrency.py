"""What several workers or replicas doing the same thing at once must not break."""

import threading

import pytest


def _together(count, action):
    """Run `action()` in `count` threads released at the same instant; their results."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(index):
        barrier.wait()
        results[index] = action()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_one_refresh_token_spent_twice_at_once_wins_once_and_ends_the_session(
    app, make_account, api_for
):
    account = make_account()

    results = _together(2, lambda: api_for(app).refresh(account.refresh_token))

    assert sorted(r.status_code for r in results) == [200, 401]
    winner = next(r for r in results if r.status_code == 200)
    loser = next(r for r in results if r.status_code == 401)
    assert loser.json["code"] == "refresh_token_reused"
    assert api_for(app).refresh(winner.json["data"]["refresh_token"]).status_code == 401


@pytest.fixture
def strict_app(make_app, keys_dir_with):
    return make_app(keys_dir_with(("k.pem", 0)), login_lockout_after_failures=3)


def test_a_burst_of_guesses_from_one_address_gets_exactly_the_allowed_number_of_tries(
    strict_app, account_in, api_for
):
    account = account_in(strict_app, login=False)

    def guess():
        api = api_for(strict_app)
        api.client.environ_base["REMOTE_ADDR"] = "10.9.9.9"
        return api.login(account.email, "Errada#2026")

    results = _together(8, guess)

    statuses = sorted(r.status_code for r in results)
    assert statuses == [401] * 3 + [429] * 5
