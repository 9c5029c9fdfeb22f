"""The root schema: each domain's queries and mutations composed into one Query and one Mutation, with
the protections every request passes (parse/validation caches, depth/alias limits, cost, error masking)."""
from __future__ import annotations

import logging
from functools import cache

import strawberry
from strawberry.extensions import MaskErrors, ParserCache, ValidationCache
from strawberry.tools import merge_types

from tongban.graphql.appointments.mutations import AppointmentMutations
from tongban.graphql.appointments.queries import AppointmentQueries
from tongban.graphql.approval.handling import HandlingMutations
from tongban.graphql.approval.mutations import ApprovalMutations
from tongban.graphql.approval.queries import ApprovalQueries
from tongban.graphql.catalogue.mutations import CatalogueMutations
from tongban.graphql.catalogue.queries import CatalogueQueries
from tongban.graphql.core.errors import is_unexpected
from tongban.graphql.core.execution import FastExecutionContext
from tongban.graphql.core.extensions import Limits, QueryCost
from tongban.graphql.sharing.queries import SharingQueries
from tongban.graphql.supervision.mutations import SupervisionMutations
from tongban.graphql.supervision.queries import SupervisionQueries
from tongban.graphql.supervision.petitions import PetitionMutations, PetitionQueries
from tongban.graphql.supervision.rectification import RectificationMutations, RectificationQueries
from tongban.graphql.tenants.queries import TenantQueries

log = logging.getLogger("tongban.graphql")

Query = merge_types("Query", (TenantQueries, CatalogueQueries, ApprovalQueries, AppointmentQueries,
                             SharingQueries, SupervisionQueries, RectificationQueries, PetitionQueries))
Mutation = merge_types("Mutation", (ApprovalMutations, CatalogueMutations, HandlingMutations,
                                   AppointmentMutations, SupervisionMutations, RectificationMutations,
                                   PetitionMutations))


class ApiSchema(strawberry.Schema):
    def process_errors(self, errors, execution_context=None) -> None:
        """Log what will be masked (with its traceback); explained refusals are not failures."""
        for error in errors:
            if is_unexpected(error):
                log.error("graphql resolver failed", exc_info=error.original_error,
                          extra={"fields": {"path": error.path}})


def _masking() -> MaskErrors:
    return MaskErrors(should_mask_error=is_unexpected,
                      error_message="服务器内部错误，请稍后重试 / Unexpected error.")


def _parser_cache() -> ParserCache:
    return ParserCache(maxsize=512)


def _validation_cache() -> ValidationCache:
    return ValidationCache(maxsize=512)


@cache
def build_schema() -> ApiSchema:
    """Built on first use (not at import): extensions are classes or factories, one instance per request."""
    return ApiSchema(query=Query, mutation=Mutation,
                     extensions=[_parser_cache, Limits, _validation_cache, QueryCost, _masking],
                     execution_context_class=FastExecutionContext)
