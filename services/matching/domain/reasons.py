"""Why a mentor suits a mentee, as a few short sentences ordered by what weighed most in the score."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

from services.matching.domain.candidates import Candidate, ProgramRules

MAX_REASONS = 4
LEVEL_WORDS = {5: "Expert", 4: "Strong", 3: "Proficient"}
LANGUAGE_NAMES = {
    "ar": "Arabic", "cs": "Czech", "da": "Danish", "de": "German", "el": "Greek", "en": "English",
    "es": "Spanish", "fi": "Finnish", "fr": "French", "he": "Hebrew", "hi": "Hindi", "hu": "Hungarian",
    "id": "Indonesian", "it": "Italian", "ja": "Japanese", "ko": "Korean", "nl": "Dutch", "no": "Norwegian",
    "pl": "Polish", "pt": "Portuguese", "ro": "Romanian", "ru": "Russian", "sv": "Swedish", "th": "Thai",
    "tr": "Turkish", "uk": "Ukrainian", "vi": "Vietnamese", "zh": "Chinese",
}

Sentence = Callable[[Candidate, Candidate, Mapping[str, float], ProgramRules], str | None]

# The two sentences that name the mentee (by first name, one word: see Candidate.first_name), and how
# each reads once the mentee is erased.
WITHOUT_NAME = "the mentee"
NAMED = (re.compile(r"(?P<before>.*, which )\S+(?P<after> wants to (?:learn|strengthen))"),
         re.compile(r"(?P<before>Can teach \d+ of the \d+ skills in )\S+(?P<after>'s goals)"))


def for_pair(mentee: Candidate, mentor: Candidate, breakdown: Mapping[str, float],
             weights: Mapping[str, float], rules: ProgramRules) -> list[str]:
    """Up to MAX_REASONS sentences, strongest weighted criterion first."""
    ranked = sorted(SENTENCES, key=lambda c: -weights[c] * breakdown[c])  # stable: CRITERIA order on ties
    found = []
    for criterion in ranked:
        if weights[criterion] * breakdown[criterion] <= 0:
            break
        sentence = SENTENCES[criterion](mentee, mentor, breakdown, rules)
        if sentence:
            found.append(sentence)
    return found[:MAX_REASONS]


def anonymised(reasons: Iterable[str]) -> list[str]:
    """The same reasons with the mentee's name replaced, for a mentee who has been erased."""
    return [_without_name(reason) for reason in reasons]


def _without_name(reason: str) -> str:
    for pattern in NAMED:
        if found := pattern.fullmatch(reason):
            return found["before"] + WITHOUT_NAME + found["after"]
    return reason


def _skills(mentee: Candidate, mentor: Candidate, _b: Mapping[str, float], _r: ProgramRules) -> str | None:
    """The mentee's wanted skill the mentor is best at (goal skills win ties)."""
    wanted = mentee.wanted_skills()
    best = max(wanted, key=lambda s: (mentor.skills.get(s, 0), -wanted.index(s)), default=None)
    level = mentor.skills.get(best, 0) if best else 0
    if level not in LEVEL_WORDS:
        return None
    # wanted skills are goal targets or weak skills (level <= WEAK_SKILL_LEVEL)
    want = "wants to learn" if best in mentee.goal_skills else "wants to strengthen"
    return f"{LEVEL_WORDS[level]} ({level}/5) in {best}, which {mentee.first_name} {want}"


def _goals(mentee: Candidate, _m: Candidate, breakdown: Mapping[str, float], _r: ProgramRules) -> str | None:
    total = len(set(mentee.goal_skills))
    covered = round(breakdown["goals"] * total)
    if total < 2 or covered == 0:
        return None  # a one-skill goal is already said by the skills sentence
    return f"Can teach {covered} of the {total} skills in {mentee.first_name}'s goals"


def _seniority(mentee: Candidate, mentor: Candidate, _b: Mapping[str, float], _r: ProgramRules) -> str | None:
    gap = mentor.grade - mentee.grade
    return f"{gap} grade{'s' if gap != 1 else ''} more senior" if gap > 0 else None


def _department(mentee: Candidate, mentor: Candidate, _b: Mapping[str, float], rules: ProgramRules) -> str | None:
    if rules.prefer_cross_department and mentor.department != mentee.department:
        return f"Works in {mentor.department} — a view from outside {mentee.department}"
    if not rules.prefer_cross_department and mentor.department == mentee.department:
        return f"Also works in {mentor.department}"
    return None


def _language(mentee: Candidate, mentor: Candidate, _b: Mapping[str, float], _r: ProgramRules) -> str | None:
    shared = [lang for lang in mentee.languages if lang in mentor.languages]
    # a shared language other than English says more, since most people share English
    shared.sort(key=lambda lang: lang == "en")
    return f"Shares {LANGUAGE_NAMES.get(shared[0], shared[0])}" if shared else None


def _timezone(_e: Candidate, _m: Candidate, breakdown: Mapping[str, float], _r: ProgramRules) -> str | None:
    hours = round(breakdown["timezone"] * 8, 1)
    return f"{hours:g} working hour{'s' if hours != 1 else ''} overlap" if hours > 0 else None


SENTENCES: dict[str, Sentence] = {"skills": _skills, "goals": _goals, "seniority": _seniority,
                                  "cross_department": _department, "language": _language, "timezone": _timezone}
