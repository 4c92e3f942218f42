"""Pure analytics logic: events to facts, facts to program state, state to KPIs. No Flask, Kafka or Mongo."""
