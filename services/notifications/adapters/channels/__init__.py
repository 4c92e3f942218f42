"""Channel adapters: each sends one notification to one person and reports a SendResult."""
