"""submitApplication retried by a program (after a timeout) with the same idempotencyKey: one case; the retry
answers with it, alreadySubmitted, and no query code (given once, the first time). The key is the caller's own."""
from graphql_support import SUBMIT, TOWNSHIP, account_subject, citizen_form, citizen_token, mint_token, post, \
    uploaded_files
from sqlalchemy import func, select

from tongban.platform.approval.models import Case
from tongban.tenants.isolation import TenantContext

RETRYABLE = SUBMIT.replace("queryCode", "queryCode alreadySubmitted")


def _submit(api, identity, token, key, item="PROMISED", form=None):
    variables = {"input": {"tenant": TOWNSHIP, "itemCode": item, "formData": form or citizen_form(identity),
                           "files": uploaded_files(api, token, item=item), "idempotencyKey": key}}
    return post(api, RETRYABLE, variables, token=token).json()["data"]["submitApplication"]


def _cases(db) -> int:
    with db.unit_of_work(TenantContext.system("t")) as s:
        return s.scalar(select(func.count()).select_from(Case))


def test_a_retry_with_the_same_key_returns_the_first_case(api, identity, published, db):
    token = citizen_token(identity)
    first = _submit(api, identity, token, "order-2026-0001")
    assert first["errors"] == [] and len(first["queryCode"]) == 6 and first["alreadySubmitted"] is False
    retry = _submit(api, identity, token, "order-2026-0001")
    assert retry["errors"] == [] and retry["alreadySubmitted"] is True and retry["queryCode"] is None
    assert retry["case"]["id"] == first["case"]["id"] and retry["case"]["number"] == first["case"]["number"]
    assert _cases(db) == 1
    other = _submit(api, identity, token, "order-2026-0002")
    assert other["alreadySubmitted"] is False and other["case"]["id"] != first["case"]["id"] and _cases(db) == 2


def test_another_persons_key_is_independent(api, identity, published, db):
    mine = _submit(api, identity, citizen_token(identity), "shared-key-1")
    agent = mint_token(identity, subject=account_subject(identity, "agent"), scope="cases:read cases:write",
                       user_type="person")
    theirs = _submit(api, identity, agent, "shared-key-1", form={"applicant_name": "李海燕",
                                                                 "id_number": "460100199001011230"})
    assert theirs["errors"] == [], theirs
    assert theirs["alreadySubmitted"] is False and theirs["case"]["id"] != mine["case"]["id"] and _cases(db) == 2


def test_a_key_reused_for_another_item_or_malformed_is_a_field_error(api, identity, published, db):
    token = citizen_token(identity)
    _submit(api, identity, token, "order-2026-0003")
    reused = _submit(api, identity, token, "order-2026-0003", item="JOINT")
    assert reused["case"] is None and [(e["field"], e["code"]) for e in reused["errors"]] == [
        ("idempotencyKey", "submission_key_reused")]
    bad = _submit(api, identity, token, "no spaces allowed")
    assert bad["case"] is None and [e["field"] for e in bad["errors"]] == ["idempotencyKey"]
    assert "8 至 64" in bad["errors"][0]["messageZh"] and _cases(db) == 1
