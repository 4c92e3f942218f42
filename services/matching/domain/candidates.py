"""People and program rules as the matching core sees them, and the same people as numpy arrays."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
from scipy import sparse

WEAK_SKILL_LEVEL = 2  # a mentee's skill at or below this level is one they want to strengthen
ACTIVE = "active"


@dataclass(frozen=True)
class Candidate:
    """One person in a program, reduced to what scoring and the hard constraints need."""

    employee_id: str
    name: str
    department: str
    grade: int
    languages: tuple[str, ...]
    timezone: str
    skills: Mapping[str, int]  # lower-case skill name -> level 1..5
    goal_skills: tuple[str, ...]  # target skills of the person's active goals (lower-case)
    manager_chain: tuple[str, ...]  # ancestors, nearest first
    employment_status: str = "active"
    roles: tuple[str, ...] = ("mentee", "mentor")  # the profile's roles; the service passes them through
    declined_mentors: tuple[str, ...] = ()  # mentors of pairs with this mentee declined in the program

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.strip() else self.employee_id

    def wanted_skills(self) -> tuple[str, ...]:
        """Goal target skills first, then weak skills, each once: what a mentor should be strong in."""
        weak = sorted(skill for skill, level in self.skills.items() if level <= WEAK_SKILL_LEVEL)
        return tuple(dict.fromkeys((*self.goal_skills, *weak)))


@dataclass(frozen=True)
class ProgramRules:
    """A program's criterion weights and hard constraints."""

    weights: Mapping[str, float] = field(default_factory=dict)
    exclude_reporting_line: bool = True
    max_grade_gap: int | None = None
    require_shared_language: bool = False
    prefer_cross_department: bool = True


# -- the same people as numpy arrays, built once per mentor list and once per cohort of mentees ----

MINUTES_PER_DAY = 24 * 60
WORKDAY_MINUTES = 8 * 60  # 09:00-17:00 local
TEACHING_LEVEL = 4  # a mentor at or above this level can teach the skill


@dataclass(frozen=True)
class Profiles:
    """Grade, department, languages, UTC offset and availability of some mentors (or groups of them)."""

    grades: np.ndarray
    departments: np.ndarray
    language_bits: np.ndarray
    offsets: np.ndarray
    available: np.ndarray  # active, with the mentor role


@dataclass(frozen=True)
class MentorGroups(Profiles):
    """One profile per group of alike mentors, and which distinct grade, offset and language set each has:
    per-mentee tables over those few values, gathered per group, cost far less than per-group arithmetic."""

    grade_values: np.ndarray
    grade_of: np.ndarray
    offset_values: np.ndarray
    offset_of: np.ndarray
    language_sets: np.ndarray
    language_of: np.ndarray

    @classmethod
    def of(cls, grades, departments, language_bits, offsets, available) -> MentorGroups:
        grade_values, grade_of = np.unique(grades, return_inverse=True)
        offset_values, offset_of = np.unique(offsets, return_inverse=True)
        language_sets, language_of = np.unique(language_bits, axis=0, return_inverse=True)
        return cls(grades, departments, language_bits, offsets, available, grade_values, grade_of.reshape(-1),
                   offset_values, offset_of.reshape(-1), language_sets, language_of.reshape(-1))


class ZoneOffsets:
    """UTC offsets in minutes at one instant, looked up once per distinct timezone name."""

    def __init__(self, at: datetime):
        self.at = at
        self._minutes: dict[str, int] = {}

    def __call__(self, timezone: str) -> int:
        if timezone not in self._minutes:
            try:
                delta = self.at.astimezone(ZoneInfo(timezone)).utcoffset()
            except (ZoneInfoNotFoundError, ValueError):
                delta = None  # an unknown zone counts as UTC rather than failing a whole run
            self._minutes[timezone] = int(delta.total_seconds() // 60) if delta else 0
        return self._minutes[timezone]


@dataclass(frozen=True)
class MentorTraits:
    """Mentors as arrays: skill levels [skill, mentor] and, per mentor, grade, department, languages, offset.

    Mentors alike in grade, department, UTC offset and languages form a group; the criteria and
    constraints that depend only on those are computed per group and spread to mentors by one gather.
    """

    skill_index: dict[str, int]
    department_index: dict[str, int]
    language_index: dict[str, int]
    zone_offset: ZoneOffsets
    levels: np.ndarray  # float32 holds these small integers exactly, so skill sums are exact
    teaches: np.ndarray
    grades: np.ndarray
    departments: np.ndarray
    language_bits: np.ndarray
    offsets: np.ndarray
    available: np.ndarray  # active, with the mentor role
    group: np.ndarray  # group of each mentor
    groups: MentorGroups
    columns: np.ndarray  # index of each mentor here in the full mentor list

    @classmethod
    def build(cls, mentors: Sequence[Candidate], at: datetime) -> MentorTraits:
        skill_index = _index(skill for m in mentors for skill in m.skills)
        levels = np.zeros((len(skill_index), len(mentors)), dtype=np.float32)
        for j, mentor in enumerate(mentors):
            for skill, level in mentor.skills.items():
                levels[skill_index[skill], j] = level
        department_index = _index(m.department for m in mentors)
        language_index = _index(lang for m in mentors for lang in m.languages)
        zone_offset = ZoneOffsets(at)
        grades = np.array([m.grade for m in mentors], dtype=np.int16).reshape(-1)
        departments = np.array([department_index[m.department] for m in mentors], dtype=np.int32).reshape(-1)
        bits = language_bits([m.languages for m in mentors], language_index)
        offsets = np.array([zone_offset(m.timezone) for m in mentors], dtype=np.int32).reshape(-1)
        available = np.array([m.employment_status == ACTIVE and "mentor" in m.roles for m in mentors],
                             dtype=bool).reshape(-1)
        alike = np.column_stack([grades, departments, offsets, available, bits.view(np.int64)])
        _, members, group = np.unique(alike, axis=0, return_index=True, return_inverse=True)
        groups = MentorGroups.of(grades[members], departments[members], bits[members], offsets[members],
                                 available[members])
        return cls(skill_index, department_index, language_index, zone_offset, levels,
                   (levels >= TEACHING_LEVEL).astype(np.float32), grades, departments, bits, offsets, available,
                   group.reshape(-1), groups, np.arange(len(mentors)))

    def select(self, columns: np.ndarray) -> MentorTraits:
        """The same traits for a subset of mentors (e.g. those with capacity left), in `columns` order."""
        return replace(self, levels=np.ascontiguousarray(self.levels[:, columns]),
                       teaches=np.ascontiguousarray(self.teaches[:, columns]), grades=self.grades[columns],
                       departments=self.departments[columns], language_bits=self.language_bits[columns],
                       offsets=self.offsets[columns], available=self.available[columns], group=self.group[columns],
                       columns=self.columns[columns])

    def profiles(self, mentor_of_row: np.ndarray) -> Profiles:
        """Grade, department, languages and offset of the given mentors, aligned with the rows."""
        return Profiles(self.grades[mentor_of_row], self.departments[mentor_of_row],
                        self.language_bits[mentor_of_row], self.offsets[mentor_of_row], self.available[mentor_of_row])


def language_bits(language_lists: Sequence[Sequence[str]], language_index: Mapping[str, int]) -> np.ndarray:
    """Languages as bit sets over the mentors' languages: uint64 [people, words]."""
    words = np.zeros((len(language_lists), max(1, -(-len(language_index) // 64))), dtype=np.uint64)
    for row, languages in enumerate(language_lists):
        for lang in languages:
            bit = language_index.get(lang)
            if bit is not None:
                words[row, bit // 64] |= np.uint64(1 << (bit % 64))
    return words


@dataclass(frozen=True)
class MenteeTraits:
    """Mentees as arrays aligned with one MentorTraits; sliceable into row blocks."""

    # sparse rows (a mentee wants a handful of skills): a product with mentor levels is exact and cheap
    wanted: sparse.csr_array  # float32 [m, skills]: goal target and weak skills
    goals: sparse.csr_array  # float32 [m, skills]: goal target skills
    wanted_count: np.ndarray  # counts include skills no mentor has: those lower every mentor's share alike
    goal_count: np.ndarray
    grades: np.ndarray
    departments: np.ndarray  # -1: a department no mentor works in
    language_bits: np.ndarray
    offsets: np.ndarray

    @classmethod
    def build(cls, mentees: Sequence[Candidate], mentors: MentorTraits) -> MenteeTraits:
        wanted_lists = [m.wanted_skills() for m in mentees]
        goal_lists = [tuple(dict.fromkeys(m.goal_skills)) for m in mentees]
        return cls(
            wanted=_skill_rows(wanted_lists, mentors.skill_index), goals=_skill_rows(goal_lists, mentors.skill_index),
            wanted_count=np.array([len(s) for s in wanted_lists], dtype=float).reshape(-1),
            goal_count=np.array([len(s) for s in goal_lists], dtype=float).reshape(-1),
            grades=np.array([m.grade for m in mentees], dtype=np.int16).reshape(-1),
            departments=np.array([mentors.department_index.get(m.department, -1) for m in mentees],
                                 dtype=np.int32).reshape(-1),
            language_bits=language_bits([m.languages for m in mentees], mentors.language_index),
            offsets=np.array([mentors.zone_offset(m.timezone) for m in mentees], dtype=np.int32).reshape(-1))

    def rows(self, selection: slice | np.ndarray) -> MenteeTraits:
        """The same traits for a block (slice) or a list of rows."""
        return MenteeTraits(**{f.name: getattr(self, f.name)[selection] for f in fields(self)})


def minutes_apart(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Distance between UTC offsets around the 24-hour clock."""
    apart = np.abs(a - b) % MINUTES_PER_DAY
    return np.minimum(apart, MINUTES_PER_DAY - apart)


def shares_language(a_bits: np.ndarray, b_bits: np.ndarray) -> np.ndarray:
    """True where the two (broadcast) language bit sets meet."""
    shared = (a_bits[..., 0] & b_bits[..., 0]) != 0
    for word in range(1, a_bits.shape[-1]):
        shared |= (a_bits[..., word] & b_bits[..., word]) != 0
    return shared


def _skill_rows(skill_lists: Sequence[Sequence[str]], skill_index: Mapping[str, int]) -> sparse.csr_array:
    """One row per person, 1.0 in the column of each listed skill some mentor has."""
    cols = [[skill_index[s] for s in skills if s in skill_index] for skills in skill_lists]
    rows = np.repeat(np.arange(len(cols)), [len(c) for c in cols])
    flat = np.fromiter((c for row in cols for c in row), dtype=np.int64, count=len(rows))
    return sparse.csr_array((np.ones(len(rows), np.float32), (rows, flat)), shape=(len(cols), len(skill_index)))


def _index(names: Iterable[str]) -> dict[str, int]:
    """Stable positions for names in first-seen order."""
    return {name: i for i, name in enumerate(dict.fromkeys(names))}
