"""All of the matching service's repositories over one database."""

from __future__ import annotations

from pymongo.database import Database

from services.matching.repo_mentorships import FeedbackRepository, MentorshipRepository, SessionRepository
from services.matching.repo_people import PeopleRepository
from services.matching.repo_programs import EnrollmentRepository, ProgramRepository
from services.matching.repo_runs import RunRepository


class Repositories:
    def __init__(self, db: Database):
        self.db = db
        self.people = PeopleRepository(db)
        self.programs = ProgramRepository(db)
        self.enrollments = EnrollmentRepository(db)
        self.mentorships = MentorshipRepository(db)
        self.sessions = SessionRepository(db)
        self.feedback = FeedbackRepository(db)
        self.runs = RunRepository(db)
