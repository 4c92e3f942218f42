"""Matching service: programs, enrollments, matching runs, mentorships, sessions and feedback."""
