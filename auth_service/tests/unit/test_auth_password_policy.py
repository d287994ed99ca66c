import pytest

from auth_service.domain.errors import WeakPassword
from auth_service.domain.passwords import check_password, password_violations


@pytest.mark.parametrize("password", ["Segura#2026", "abcdefgh", "12345678a", " 1234567"])
def test_acceptable_passwords_break_no_rule(password):
    assert password_violations(password) == []


@pytest.mark.parametrize(
    ("password", "english"),
    [
        ("Ab#1234", "The password must have at least 8 characters."),
        ("", "The password must have at least 8 characters."),
        ("12345678", "The password cannot be only digits."),
        ("x" * 257, "The password must have at most 256 characters."),
    ],
)
def test_weak_passwords_are_refused_with_a_reason(password, english):
    with pytest.raises(WeakPassword) as refused:
        check_password(password)

    assert refused.value.en == english
    assert refused.value.field == "password"
    assert refused.value.pt  # people read Portuguese by default


def test_a_short_all_digit_password_reports_both_problems():
    problems = password_violations("1234")

    assert [p.en for p in problems] == [
        "The password must have at least 8 characters.",
        "The password cannot be only digits.",
    ]
