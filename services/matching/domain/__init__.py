"""Matching's pure core: candidate views, pair scores, hard constraints and optimal cohort assignment."""
