"""Matching's pure rules: candidates, pair scores, hard constraints, optimal cohort assignment, the
mentorship lifecycle, at-risk signals and who may do what. No Flask, Kafka, Mongo or clock reads."""
