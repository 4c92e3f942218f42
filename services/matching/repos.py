"""All of the matching service's repositories over one database: its unit of work."""

from __future__ import annotations

from pymongo.client_session import ClientSession
from pymongo.database import Database

from services.matching.repo_mentorships import FeedbackRepository, MentorshipRepository, SessionRepository
from services.matching.repo_people import PeopleRepository
from services.matching.repo_programs import EnrollmentRepository, ProgramRepository
from services.matching.repo_runs import RunRepository
from shared.unit_of_work import MongoUnitOfWork


class Repositories(MongoUnitOfWork):
    service = "matching"

    def __init__(self, db: Database, session: ClientSession | None = None):
        super().__init__(db, session)
        self.people = PeopleRepository(db)
        self.programs = ProgramRepository(db)
        self.enrollments = EnrollmentRepository(db)
        self.mentorships = MentorshipRepository(db)
        self.sessions = SessionRepository(db)
        self.feedback = FeedbackRepository(db)
        self.runs = RunRepository(db)
