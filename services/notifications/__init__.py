"""Notifications service: tells mentors, mentees, managers and admins what they need to know, once.

What lives where: README.md. The delivery model (at most once, never stuck): use_cases/dispatch.py.
"""
