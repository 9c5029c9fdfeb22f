"""Calls to registered addresses (back-channel logout, webhooks) never reach inside the deployment in production."""
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpcore
import pytest

from tongban.platform.identity import logout_delivery
from tongban.platform.notify import outbound
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


@pytest.fixture
def connections(monkeypatch):
    """Every TCP connection the platform opens (host, port), refused before it reaches the network."""
    opened = []

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        opened.append((host, port))
        raise httpcore.ConnectError(f"{host}:{port} (test: no network)")

    monkeypatch.setattr(httpcore.SyncBackend, "connect_tcp", connect_tcp)
    return opened


def test_the_logout_sender_refuses_a_loopback_receiver_in_production(monkeypatch, connections):
    monkeypatch.setenv("TONGBAN_ENV", "production")
    with pytest.raises(OutboundRefused):
        logout_delivery.post_form("https://localhost/backchannel", "token")
    assert connections == []


def test_a_name_re_pointed_after_the_check_is_not_looked_up_again(monkeypatch, connections):
    """DNS rebinding: the first answer is public, every later one is the metadata service. The connection goes to
    the address that was checked (the name is resolved once), never to the one the name points to by then."""
    monkeypatch.setenv("TONGBAN_ENV", "production")
    answers = iter([["121.40.1.1", "121.40.1.2"]])

    def rebinding(host, port, type=None):  # noqa: A002 - getaddrinfo's own keyword
        return _resolving_to(*next(answers, ["169.254.169.254"]))(host, port, type)

    with pytest.raises(httpcore.ConnectError):
        outbound.post("https://rp.example.cn:8443/logout", content=b"x", headers={}, timeout=1, resolve=rebinding)
    assert connections == [("121.40.1.1", 8443), ("121.40.1.2", 8443)]  # each approved address tried, nothing else


@pytest.fixture
def receiver():
    """A local HTTP receiver: answers 302 to /moved and 204 otherwise; records (path, Host, body)."""
    calls = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the standard library's name
            body = self.rfile.read(int(self.headers["Content-Length"]))
            calls.append((self.path, self.headers["Host"], body))
            self.send_response(302 if self.path == "/moved" else 204)
            if self.path == "/moved":
                self.send_header("Location", "/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_port, calls
    server.shutdown()


def test_a_redirect_is_the_answer_and_is_not_followed(receiver):
    port, calls = receiver
    assert outbound.post(f"http://127.0.0.1:{port}/moved", content=b"a=1", headers={}, timeout=5) == 302
    assert outbound.post(f"http://127.0.0.1:{port}/ok", content=b"b=2", headers={}, timeout=5) == 204
    assert calls == [("/moved", f"127.0.0.1:{port}", b"a=1"), ("/ok", f"127.0.0.1:{port}", b"b=2")]


def test_the_logout_token_arrives_as_a_form(receiver):
    port, calls = receiver
    assert logout_delivery.post_form(f"http://127.0.0.1:{port}/rp", "eyJ.token") == 204
    assert calls == [("/rp", f"127.0.0.1:{port}", b"logout_token=eyJ.token")]


def test_an_operators_egress_proxy_carries_the_call(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://egress.internal:3128")
    monkeypatch.setenv("NO_PROXY", "gov.internal")
    assert outbound._proxy_for("https://rp.example.cn/logout") == "http://egress.internal:3128"
    assert outbound._proxy_for("https://sso.gov.internal/logout") is None
