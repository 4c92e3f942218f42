"""Tandem's common plumbing: config, HTTP app factory, auth, errors, events, Kafka, Mongo, metrics.

Only what every service needs lives here; no service's domain logic does.
"""
