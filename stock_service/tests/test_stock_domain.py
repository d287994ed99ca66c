"""Rules of the stock and the catalogue, without a database or an app."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

import pytest

from stock_service.domain.catalogue import (
    gtin_key,
    is_expired,
    is_valid_whatsapp,
    price_problem,
)
from stock_service.domain.errors import InsufficientStock, InvalidAdjustment, StockLimitExceeded
from stock_service.domain.images import JPEG, PNG, WEBP, detect_image
from stock_service.domain.stock import (
    MAX_ON_HAND,
    AdjustmentReason,
    InvalidOrderLines,
    ReservationStatus,
    Shortage,
    check_adjustment,
    check_low_stock,
    check_on_hand_limit,
    check_removal,
    find_shortages,
    is_stale,
    merge_lines,
    needs_reservation,
    percent_of_ideal,
)

A, B, C = sorted(uuid.uuid4() for _ in range(3))

# -- adjustments ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("delta", "reason"),
    [
        (5, AdjustmentReason.RECEIPT),
        (1, AdjustmentReason.RETURN),
        (-2, AdjustmentReason.LOSS),
        (7, AdjustmentReason.COUNT),
        (-7, AdjustmentReason.COUNT),
    ],
)
def test_adjustments_moving_the_way_their_reason_says_are_accepted(delta, reason):
    check_adjustment(delta, reason)


@pytest.mark.parametrize(
    ("delta", "reason"),
    [
        (0, AdjustmentReason.COUNT),
        (-5, AdjustmentReason.RECEIPT),
        (-1, AdjustmentReason.RETURN),
        (2, AdjustmentReason.LOSS),
    ],
)
def test_adjustments_against_their_reason_are_refused_on_delta(delta, reason):
    with pytest.raises(InvalidAdjustment) as error:
        check_adjustment(delta, reason)
    assert error.value.field == "delta"


def test_only_free_units_can_be_removed():
    check_removal(-3, on_hand=10, reserved=7)
    check_removal(+50, on_hand=0, reserved=0)
    with pytest.raises(InsufficientStock) as error:
        check_removal(-4, on_hand=10, reserved=7)
    assert error.value.data == {"available": 3, "requested": 4, "reserved": 7}


def test_an_entry_may_fill_up_to_the_maximum_and_not_past_it():
    check_on_hand_limit(MAX_ON_HAND - 10, on_hand=10)
    check_on_hand_limit(-5, on_hand=MAX_ON_HAND)  # taking out is never limited here
    with pytest.raises(StockLimitExceeded) as error:
        check_on_hand_limit(MAX_ON_HAND - 9, on_hand=10)
    assert error.value.field == "delta"
    assert error.value.data == {"on_hand": 10, "requested": MAX_ON_HAND - 9, "limit": MAX_ON_HAND}


# -- shortages --------------------------------------------------------------------------


def test_shortages_list_every_line_beyond_what_is_free_in_product_order():
    shortages = find_shortages({C: 5, A: 2, B: 1}, {A: 2, B: 0, C: 4})

    assert shortages == [Shortage(B, 1, 0), Shortage(C, 5, 4)]


def test_a_product_without_stock_information_has_nothing_free():
    assert find_shortages({A: 1}, {}) == [Shortage(A, 1, 0)]


def test_a_negative_free_count_is_reported_as_zero():
    assert find_shortages({A: 1}, {A: -3}) == [Shortage(A, 1, 0)]


def test_repeated_products_are_added_up_and_sorted():
    assert list(merge_lines([(B, 1), (A, 2), (B, 3)]).items()) == [(A, 2), (B, 4)]


@pytest.mark.parametrize("quantity", [0, -1, 1.5, "2", None, True])
def test_lines_need_a_positive_integer_quantity(quantity):
    with pytest.raises(InvalidOrderLines):
        merge_lines([(A, quantity)])


# -- versions and statuses --------------------------------------------------------------


def test_an_older_version_is_stale_and_the_same_one_is_not():
    assert is_stale(1, 2)
    assert not is_stale(2, 2)
    assert not is_stale(1, None)


@pytest.mark.parametrize(
    ("incoming", "recorded", "status", "expected"),
    [
        (1, None, None, True),  # a new order
        (1, 1, ReservationStatus.RESERVED, False),  # a duplicate
        (1, 2, ReservationStatus.RESERVED, False),  # stale
        (3, 2, ReservationStatus.RESERVED, True),  # a newer item list
        (3, 2, ReservationStatus.REJECTED, True),  # a newer list may succeed
        (3, 2, ReservationStatus.RELEASED, False),  # cancelled: final
        (3, 2, ReservationStatus.SHIPPED, False),  # gone: final for reservations
    ],
)
def test_which_events_reserve(incoming, recorded, status, expected):
    assert needs_reservation(incoming, recorded, status) is expected


# -- low stock --------------------------------------------------------------------------


def test_low_stock_alerts_when_crossing_below_the_threshold():
    check = check_low_stock(available=19, ideal_quantity=100, percent=20, flagged=False)
    assert (check.flagged, check.alert) == (True, True)


def test_low_stock_does_not_alert_again_while_still_below():
    check = check_low_stock(available=5, ideal_quantity=100, percent=20, flagged=True)
    assert (check.flagged, check.alert) == (True, False)


def test_low_stock_rearms_when_back_at_the_threshold():
    check = check_low_stock(available=20, ideal_quantity=100, percent=20, flagged=True)
    assert (check.flagged, check.alert) == (False, False)


def test_a_product_without_ideal_quantity_is_never_low():
    check = check_low_stock(available=0, ideal_quantity=0, percent=20, flagged=False)
    assert (check.flagged, check.alert) == (False, False)


def test_percent_of_ideal():
    assert percent_of_ideal(15, 200) == 7.5
    assert percent_of_ideal(3, 0) is None


# -- catalogue --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("price", "ok"),
    [
        (Decimal("0.01"), True),
        (Decimal("27.9"), True),
        (Decimal("0"), False),
        (Decimal("-1.00"), False),
        (Decimal("1.999"), False),
        (Decimal("10000000000.00"), False),
        (Decimal("9999999999.99"), True),
        (Decimal("1.4e240"), False),  # too many digits to round to cents: refused, not raised
        (Decimal("NaN"), False),
    ],
)
def test_prices_are_positive_with_at_most_two_decimals(price, ok):
    assert (price_problem(price) is None) is ok


def test_expiry_today_is_still_valid_and_yesterday_is_not():
    today = date(2026, 11, 23)
    assert not is_expired(today, today=today)
    assert is_expired(date(2026, 11, 22), today=today)
    assert not is_expired(None, today=today)


def test_the_same_gtin_written_with_leading_zeros_has_one_key():
    assert gtin_key("012345678905") == gtin_key("0012345678905") == "00012345678905"


@pytest.mark.parametrize(
    ("digits", "ok"),
    [
        ("11987654321", True),
        ("1133334444", True),
        ("5511987654321", True),
        ("987654321", False),
        ("01187654321", False),
    ],
)
def test_whatsapp_numbers_need_a_ddd(digits, ok):
    assert is_valid_whatsapp(digits) is ok


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", JPEG),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\r", PNG),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", WEBP),
        (b"just some text, named photo.png", None),
        (b"GIF89a\x01\x00\x01\x00", None),
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", None),
        (b"", None),
    ],
)
def test_images_are_recognised_by_their_first_bytes(head, kind):
    assert detect_image(head) is kind
