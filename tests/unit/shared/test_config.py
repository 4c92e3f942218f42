"""Configuration is read once from the environment into one typed object."""

from shared.config import load_config


def test_defaults_and_ports_per_service():
    config = load_config("matching", environ={})
    assert (config.port, config.mongodb_db, config.kafka_servers) == (8002, "tandem", ["127.0.0.1:9092"])
    assert config.smtp_starttls is False and config.analytics_min_group_size == 5


def test_environment_values_are_typed():
    config = load_config("notifications", environ={
        "PORT": "9000", "SMTP_STARTTLS": "1", "SMTP_PORT": "2525", "KAFKA_BOOTSTRAP_SERVERS": "a:1, b:2",
        "ANALYTICS_MIN_GROUP_SIZE": "7", "MAX_BODY_BYTES": "1024"})
    assert (config.port, config.smtp_starttls, config.smtp_port) == (9000, True, 2525)
    assert config.kafka_servers == ["a:1", "b:2"] and config.analytics_min_group_size == 7


def test_overrides_replace_known_fields_and_keep_the_rest_as_extra():
    config = load_config("profiles", environ={}).with_overrides({"mongodb_db": "x", "retry_base": 0.1})
    assert config.mongodb_db == "x" and config.extra == {"retry_base": 0.1}
