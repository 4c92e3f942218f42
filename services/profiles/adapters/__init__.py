"""What talks to the outside: the Mongo repositories of people and goals, and the relay's tombstones."""
