"""Where a webhook may point: a public http(s) address, without credentials (no SSRF into the network).

Checked twice: when a person saves the URL (its host, if it is an address literal in any form a
resolver accepts, e.g. `2130706433` or `0x7f.1` for 127.0.0.1) and when a webhook is sent (every
address the name resolves to then; the request goes to the address that was checked, and redirects
are not followed). Private targets — loopback, RFC 1918, unique-local — are allowed only when the
operator says so (NOTIFY_WEBHOOK_ALLOW_PRIVATE, for local development); link-local (cloud metadata),
unspecified, multicast and reserved addresses never are.
"""

from __future__ import annotations

import re
import socket
from ipaddress import IPv4Address, IPv6Address, ip_address, ip_network
from urllib.parse import urlsplit

Address = IPv4Address | IPv6Address
LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})
NAT64 = ip_network("64:ff9b::/96")
_NUMERIC_HOST = re.compile(r"[0-9a-fA-FxX.]+")


def url_refusal(url: str, allow_private: bool = False) -> str | None:
    """Why a webhook may not point at `url`, or None if it may (as far as can be told without DNS)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return "is not a valid URL"
    if parts.scheme not in ("http", "https") or not host:
        return "must be an http or https URL with a host"
    if "@" in parts.netloc:
        return "must not carry a user name or password"
    if host.rstrip(".") in LOCAL_NAMES or host.rstrip(".").endswith(".localhost"):
        return None if allow_private else "points at this machine (loopback)"
    literal = literal_address(host)
    return None if literal is None else address_refusal(literal, allow_private)


def literal_address(host: str) -> Address | None:
    """The address a host names by itself: IPv4/IPv6 literals, and the decimal, octal, hex and
    shortened IPv4 forms (`2130706433`, `0177.0.0.1`, `127.1`) that resolvers also accept."""
    try:
        return ip_address(host.strip("[]"))
    except ValueError:
        pass
    if not _NUMERIC_HOST.fullmatch(host):
        return None
    try:
        return IPv4Address(socket.inet_aton(host))
    except OSError:  # not a numeric form after all: a name, checked when it is resolved
        return None


def address_refusal(address: Address, allow_private: bool = False) -> str | None:
    """Why a webhook may not be sent to `address`, or None if it may."""
    embedded = _embedded_ipv4(address)
    if embedded is not None:
        return address_refusal(embedded, allow_private)
    if address.is_link_local:
        return f"points at a link-local address ({address})"
    if address.is_loopback:
        return None if allow_private else f"points at a loopback address ({address})"
    if address.is_unspecified or address.is_multicast or address.is_reserved:
        return f"points at an address no webhook may use ({address})"
    if not address.is_global:
        return None if allow_private else f"points at a private address ({address})"
    return None


def _embedded_ipv4(address: Address) -> IPv4Address | None:
    """The IPv4 address an IPv6 one stands for (mapped, 6to4, Teredo, NAT64), which is what gets reached."""
    if not isinstance(address, IPv6Address):
        return None
    if address.ipv4_mapped or address.sixtofour:
        return address.ipv4_mapped or address.sixtofour
    if address.teredo:
        return address.teredo[1]
    if address in NAT64:
        return IPv4Address(int(address) & 0xFFFFFFFF)
    return None
