"""How the outside reaches profiles: the HTTP app and its routes, and the worker's loops."""
