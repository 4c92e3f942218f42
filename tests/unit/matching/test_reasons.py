"""Match reasons without the mentee's name, for a mentee who has been erased."""

from __future__ import annotations

import pytest

from services.matching.domain.candidates import ProgramRules
from services.matching.domain.reasons import anonymised
from services.matching.domain.scoring import ScoringModel


@pytest.mark.parametrize("name", ["Yara Haddad", "O'Brien Kelly", "Zoë-Ann Smith", "Li"])
def test_every_sentence_that_names_the_mentee_reads_the_mentee_and_the_others_stay(person, winter, name):
    first = name.split()[0]
    mentee = person("yara", name=name, grade=3, skills={"python": 1, "sql": 2}, goals=("python", "go", "sql"))
    mentor = person("ada", department="Finance", grade=7, skills={"python": 5, "go": 4, "sql": 4})
    reasons = ScoringModel([mentor], ProgramRules(weights={}), at=winter).reasons(mentee, 0)
    named = [r for r in reasons if first in r]
    assert len(named) == 2  # the skill the mentee wants, and the share of their goals

    rewritten = anonymised(reasons)
    assert not any(first in r for r in rewritten)
    assert [r for r in rewritten if "the mentee" in r] == [r.replace(first, "the mentee") for r in named]
    assert [r for r in rewritten if r in reasons] == [r for r in reasons if r not in named]


def test_reasons_without_a_name_are_left_as_they_are():
    reasons = ["3 grades more senior", "Shares German", "Works in Sales — a view from outside Legal"]
    assert anonymised(reasons) == reasons
