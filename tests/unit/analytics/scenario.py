"""A small program built by hand; the expected figures in the tests are worked out from this page.

Program P runs 2025-03-01..2025-08-31; figures are taken at AS_OF = day 42 (2025-04-14 09:00 UTC).
Mentors M1 (Engineering, capacity 2), M2 (Finance, 1), M3 (Engineering, 3); mentees A-D (Engineering),
E (Finance), F (Engineering, withdrawn on day 5 and terminated on day 10). Everyone enrolled on day 0.
"""

from __future__ import annotations

from datetime import UTC, datetime

from tests.unit.analytics import builders as b
from tests.unit.analytics.builders import at

P = "P"
AS_OF = datetime(2025, 4, 14, 9, 0, tzinfo=UTC)
HIRED = "2025-01-01T00:00:00Z"


def people() -> list:
    eng, fin = "Engineering", "Finance"
    events = [b.profile("M1", department=eng, grade=9, roles=("mentor",), capacity=2, when=HIRED),
              b.profile("M2", department=fin, grade=10, roles=("mentor",), capacity=1, when=HIRED),
              b.profile("M3", department=eng, grade=8, roles=("mentor",), capacity=3, when=HIRED),
              b.profile("E", department=fin, grade=4, when=HIRED)]
    events += [b.profile(m, department=eng, grade=5, when=HIRED) for m in "ABCDF"]
    events += [b.profile("A", 2, department=eng, grade=6, when=at(20)),          # promoted in the window
               b.profile("B", 2, department=eng, grade=6, when="2025-02-15T00:00:00Z"),  # before it
               b.profile("M1", 2, department=eng, grade=8, roles=("mentor",), capacity=2, when=at(12)),  # down
               b.profile("F", 2, department=eng, grade=5, status="terminated", when=at(10))]
    return events + colleagues()


def colleagues() -> list:
    """Non-participants: N1, N2 promoted, N3 left in the window; N4 left before it; N5 hired after it."""
    eng, fin = "Engineering", "Finance"
    events = [b.profile(n, department=eng if n in "N1 N3 N5 N7".split() else fin, grade=5, when=HIRED)
              for n in ("N1", "N2", "N3", "N4", "N6", "N7", "N8")]
    events += [b.profile("N5", department=eng, grade=5, when="2025-05-01T00:00:00Z"),
               b.profile("S9", department="Sales", grade=5, when=HIRED),
               b.profile("N1", 2, department=eng, grade=6, when=at(15)),
               b.profile("N2", 2, department=fin, grade=7, when=at(30)),
               b.profile("N3", 2, department=eng, grade=5, status="terminated", when=at(25)),
               b.profile("N4", 2, department=fin, grade=5, status="terminated", when="2025-02-01T00:00:00Z"),
               b.profile("S9", 2, department="Sales", grade=6, when=at(15))]
    return events


def program() -> list:
    events = [b.program(P)]
    events += [b.enrollment(P, m, "mentor", at(0)) for m in ("M1", "M2", "M3")]
    events += [b.enrollment(P, m, "mentee", at(0)) for m in "ABCDEF"]
    return events + [b.enrollment(P, "F", "mentee", at(5), withdrawn=True)]


def mentorships() -> list:
    m = b.mentorship
    return [m("proposed", "X1", P, "M1", "A", created=at(1)),
            m("active", "X1", P, "M1", "A", created=at(1), started=at(2)),
            m("proposed", "X2", P, "M1", "B", created=at(1)),
            m("active", "X2", P, "M1", "B", created=at(1), started=at(4)),
            m("ended", "X2", P, "M1", "B", created=at(1), started=at(4), ended=at(30)),
            m("proposed", "X3", P, "M2", "C", created=at(1)),
            m("declined", "X3", P, "M2", "C", created=at(1)),
            m("proposed", "X4", P, "M2", "E", created=at(3)),
            m("active", "X4", P, "M2", "E", created=at(3), started=at(3, 12)),
            m("proposed", "X5", P, "M1", "D", created=at(10))]


def sessions() -> list:
    s = b.session
    return [s("scheduled", "S1", "X1", P, "M1", "A"), s("completed", "S1", "X1", P, "M1", "A", completed=at(7)),
            s("completed", "S2", "X1", P, "M1", "A", completed=at(14)), s("scheduled", "S3", "X1", P, "M1", "A"),
            s("completed", "S4", "X2", P, "M1", "B", completed=at(9)), s("scheduled", "S5", "X4", P, "M2", "E"),
            s("cancelled", "S5", "X4", P, "M2", "E"), s("completed", "S6", "X4", P, "M2", "E", completed=at(20))]


def goals() -> list:
    g = b.goal
    return [g("active", "G1", "A", 1, 0, at(1)), g("active", "G1", "A", 2, 50, at(10)),
            g("completed", "G1", "A", 3, 100, at(20)),
            g("active", "G2", "A", 1, 0, "2025-01-10T00:00:00Z"),       # abandoned before the program
            g("abandoned", "G2", "A", 2, 10, "2025-02-01T00:00:00Z"),
            g("active", "G3", "B", 1, 0, "2025-02-01T00:00:00Z"),       # open since before the program
            g("active", "G5", "E", 1, 0, at(5)), g("abandoned", "G5", "E", 2, 20, at(15)),
            g("active", "G6", "F", 1, 0, at(1)), g("completed", "G6", "F", 2, 100, at(3)),  # F withdrew
            g("active", "G7", "M1", 1, 0, at(1))]                                            # a mentor's


def feedback() -> list:
    f = b.feedback
    return [f("FB1", "X1", P, "A", 5, at(7)), f("FB2", "X1", P, "M1", 4, at(14), role="mentor"),
            f("FB3", "X2", P, "B", 3, at(9)), f("FB4", "X4", P, "E", 4, at(20))]


def events() -> list:
    """Every event, each aggregate's events in their natural order."""
    return people() + program() + mentorships() + sessions() + goals() + feedback()


EXPECTED_SUMMARY = {
    "enrolled_mentees": 5, "enrolled_mentors": 3, "matched_mentees": 3, "match_rate": 0.6,
    "median_hours_to_match": 75.0,  # A 48 h, E 75 h, B 96 h
    "active_mentorships": 2, "ended_mentorships": 1, "sessions_completed": 4,
    # 4 sessions / (40/30.4375 + 1 (X2 ran 26 days: counts as one month) + 38.875/30.4375) mentorship-months
    "sessions_per_active_mentorship_per_month": 1.11,
    "goals_total": 3, "goals_completed": 1, "goal_completion_rate": 0.3333,  # G1, G3, G5
    "average_feedback_rating": 4.0, "feedback_count": 4,
    "mentor_utilization": 0.5,  # X1, X4 active + X5 proposed / capacity 2 + 1 + 3
    "as_of": "2025-04-14T09:00:00.000000Z",
}
