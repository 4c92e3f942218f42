"""How the world reaches matching: the HTTP app and its routes, the event handlers, the worker's loops."""
