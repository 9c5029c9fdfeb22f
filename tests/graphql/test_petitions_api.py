"""咨询投诉 over the API, as a mini-program or a 12345 hotline system uses it: the applicant asks (about one of their
own cases if they like) and reads their own; a window clerk of the tenant lists and answers them and the asker is
told; problems come back at their fields, other tenants' petitions read as none."""
from approval_fixtures import application, citizen, service
from graphql_support import account_subject, citizen_token, data_of, post, staff_token
from sqlalchemy import select

from tongban.platform.approval.actors import Actor
from tongban.platform.notify.outbox import OutboxMessage
from tongban.tenants.isolation import TenantContext

SCOPE = "openid cases:read cases:write"
STAFF_SCOPE = "supervision:read supervision:write"
ASK = """mutation($input: AskPetitionInput!) { askPetition(input: $input) {
  petition { id kind department departmentName caseNumber question dueAt late } errors { field code messageZh messageEn } } }"""
MINE = "query($t: String) { myPetitions(tenant: $t) { id question answer answeredAt caseNumber } }"
LIST = "query($t: String) { petitions(tenant: $t, unansweredOnly: true) { id question caseNumber department } }"
ANSWER = """mutation($input: AnswerPetitionInput!) { answerPetition(input: $input) {
  petition { id answer answeredAt late } errors { field code messageZh } } }"""


def ask(api, token, **values):
    return data_of(post(api, ASK, {"input": {"tenant": "4601", "kind": "COMPLAINT"} | values}, token=token))["askPetition"]


def test_asked_about_a_case_listed_for_the_clerk_answered_and_the_asker_told(api, identity, db, settings, published):
    token = citizen_token(identity, scope=SCOPE)
    me = Actor(account_subject(identity, "citizen"), "王小明", "applicant")
    case = service(db, settings).submit("4601", "4601", me, application(applicant=me))
    someone = citizen("李四", "person:2")
    theirs = service(db, settings).submit("4601", "4601", someone, application(applicant=someone))

    for values, field in (({"question": " "}, "question"), ({"question": "太" * 2001}, "question"),
                          ({"question": "排队", "department": "不存在的部门"}, "department"),
                          ({"question": "排队", "caseNumber": theirs["number"]}, "caseNumber")):
        refused = ask(api, token, **values)
        assert refused["petition"] is None and [e["field"] for e in refused["errors"]] == [field]
        assert refused["errors"][0]["messageZh"] and refused["errors"][0]["messageEn"]
    assert data_of(post(api, MINE, {"t": "4601"}, token=token))["myPetitions"] == []  # nothing was asked

    asked = ask(api, token, question="一直没有受理", caseNumber=case["number"].replace("-", " "))
    assert asked["errors"] == [] and asked["petition"]["caseNumber"] == case["number"]
    assert (asked["petition"]["department"], asked["petition"]["departmentName"]) == ("market_regulation", "市场监督管理局")
    assert not asked["petition"]["late"]

    sanya = staff_token(identity, ("window_clerk", "4602", False), subject="sanya-clerk", scope=STAFF_SCOPE)
    clerk = staff_token(identity, ("window_clerk", "4601", False), subject="haikou-clerk", scope=STAFF_SCOPE)
    listed = data_of(post(api, LIST, {"t": "4601"}, token=clerk))["petitions"]
    assert [(p["question"], p["caseNumber"]) for p in listed] == [("一直没有受理", case["number"])]
    elsewhere = post(api, LIST, {"t": "4601"}, token=sanya).json()
    assert elsewhere["errors"][0]["extensions"]["code"] == "NOT_FOUND"  # not 三亚's clerk's to read

    petition_id = asked["petition"]["id"]
    stranger = data_of(post(api, ANSWER, {"input": {"tenant": "4602", "petitionId": petition_id, "answer": "已处理"}},
                            token=sanya))["answerPetition"]
    assert [e["code"] for e in stranger["errors"]] == ["not_found"]
    empty = data_of(post(api, ANSWER, {"input": {"tenant": "4601", "petitionId": petition_id, "answer": " "}},
                         token=clerk))["answerPetition"]
    assert [e["field"] for e in empty["errors"]] == ["answer"]
    answered = data_of(post(api, ANSWER, {"input": {"tenant": "4601", "petitionId": petition_id,
                                                    "answer": "已受理，请查收短信"}}, token=clerk))["answerPetition"]
    assert answered["errors"] == [] and answered["petition"]["answer"] == "已受理，请查收短信"
    (mine,) = data_of(post(api, MINE, {"t": "4601"}, token=token))["myPetitions"]
    assert mine["answer"] == "已受理，请查收短信" and mine["answeredAt"]
    with db.unit_of_work(TenantContext.system("read outbox")) as s:
        told = sorted(m.channel for m in s.scalars(select(OutboxMessage).where(
            OutboxMessage.topic == "petition_answered")))
    assert told == ["email", "sms"]  # the demo citizen's account has both


def test_staff_do_not_ask_and_applicants_do_not_answer(api, identity, db, published):
    clerk = staff_token(identity, ("window_clerk", "4601", False), subject="haikou-clerk",
                        scope="cases:write supervision:write")
    refused = data_of(post(api, ASK, {"input": {"tenant": "4601", "kind": "CONSULTATION", "question": "几点上班"}},
                           token=clerk))["askPetition"]
    assert [e["code"] for e in refused["errors"]] == ["applicants_only"]
    answer = post(api, ANSWER, {"input": {"tenant": "4601", "petitionId": "1", "answer": "x"}},
                  token=citizen_token(identity, scope="openid supervision:write")).json()
    assert answer["errors"][0]["extensions"]["code"] == "FORBIDDEN", answer
