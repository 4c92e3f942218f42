"""Provisioning creates each declared topic with its settings, and aligns a topic made before them."""

from __future__ import annotations

from kafka.admin import ConfigResource, ConfigResourceType, KafkaAdminClient

from shared.events.catalog import PROFILES, Topic
from shared.kafka import ensure_topics


def settings(servers: list[str], topic: str, keys) -> dict[str, str]:
    admin = KafkaAdminClient(bootstrap_servers=servers)
    try:
        found = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic, configs=dict.fromkeys(keys))],
                                      config_filter="all")
        return {key: entry["value"] for key, entry in found["topic"][topic].items()}
    finally:
        admin.close()


def test_a_declared_topic_is_created_with_its_settings_and_an_older_one_is_aligned(infra, uid):
    servers = [infra.kafka_bootstrap]
    declared = Topic(f"t.people.{uid}", "employee_id", "test", dict(PROFILES.configs))
    ensure_topics(servers, [declared.name], with_dlq=False)  # as an older release made it: no settings
    assert settings(servers, declared.name, declared.configs)["cleanup.policy"] == "delete"
    ensure_topics(servers, [declared])
    assert settings(servers, declared.name, declared.configs) == dict(PROFILES.configs)
    fresh = Topic(f"t.fresh.{uid}", "employee_id", "test", {"cleanup.policy": "compact"})
    ensure_topics(servers, [fresh])
    assert settings(servers, fresh.name, fresh.configs) == {"cleanup.policy": "compact"}
