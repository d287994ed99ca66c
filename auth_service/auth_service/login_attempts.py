"""Login attempts and the lockout they lead to: the rules of domain/rate_limit.py applied to
the attempts an email (and an address) made within the window.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from auth_service.domain import rate_limit
from auth_service.domain.rate_limit import FailureCount, LockoutPolicy
from auth_service.models import LoginAttempt


def lockout_decision(
    session: Session, *, email: str, address: str, policy: LockoutPolicy, now: datetime
) -> rate_limit.RateDecision:
    """The lockout rules (domain/rate_limit.py) on this email's attempts in the window."""
    if not policy.enabled:
        return rate_limit.ALLOWED
    window_start = now - policy.window
    of_email = (LoginAttempt.email == email, LoginAttempt.attempted_at > window_start)
    from_address = LoginAttempt.address == address
    pair_success, account_success = session.execute(
        select(
            func.max(LoginAttempt.attempted_at).filter(from_address),
            func.max(LoginAttempt.attempted_at),
        ).where(*of_email, LoginAttempt.succeeded.is_(True))
    ).one()
    pair_since = rate_limit.counting_since(now=now, policy=policy, last_success_at=pair_success)
    account_since = rate_limit.counting_since(
        now=now, policy=policy, last_success_at=account_success
    )
    in_pair = from_address & (LoginAttempt.attempted_at > pair_since)
    in_account = LoginAttempt.attempted_at > account_since
    row = session.execute(
        select(
            func.count().filter(in_pair),
            func.max(LoginAttempt.attempted_at).filter(in_pair),
            func.count().filter(in_account),
            func.max(LoginAttempt.attempted_at).filter(in_account),
        ).where(*of_email, LoginAttempt.succeeded.is_(False))
    ).one()
    return rate_limit.decide(
        policy=policy,
        pair=FailureCount(row[0], row[1]),
        account=FailureCount(row[2], row[3]),
        now=now,
    )
