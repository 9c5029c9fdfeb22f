"""The configuration rules without the web: only province admins change it, versions are numbered and
superseded, a draft is not in force, and a regional assessment past its validity stands for nothing."""
from datetime import date

import pytest

from construction_support import HAIKOU, HAIKOU_PATH, PARK
from tongban.platform.approval.actors import Actor, RoleGrant
from tongban.platform.construction import configuration as conf, regional
from tongban.platform.construction.errors import Forbidden, Invalid
from tongban.platform.construction.models import NegativeListVersion
from tongban.platform.audit import ConfigChange
from tongban.tenants.isolation import TenantContext
from tongban.tenants.models import Tenant

ADMIN = conf.Editor("陈省管", lambda permission, path: path.startswith("/46/"))
CITY_ADMIN = Actor("staff:hk", "吴海管", "staff", grants=(RoleGrant("tenant_admin", HAIKOU, HAIKOU_PATH),))


def _unit(db, code="46"):
    with db.unit_of_work(TenantContext.system("test")) as s:
        tenant = s.get(Tenant, code)
    return tenant, db.unit_of_work(TenantContext.of(tenant))


def test_only_a_province_admin_changes_the_configuration(db, service):
    tenant, unit = _unit(db)
    editor = conf.Editor("吴海管", CITY_ADMIN.may)
    with unit as s, pytest.raises(Forbidden):
        conf.update_template(s, editor, tenant, conf.TemplateChange("land", "供地", "Land", "natural_resources", 5,
                                                                     ["HN-GC-005"], [], ["social"]))
    with _unit(db)[1] as s, pytest.raises(Forbidden):
        conf.save_entry(s, editor, tenant, conf.EntryChange("HN-J-010", "prohibited", "tourism", "x"))
    with _unit(db)[1] as s:
        assert s.query(ConfigChange).filter(ConfigChange.entity.in_(conf.ENTITIES)).count() == 0 and s.query(NegativeListVersion).count() == 0


def test_versions_are_numbered_and_the_previous_one_superseded(db, service):
    tenant, unit = _unit(db)
    with unit as s, pytest.raises(Invalid) as nothing:
        conf.publish_negative_list(s, ADMIN)
    assert nothing.value.errors[0]["path"] == "draft"
    for number, code in ((1, "HN-J-010"), (2, "HN-J-011")):
        with _unit(db)[1] as s:
            conf.save_entry(s, ADMIN, tenant, conf.EntryChange(code, "prohibited", "tourism", f"条目 {code}"))
            assert code not in {e.code for e in service.negative_list()}  # a draft is not in force
            assert conf.publish_negative_list(s, ADMIN, note=f"v{number}").version_no == number
    with _unit(db)[1] as s:
        assert [(v.version_no, v.state) for v in conf.versions(s)] == [(2, "published"), (1, "superseded")]
        assert conf.negative_list_state(s).draft is None
    assert {"HN-J-010", "HN-J-011"} <= {e.code for e in service.negative_list()}


def test_a_regional_assessment_past_its_validity_stands_for_nothing(db, service):
    province, _ = _unit(db)
    below = {HAIKOU: "海口市"}
    with db.unit_of_work(TenantContext.subtree_of(province, reason="test")) as s:
        conf.save_assessment(s, ADMIN, province, conf.AssessmentChange(
            HAIKOU, PARK, "flood", "洪水影响区域评估", ["flood_report"], "2024-06-30", "2026-06-30"), below)
    with _unit(db, HAIKOU)[1] as s:
        assert [a.kind for a in regional.in_area(s, HAIKOU, PARK, date(2026, 6, 30))] == ["flood"]
        assert regional.in_area(s, HAIKOU, PARK, date(2026, 7, 1)) == []
