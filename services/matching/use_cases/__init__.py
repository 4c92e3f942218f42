"""Matching's use cases, one module per capability: the only thing routes and event handlers call.

Each takes a unit of work (ports.UnitOfWork) and works through its repositories and the pure rules
of domain/; what it announces is built in events.py and written with the change (the outbox).
"""
