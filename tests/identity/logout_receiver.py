"""A relying party's back-channel logout endpoint, served for real (uvicorn on a free port, in a thread).

It validates each Logout Token as OpenID Connect Back-Channel Logout 1.0 §2.6 tells a relying party to:
form-encoded ``logout_token``; signature by ``kid`` against the provider's published JWKS (RS256, typed
``logout+jwt``); ``iss``, ``aud``, ``iat``, ``exp``, ``jti`` (never seen before); ``sub`` or ``sid`` (``sid`` when
the client requires it); the back-channel logout event with an empty object; no ``nonce``. A valid token is
recorded and answered 200, an invalid one recorded as refused and answered 400. ``fail_next`` makes the
endpoint answer 503 that many times first, as a relying party that is down would.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from tests_support import serving

EVENT = "http://schemas.openid.net/event/backchannel-logout"
SKEW = 60


@dataclass
class Receiver:
    base_url: str = ""
    issuer: str = ""
    jwks: dict = field(default_factory=dict)
    audiences: dict[str, str] = field(default_factory=dict)  # endpoint name -> the client's id
    sid_required: set[str] = field(default_factory=set)
    fail_next: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    accepted: list[tuple[str, dict]] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    attempts: list[str] = field(default_factory=list)
    seen_jti: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def uri(self, name: str) -> str:
        return f"{self.base_url}/backchannel/{name}"

    def accepted_for(self, name: str) -> list[dict]:
        return [claims for who, claims in self.accepted if who == name]

    async def endpoint(self, request: Request) -> Response:
        name = request.path_params["name"]
        with self.lock:
            self.attempts.append(name)
            if self.fail_next[name] > 0:
                self.fail_next[name] -= 1
                return PlainTextResponse("down for maintenance", 503)
        if request.headers.get("content-type", "").split(";")[0] != "application/x-www-form-urlencoded":
            return self._refuse(name, "not form-encoded")
        token = (await request.form()).get("logout_token")
        if not token:
            return self._refuse(name, "no logout_token")
        problem, claims = self.validate(name, str(token))
        if problem:
            return self._refuse(name, problem)
        with self.lock:
            self.accepted.append((name, claims))
        return Response(status_code=200, headers={"Cache-Control": "no-store"})

    def _refuse(self, name: str, problem: str) -> Response:
        with self.lock:
            self.refused.append((name, problem))
        return PlainTextResponse(problem, 400)

    def validate(self, name: str, token: str) -> tuple[str | None, dict]:
        try:
            decoded = jwt.decode(token, KeySet.import_key_set(self.jwks), algorithms=["RS256"])
        except (JoseError, ValueError) as error:
            return f"signature: {error}", {}
        header, claims = decoded.header, decoded.claims
        now = time.time()
        aud = claims.get("aud")
        checks = [
            (header.get("typ") == "logout+jwt", "typ"),
            (header.get("kid") in {k["kid"] for k in self.jwks["keys"]}, "kid"),
            (claims.get("iss") == self.issuer, "iss"),
            (self.audiences.get(name) in (aud if isinstance(aud, list) else [aud]), "aud"),
            (isinstance(claims.get("iat"), int) and claims["iat"] <= now + SKEW, "iat"),
            (isinstance(claims.get("exp"), int) and now - SKEW < claims["exp"] <= now + 600, "exp"),
            (bool(claims.get("jti")) and claims["jti"] not in self.seen_jti, "jti"),
            (bool(claims.get("sub") or claims.get("sid")), "sub or sid"),
            (name not in self.sid_required or bool(claims.get("sid")), "sid required"),
            (isinstance(claims.get("events"), dict) and claims["events"].get(EVENT) == {}, "events"),
            ("nonce" not in claims, "nonce"),
        ]
        failed = [what for ok, what in checks if not ok]
        if failed:
            return "bad claims: " + ", ".join(failed), claims
        with self.lock:
            self.seen_jti.add(claims["jti"])
        return None, claims


def serve(receiver: Receiver):
    """Start the receiver on 127.0.0.1 (a generator: yields it running, stops it after)."""
    app = Starlette(routes=[Route("/backchannel/{name}", receiver.endpoint, methods=["POST"])])
    with serving(app) as port:
        receiver.base_url = f"http://127.0.0.1:{port}"
        yield receiver
