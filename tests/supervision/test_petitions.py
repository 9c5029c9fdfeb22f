"""Consultations and complaints: warned 2 working days before the answer is due, yellow 1 day after,
red 2 days after; an answer takes the timers down."""
from datetime import timedelta

from approval_fixtures import staff
from supervision_helpers import alerts, bj, tick

from tongban.platform.supervision import petitions

US = timedelta(microseconds=1)


def rules_for(db, petition_id):
    return sorted(a.rule_code for a in alerts(db) if a.petition_id == petition_id)


def test_an_unanswered_complaint_is_warned_then_carded_across_the_holiday(db):
    asked = petitions.ask(db, "4601", kind="consultation", asker_subject="person:1", question="个体户登记要带什么？",
                          department="市场监督管理局", now=bj(2026, 2, 10))
    # 5 working days: 11, 12, 13, 14 (Sat, worked), 24 February → due 25 February 00:00
    assert asked["due_at"] == bj(2026, 2, 25, 0)
    moments = {"petition_warning": bj(2026, 2, 14, 0),  # 3 used: end of Friday 13 February
               "petition_yellow": bj(2026, 2, 26, 0),   # 6 used: end of 25 February
               "petition_red": bj(2026, 2, 27, 0)}      # 7 used: end of 26 February
    for rule, at in moments.items():
        tick(db, at - US)
        assert rule not in rules_for(db, asked["id"])
        tick(db, at)
        assert rule in rules_for(db, asked["id"])
    red = next(a for a in alerts(db) if a.rule_code == "petition_red")
    assert (red.state, red.department, red.level) == ("pending", "market_regulation", "city_county")


def test_an_answer_in_time_raises_nothing(db):
    asked = petitions.ask(db, "460105100", kind="complaint", asker_subject="person:1", question="窗口无人",
                          now=bj(2026, 3, 2))
    petitions.answer(db, staff("t-clerk", "460105100", "window_clerk"), "460105100", asked["id"],
                     text="已核实并整改", now=bj(2026, 3, 5))
    tick(db, bj(2026, 6, 1))
    assert rules_for(db, asked["id"]) == []
    assert petitions.petitions_of(db, "460105100", unanswered=True) == []


def test_a_petition_goes_to_its_department_and_what_does_not_do_is_refused_at_its_field(db):
    import pytest

    from tongban.platform.supervision.errors import SupervisionError

    for question, department, field in (("太" * 2001, "", "question"), ("问题", "不存在的部门", "department")):
        with pytest.raises(SupervisionError) as refused:
            petitions.ask(db, "4601", kind="complaint", asker_subject="person:1", question=question,
                          department=department, known_departments={"长流镇综治办"})
        assert refused.value.field == field and refused.value.zh and refused.value.en
    market = petitions.ask(db, "4601", kind="complaint", asker_subject="person:1", question="排队太久",
                           department="海口市市场监督管理局", now=bj(2026, 3, 2))
    local = petitions.ask(db, "4601", kind="consultation", asker_subject="person:1", question="综治办几点上班",
                          department="长流镇综治办", known_departments={"长流镇综治办"}, now=bj(2026, 3, 2))
    anyone = petitions.ask(db, "4601", kind="consultation", asker_subject="person:1", question="在哪里办",
                           now=bj(2026, 3, 2))
    assert (market["department"], local["department"], anyone["department"]) == ("market_regulation", "长流镇综治办", "")
    seen = {p["id"] for p in petitions.petitions_of(db, "4601", unanswered=True, department="市场监督管理局")}
    assert seen == {market["id"], anyone["id"]}  # its own, and those addressed to no department
    civil = {p["id"] for p in petitions.petitions_of(db, "4601", unanswered=True, department="civil_affairs")}
    assert civil == {anyone["id"]}
    with pytest.raises(SupervisionError) as long_answer:
        petitions.answer(db, staff("c", "4601", "window_clerk"), "4601", anyone["id"], text="答" * 2001)
    assert long_answer.value.field == "answer"
    assert petitions.answer(db, staff("c", "4601", "window_clerk"), "4601", anyone["id"], text="政务服务中心一楼")["answer"]


def test_the_asker_is_told_an_answer_is_there_and_nobody_for_a_refused_answer(db):
    import pytest
    from sqlalchemy import select

    from tongban.platform.identity import accounts
    from tongban.platform.identity.passwords import Passwords, fast_hasher
    from tongban.platform.identity.seed import demo_resident_id
    from tongban.platform.notify.outbox import OutboxMessage
    from tongban.platform.supervision.errors import SupervisionError
    from tongban.tenants.isolation import TenantContext

    with db.unit_of_work(TenantContext.system("register")) as session:
        asker = accounts.register_person(session, Passwords(fast_hasher()), username="wang", password="Tongban@2026",
                                         name="王小明", id_number=demo_resident_id("460100", "19900307", "005"),
                                         contact=accounts.Contact("wang@example.cn", "13800000009"))
        subject = asker.subject
    asked = petitions.ask(db, "4601", kind="complaint", asker_subject=subject, question="窗口排队太久",
                          now=bj(2026, 3, 2, 9))
    clerk = staff("t-clerk", "4601", "window_clerk")

    def told():
        with db.unit_of_work(TenantContext.system("read")) as session:
            return [(m.channel, m.recipient, m.body) for m in session.scalars(
                select(OutboxMessage).where(OutboxMessage.topic == "petition_answered").order_by(OutboxMessage.id))]

    with pytest.raises(SupervisionError):
        petitions.answer(db, clerk, "4601", asked["id"], text="   ")
    assert told() == []
    petitions.answer(db, clerk, "4601", asked["id"], text="已增开两个窗口", now=bj(2026, 3, 3))
    (sms, email) = told()
    assert sms[:2] == ("sms", "13800000009") and "2026年03月02日" in sms[2] and "海口市" in sms[2]
    assert "投诉已答复" in sms[2] and "已增开两个窗口" not in sms[2]  # the answer is read signed in
    assert email[:2] == ("email", "wang@example.cn") and "has been answered" in email[2]
