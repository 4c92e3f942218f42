"""`tandem`: the admin command line for a Tandem installation (import, tokens, matching runs, exports)."""
