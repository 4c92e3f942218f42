"""What talks to the outside: the Mongo fact and report stores, the unit of work, the Prometheus gauges."""
