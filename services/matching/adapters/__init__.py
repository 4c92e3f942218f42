"""What talks to the outside: the Mongo repositories behind the use cases' ports, and the unit of work."""
