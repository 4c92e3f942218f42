"""What the dashboard shows, shaped from a program report: headline cards, then the panels."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from services.analytics.entrypoints.dashboard.format import number, percent
from services.analytics.entrypoints.dashboard.panels import at_risk_rows, charts, week_running

AT_RISK_FIRST = 12  # the most urgent pairs shown at once; the others fold away under "more"


def cards(s: Mapping[str, Any], at_risk: int) -> list[dict[str, str]]:
    """The headline numbers, each with a short explanation."""
    hours = s["median_hours_to_match"]
    return [
        {"label": "Mentees enrolled", "value": number(s["enrolled_mentees"]),
         "note": f"and {number(s['enrolled_mentors'])} mentors"},
        {"label": "Matched mentees", "value": number(s["matched_mentees"]),
         "note": f"of {number(s['enrolled_mentees'])} enrolled"},
        {"label": "Match rate", "value": percent(s["match_rate"]), "note": "matched ÷ enrolled mentees"},
        {"label": "Median time to match", "value": "–" if hours is None else f"{hours:,.0f} h",
         "note": "enrollment to a started pair" if hours is None else f"{hours / 24:.1f} days, enrollment to start"},
        {"label": "Active mentorships", "value": number(s["active_mentorships"]),
         "note": f"{number(s['ended_mentorships'])} ended"},
        {"label": "Sessions per pair-month", "value": number(s["sessions_per_active_mentorship_per_month"], 2),
         "note": f"{number(s['sessions_completed'])} sessions held"},
        {"label": "Goal completion", "value": percent(s["goal_completion_rate"]),
         "note": f"{number(s['goals_completed'])} of {number(s['goals_total'])} goals"},
        {"label": "Average rating", "value": number(s["average_feedback_rating"], 2),
         "note": f"{number(s['feedback_count'])} ratings, 1–5"},
        {"label": "Mentor utilisation", "value": percent(s["mentor_utilization"]), "note": "assigned ÷ capacity"},
        {"label": "Pairs at risk", "value": number(at_risk),
         "note": f"of {number(s['active_mentorships'])} active", "tone": "warn" if at_risk else ""},
    ]


def page_model(report: Mapping[str, Any], pairs_at_risk: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Everything the template needs; `pairs_at_risk` are the report's, named (see use_cases/at_risk.py)."""
    program = report["program"]
    return {"program": program, "title": program.get("name") or program["program_id"], "as_of": report["as_of"],
            "cards": cards(report["summary"], len(report["at_risk"])), "charts": charts(report),
            "summary": report["summary"], "departments": report["breakdown"]["department"],
            "outcomes": report["outcomes"], "min_group_size": report["min_group_size"],
            "at_risk": at_risk_rows(pairs_at_risk), "at_risk_first": AT_RISK_FIRST,
            "week_running": week_running(report), "percent": percent, "number": number}
