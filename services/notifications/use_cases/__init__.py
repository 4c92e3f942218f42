"""The notifications service's capabilities, one module each; the only thing routes and handlers call."""
