"""Notifications service: tells mentors, mentees, managers and admins what they need to know, once."""
