"""The CloudEvents envelope and event schemas: what producers may publish and consumers accept."""

import json

import pytest

from shared.events import EVENT_TYPES, TOPICS, Event, InvalidEvent, new_event

FEEDBACK = {"feedback_id": "f1", "mentorship_id": "m1", "program_id": "p1", "author_id": "e1",
            "author_role": "mentee", "rating": 4, "submitted_at": "2026-01-01T00:00:00Z"}


def test_new_event_has_every_cloudevents_attribute_and_the_aggregate_as_subject():
    event = new_event("mentoring.feedback.submitted", FEEDBACK, source="/tandem/matching")
    raw = json.loads(event.to_json())
    assert {k: raw[k] for k in ("specversion", "datacontenttype", "source", "type", "subject")} == {
        "specversion": "1.0", "datacontenttype": "application/json", "source": "/tandem/matching",
        "type": "mentoring.feedback.submitted", "subject": "m1"}
    assert raw["time"].endswith("Z") and len(raw["id"]) == 36
    assert event.topic == "mentoring.feedback" and event.key == "m1"


def test_round_trip_is_equal_and_data_is_read_only():
    event = new_event("mentoring.feedback.submitted", FEEDBACK, source="/tandem/matching")
    again = Event.from_json(event.to_json())
    assert again == event
    with pytest.raises(TypeError):
        again.data["rating"] = 1  # type: ignore[index]


def test_producers_cannot_publish_private_text():
    with pytest.raises(InvalidEvent, match="comment"):
        new_event("mentoring.feedback.submitted", {**FEEDBACK, "comment": "secret"}, source="/tandem/matching")


@pytest.mark.parametrize("mutate, reason", [
    (lambda e: e.pop("id"), "id"),
    (lambda e: e.update(specversion="0.3"), "specversion"),
    (lambda e: e.update(type="mentoring.unknown.thing"), "unknown event type"),
    (lambda e: e.update(subject="other"), "aggregate id"),
    (lambda e: e["data"].update(rating=9), "rating"),
    (lambda e: e.update(time="yesterday"), "time"),
])
def test_consumers_reject_invalid_events_with_a_reason(mutate, reason):
    raw = new_event("mentoring.feedback.submitted", FEEDBACK, source="/tandem/matching").to_dict()
    mutate(raw)
    with pytest.raises(InvalidEvent, match=reason):
        Event.from_dict(raw)


def test_consumers_tolerate_new_optional_fields_from_newer_producers():
    raw = new_event("mentoring.feedback.submitted", FEEDBACK, source="/tandem/matching").to_dict()
    raw["data"]["added_later"] = True
    assert Event.from_dict(raw).data["rating"] == 4


def test_not_json_is_invalid():
    with pytest.raises(InvalidEvent, match="not JSON"):
        Event.from_json(b"\xff{oops")


def test_every_design_topic_and_type_is_declared():
    assert set(TOPICS) == {"mentoring.profiles", "mentoring.goals", "mentoring.programs", "mentoring.mentorships",
                           "mentoring.sessions", "mentoring.feedback", "mentoring.notifications"}
    assert len(EVENT_TYPES) == 20
    assert EVENT_TYPES["mentoring.goal.completed"].key_field == "employee_id"
    assert EVENT_TYPES["mentoring.session.scheduled"].key_field == "mentorship_id"
