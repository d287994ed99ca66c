from datetime import UTC, datetime, timedelta

from auth_service.domain.refresh_tokens import (
    RefreshTokenState,
    RefreshVerdict,
    fingerprint,
    judge,
    new_refresh_token,
    next_expiry,
)

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def state(**overrides):
    values = {
        "expires_at": NOW + timedelta(days=7),
        "rotated_at": None,
        "family_expires_at": NOW + timedelta(days=30),
        "family_revoked_at": None,
    }
    values.update(overrides)
    return RefreshTokenState(**values)


def test_an_unspent_token_of_a_live_family_is_valid():
    assert judge(state(), now=NOW) is RefreshVerdict.VALID


def test_a_spent_token_presented_again_is_reuse():
    assert judge(state(rotated_at=NOW - timedelta(minutes=1)), now=NOW) is RefreshVerdict.REUSED


def test_reuse_is_detected_even_after_the_spent_token_expired():
    spent_and_stale = state(rotated_at=NOW - timedelta(days=8), expires_at=NOW - timedelta(days=1))

    assert judge(spent_and_stale, now=NOW) is RefreshVerdict.REUSED


def test_any_token_of_a_revoked_family_is_revoked():
    revoked = state(family_revoked_at=NOW - timedelta(seconds=1))

    assert judge(revoked, now=NOW) is RefreshVerdict.REVOKED
    assert judge(revoked, now=NOW) is RefreshVerdict.REVOKED  # no second revocation needed


def test_tokens_expire_with_themselves_or_with_their_family():
    assert judge(state(expires_at=NOW), now=NOW) is RefreshVerdict.EXPIRED
    assert judge(state(family_expires_at=NOW - timedelta(1)), now=NOW) is RefreshVerdict.EXPIRED


def test_a_successor_never_outlives_its_family():
    family_end = NOW + timedelta(days=2)

    assert next_expiry(now=NOW, ttl=timedelta(days=7), family_expires_at=family_end) == family_end
    assert next_expiry(
        now=NOW, ttl=timedelta(days=7), family_expires_at=NOW + timedelta(days=30)
    ) == NOW + timedelta(days=7)


def test_tokens_are_random_and_stored_as_a_sha256():
    token = new_refresh_token()

    assert token != new_refresh_token()
    assert len(token) >= 43
    assert len(fingerprint(token)) == 64
    assert fingerprint(token) == fingerprint(token)
    assert token not in fingerprint(token)
