"""Notification rules as plain Python: which notices an event or a job moment produces, quiet hours,
retries, the weekly digest and the .ics invite. No Flask, Kafka or Mongo here."""
