"""What intake needs from the database before it can validate and number a case, read in one statement.

On PostgreSQL a submission opens with one statement, sent in the same round trip as the transaction's tenant
settings (see ``unit.CaseUnit.read_first``): the catalogue generation (whether the cached catalogue entry of the
item still stands), today's case-number counter taken (its row stays locked until commit, as before), the ids the
case and its first task will have (so both are written with the unit's batch at commit), and whether the item has
prerequisites at all (协同串: only then is the chain walked). Every value may come back empty — no counter yet
today, for one — and the caller then does what it did without the opening. SQLite reads each the usual way: its
statements cost no round trip.
"""
from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from tongban.platform.approval.numbers import case_day
from tongban.platform.approval.unit import CaseUnit


class Opening(NamedTuple):
    generation: int | None = None  # the catalogue generation
    counter: int | None = None  # today's counter of the handling tenant, already advanced by one
    case_id: int | None = None
    task_id: int | None = None  # the id the case's first task will take
    has_prerequisites: bool | None = None


_SQL = ("WITH taken AS (UPDATE case_counters SET value = value + 1 WHERE tenant_id = %(tenant)s AND day = %(day)s"
        " RETURNING value)"
        " SELECT (SELECT generation FROM catalogue_clock WHERE id = 1), (SELECT value FROM taken),"
        " nextval('cases_id_seq'), nextval('tasks_id_seq'),"
        " EXISTS (SELECT 1 FROM sharing_item_relations WHERE after_item = %(item)s)")


def read(session, handling_code: str, item_code: str, at: datetime) -> Opening:
    unit = CaseUnit.of(session)
    if not unit.postgres:
        return Opening()
    row = unit.read_first(_SQL, {"tenant": handling_code, "day": case_day(at), "item": item_code})
    unit.spare_task_ids.append(row[3])
    return Opening(*row)


__all__ = ["Opening", "read"]
