"""Errors, two kinds: domain refusals are data (``UserError`` in a mutation's payload); everything the
caller must fix before anything can run (no token, missing scope, page too large, unknown tenant) is an
``ApiError``, a GraphQL error with a stable ``extensions.code`` and both languages. Anything else is a
bug and is masked (see :func:`is_unexpected`)."""
from __future__ import annotations

from collections.abc import Iterable

import strawberry

from graphql import GraphQLError
from tongban.configurator.items.problems import ContentInvalid, Problem
from tongban.configurator.publishing.catalogue import CatalogueError
from tongban.platform.approval.errors import ApprovalError, SubmissionInvalid
from tongban.platform.identity.common import IdentityError


class ApiError(GraphQLError):
    """An expected, explained refusal of a whole field: ``code`` is stable, the message is zh / en."""

    def __init__(self, code: str, zh: str, en: str, **extra) -> None:
        super().__init__(f"{zh} / {en}", extensions={"code": code, "messageZh": zh, "messageEn": en, **extra})
        self.code = code


def unauthenticated() -> ApiError:
    return ApiError("UNAUTHENTICATED", "请提供有效的访问令牌", "a valid access token is required")


def forbidden(zh: str = "无权访问该数据", en: str = "not permitted") -> ApiError:
    return ApiError("FORBIDDEN", zh, en)


def tenant_not_found(code: str) -> ApiError:
    return ApiError("NOT_FOUND", f"找不到地区 {code}，或您无权访问", f"no tenant {code}, or not yours")


def bad_input(zh: str, en: str, *, field: str | None = None) -> ApiError:
    extra = {"field": field} if field else {}
    return ApiError("BAD_USER_INPUT", zh, en, **extra)


def is_unexpected(error: GraphQLError) -> bool:
    """MaskErrors' predicate: hide only errors that came from an unexpected exception.

    The trap: MaskErrors' default masks *every* error, including validation errors (which have no
    original error) and our own explained refusals — callers would see "Unexpected error." for a typo.
    """
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


@strawberry.type(description="A refusal by the domain, pointed at an input field / 业务校验未通过的原因")
class UserError:
    field: str | None = strawberry.field(description="The input path the error is about, e.g. `formData.id_number`")
    code: str
    message_zh: str
    message_en: str


def user_error(code: str, zh: str, en: str, field: str | None = None) -> UserError:
    return UserError(field=field, code=code, message_zh=zh, message_en=en)


def from_problems(problems: Iterable[Problem]) -> list[UserError]:
    return [user_error(p.code, p.zh, p.en, p.path or None) for p in problems]


def from_domain(error: Exception) -> list[UserError]:
    """The payload errors of a domain refusal (the caller decides which exceptions are refusals)."""
    if isinstance(error, SubmissionInvalid):
        return [user_error(e.get("code", "invalid"), e.get("zh", ""), e.get("en", ""), e.get("path"))
                for e in error.errors]
    if isinstance(error, ApprovalError):
        return [user_error(error.code, error.zh, error.en, error.field)]
    if isinstance(error, ContentInvalid):
        return from_problems(error.problems)
    if isinstance(error, CatalogueError):
        return [user_error(error.code, error.zh, error.en)]
    if isinstance(error, IdentityError):
        return [user_error(error.code, error.zh, error.en, getattr(error, "field", None))]
    raise error


DOMAIN_REFUSALS = (ApprovalError, ContentInvalid, CatalogueError, IdentityError)


def not_found(what_zh: str, what_en: str, field: str | None = None) -> UserError:
    """The one answer for "does not exist" and "not yours"."""
    return user_error("not_found", f"找不到{what_zh}", f"no such {what_en}", field)
