"""How the service is driven: HTTP routes, the worker's event table and loops."""
