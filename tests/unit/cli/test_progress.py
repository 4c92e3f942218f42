"""Progress bar text: counts, rate, ETA, and how it is drawn."""

import io

import pytest

from tandem_cli import progress
from tandem_cli.progress import ProgressBar


@pytest.mark.parametrize("seconds, text", [(None, "--:--"), (0, "0:00"), (7.4, "0:07"), (754, "12:34"),
                                           (3723, "1:02:03")])
def test_durations(seconds, text):
    assert progress.format_duration(seconds) == text


def test_eta_follows_the_rate_and_is_unknown_before_there_is_one():
    assert progress.eta_seconds(1_000, 4_000, 500.0) == 6.0
    assert progress.eta_seconds(0, 4_000, None) is None
    assert progress.eta_seconds(4_000, 4_000, None) == 0.0


def test_the_bar_shows_rows_percent_rate_and_eta():
    line = progress.render(1_000, 4_000, elapsed=2.0, width=8)
    assert line == "[##------] 1,000/4,000 rows  25%  500 rows/s  ETA 0:06"


def test_a_resumed_import_rates_only_this_sessions_rows():
    line = progress.render(3_000, 4_000, elapsed=2.0, started_at=2_000, width=4)
    assert "500 rows/s" in line and "ETA 0:02" in line and "3,000/4,000" in line


def test_an_empty_file_is_complete():
    assert "100%" in progress.render(0, 0, elapsed=0.0)


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_without_a_terminal_lines_are_written_every_few_seconds_and_at_the_end():
    stream, clock = io.StringIO(), Clock()
    bar = ProgressBar(10, stream, clock=clock)
    for done, now in [(2, 1.0), (4, 2.0), (6, 6.5), (10, 7.0)]:
        clock.now = now
        bar.update(done)
    bar.finish()
    lines = stream.getvalue().splitlines()
    assert [line.split("]")[1].split()[0] for line in lines] == ["2/10", "6/10", "10/10"]
    assert "\r" not in stream.getvalue()


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_on_a_terminal_the_bar_is_redrawn_in_place():
    stream, clock = Terminal(), Clock()
    bar = ProgressBar(4, stream, clock=clock)
    clock.now = 1.0
    bar.update(2)
    bar.update(4)
    bar.finish()
    assert stream.getvalue().count("\r") == 2 and stream.getvalue().endswith("\n")


def test_a_disabled_bar_writes_nothing():
    stream = Terminal()
    bar = ProgressBar(4, stream, enabled=False)
    bar.update(4)
    bar.finish()
    assert stream.getvalue() == ""
