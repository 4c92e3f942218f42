"""The profiles service's use cases: the only thing its routes call. Each takes a unit of work (ports.py)."""
