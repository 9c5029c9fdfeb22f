"""What every resolver gets as ``info.context``: the caller, the request's tenant, the services and the
request's loaders (built here, once per request — never shared between requests)."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from tongban.graphql.core.limits import ApiLimits
from tongban.graphql.core.loaders import Loaders
from tongban.platform.approval.actors import Actor, actor_from_user
from tongban.platform.identity.tokens import Principal
from tongban.tenants.directory import Snapshot, TenantInfo


@dataclass
class ApiContext:
    app: Any  # the Starlette app: its state holds database, directory, catalogue, approval, settings
    principal: Principal | None
    request_tenant: TenantInfo | None
    limits: ApiLimits
    address: str = ""  # the caller's network address (rate limits on guessing)
    loaders: Loaders = field(init=False)

    @property
    def state(self):
        return self.app.state

    @property
    def database(self):
        return self.app.state.database

    @cached_property
    def snapshot(self) -> Snapshot:
        """One directory snapshot per request, so every field sees the same tree."""
        return self.state.directory.snapshot

    @cached_property
    def actor(self) -> Actor | None:
        """The caller as the approval engine sees it (None for anonymous and client-credentials calls)."""
        if self.principal is None or self.principal.kind != "account":
            return None
        return actor_from_user(self.principal)

    @property
    def subject(self) -> str:
        """Who is recorded in audit rows."""
        return self.principal.subject if self.principal else "anonymous"


def build_context(app: Any, principal: Principal | None, request_tenant: TenantInfo | None,
                  limits: ApiLimits, address: str = "") -> ApiContext:
    from tongban.graphql.approval.loaders import build_loaders as approval_loaders
    from tongban.graphql.catalogue.loaders import build_loaders as catalogue_loaders

    context = ApiContext(app, principal, request_tenant, limits, address)
    context.loaders = Loaders({**catalogue_loaders(context), **approval_loaders(context)})
    return context
