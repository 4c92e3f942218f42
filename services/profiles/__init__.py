"""Profiles service: people and their development goals, as HR and employees describe them."""
