"""Calls to registered addresses (back-channel logout, webhooks) never reach inside the deployment in production."""
import socket

import pytest

from tongban.platform.identity import logout_delivery
from tongban.platform.notify.outbound import OutboundRefused, require_public


def _resolving_to(*addresses):
    def resolve(host, port, type=None):  # noqa: A002 - getaddrinfo's own keyword
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
                for a in addresses]
    return resolve


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.20", "169.254.169.254",
                                     "100.64.0.1", "::1", "fd00::1", "0.0.0.0"])
def test_a_host_resolving_inside_the_network_is_refused_in_production(address):
    with pytest.raises(OutboundRefused, match="non-public"):
        require_public("https://rp.example.cn/logout", resolve=_resolving_to("203.0.113.7", address), enforce=True)


def test_production_calls_only_public_https_addresses():
    require_public("https://rp.example.cn/logout", resolve=_resolving_to("121.40.1.1"), enforce=True)
    with pytest.raises(OutboundRefused, match="https"):
        require_public("http://rp.example.cn/logout", resolve=_resolving_to("121.40.1.1"), enforce=True)
    require_public("http://127.0.0.1:9000/logout", enforce=False)  # development receivers keep working


def test_the_logout_sender_refuses_a_loopback_receiver_in_production(monkeypatch):
    monkeypatch.setenv("TONGBAN_ENV", "production")
    sent = []
    monkeypatch.setattr(logout_delivery.httpx, "post", lambda *a, **k: sent.append(a))
    with pytest.raises(OutboundRefused):
        logout_delivery.post_form("https://localhost/backchannel", "token")
    assert sent == []
