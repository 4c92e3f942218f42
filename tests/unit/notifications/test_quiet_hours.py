"""Quiet hours in the person's own time zone, across midnight and DST changes."""

from datetime import UTC, datetime

import pytest

from services.notifications.domain.quiet_hours import parse_clock, quiet_until

NIGHT = {"start": "22:00", "end": "07:00"}
LUNCH = {"start": "12:00", "end": "13:30"}


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_outside_quiet_hours_nothing_is_held():
    assert quiet_until(utc(2031, 1, 10, 12, 0), "UTC", NIGHT) is None
    assert quiet_until(utc(2031, 1, 10, 12, 0), "UTC", None) is None


def test_a_window_within_one_day_ends_the_same_day():
    assert quiet_until(utc(2031, 1, 10, 12, 15), "UTC", LUNCH) == utc(2031, 1, 10, 13, 30)
    assert quiet_until(utc(2031, 1, 10, 13, 30), "UTC", LUNCH) is None  # the end minute is not quiet


def test_a_window_across_midnight_ends_the_next_morning_before_midnight_and_the_same_morning_after():
    assert quiet_until(utc(2031, 1, 10, 23, 0), "UTC", NIGHT) == utc(2031, 1, 11, 7, 0)
    assert quiet_until(utc(2031, 1, 11, 3, 0), "UTC", NIGHT) == utc(2031, 1, 11, 7, 0)
    assert quiet_until(utc(2031, 1, 10, 21, 59), "UTC", NIGHT) is None


def test_the_persons_time_zone_decides_not_utc():
    # 14:00 UTC is 23:00 in Tokyo (quiet until 07:00 JST = 22:00 UTC) but 09:00 in New York (not quiet)
    assert quiet_until(utc(2031, 1, 10, 14, 0), "Asia/Tokyo", NIGHT) == utc(2031, 1, 10, 22, 0)
    assert quiet_until(utc(2031, 1, 10, 14, 0), "America/New_York", NIGHT) is None
    # 04:30 UTC on the 10th is 23:30 on the 9th in New York: quiet until 07:00 EST = 12:00 UTC
    assert quiet_until(utc(2031, 1, 10, 4, 30), "America/New_York", NIGHT) == utc(2031, 1, 10, 12, 0)


def test_a_night_across_a_dst_change_ends_at_local_seven_in_summer_time():
    # Europe/Berlin springs forward on 30 March 2031: 23:00 CET on the 29th -> 07:00 CEST = 05:00 UTC
    assert quiet_until(utc(2031, 3, 29, 22, 0), "Europe/Berlin", NIGHT) == utc(2031, 3, 30, 5, 0)
    # and falls back on 26 October 2031: 07:00 CET = 06:00 UTC
    assert quiet_until(utc(2031, 10, 25, 21, 0), "Europe/Berlin", NIGHT) == utc(2031, 10, 26, 6, 0)


def test_an_unknown_time_zone_counts_as_utc():
    assert quiet_until(utc(2031, 1, 10, 23, 0), "Mars/Olympus", NIGHT) == utc(2031, 1, 11, 7, 0)


@pytest.mark.parametrize("text", ["7:00", "24:00", "12:60", "ab:cd", "1200", ""])
def test_clock_times_must_be_hh_mm(text):
    with pytest.raises(ValueError):
        parse_clock(text)
