"""What talks to the outside: the store (repositories, unit of work), SMTP and webhooks, templates."""
