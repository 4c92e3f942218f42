"""The webhook channel re-checks where the host resolves at send time and posts to the checked address."""

from ipaddress import ip_address

from services.notifications.adapters.channels.webhook import WebhookSender

DOC = {"_id": "intro:m1:e1", "kind": "introduction", "payload": {"kind": "introduction"}}


class Transport:
    def __init__(self, status=204):
        self.status, self.posted = status, []

    def __call__(self, url, address, body, headers, timeout):
        self.posted.append((url, address, headers))
        return self.status


def sender(resolves_to, transport, allow_private=False):
    return WebhookSender("s3cret", resolver=lambda host, port: [ip_address(a) for a in resolves_to], post=transport,
                         allow_private=allow_private)


def test_a_name_that_resolves_into_the_local_network_is_refused_at_send_time():
    transport = Transport()
    for addresses in (["127.0.0.1"], ["93.184.216.34", "10.0.0.7"], ["169.254.169.254"], ["::ffff:127.0.0.1"]):
        result = sender(addresses, transport).send(DOC, "https://hooks.example.com/t")
        assert not result.ok and result.permanent and "webhook_url points at" in result.detail
    assert transport.posted == []


def test_the_post_goes_to_the_address_that_was_checked_signed():
    transport = Transport()
    assert sender(["93.184.216.34"], transport).send(DOC, "https://hooks.example.com/t").ok
    [(url, address, headers)] = transport.posted
    assert address == ip_address("93.184.216.34") and url == "https://hooks.example.com/t"
    assert headers["X-Tandem-Signature"].startswith("sha256=")


def test_a_stored_url_that_is_no_longer_allowed_is_not_posted_to():
    transport = Transport()
    result = sender(["93.184.216.34"], transport).send(DOC, "http://2130706433/")
    assert not result.ok and result.permanent and transport.posted == []


def test_redirects_are_answers_not_hops():
    result = sender(["93.184.216.34"], Transport(status=302)).send(DOC, "https://hooks.example.com/t")
    assert not result.ok and result.permanent and result.detail == "HTTP 302 (redirects are not followed)"
