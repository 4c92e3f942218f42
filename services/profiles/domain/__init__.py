"""The rules of people and their goals as plain data: no Flask, Kafka, Mongo or clock reads here."""
