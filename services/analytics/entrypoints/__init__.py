"""How the outside reaches analytics: the HTTP API and dashboard (app.py), the worker's loops and its
table of event reactions."""
