"""The demo catalogue's item chains: 食品经营许可 and 药品经营许可 need the business license of the 多证合一
registration, the three share the enterprise's data (开办企业); seeding twice changes nothing."""
from approval_fixtures import publish
from sharing_support import seed, system

from tongban.configurator.demo import items_market
from tongban.platform.sharing.chains import check_chain, groups_of, prerequisites
from tongban.platform.sharing.demo import seed_demo_chains


def test_the_demo_chains_need_the_business_license_and_are_seeded_once(db):
    seed(db)
    with system(db) as s:
        assert seed_demo_chains(s) == 0  # no demo catalogue, nothing to relate
    for build in (items_market.enterprise_setup, items_market.food_business_license, items_market.drug_retail_license):
        content = build()
        publish(db, content["elements"]["code"], content)
    with system(db) as s:
        assert seed_demo_chains(s) == 2
        assert seed_demo_chains(s) == 0
        (needs,) = prerequisites(s, "HN-SCJG-003")
        assert (needs.before_item, needs.requirement, needs.license_type) == ("HN-SCJG-001", "license", "business_license")
        (group,) = groups_of(s, "HN-SCJG-003")
        assert group.name_zh == "开办企业" and "enterprise.address" in group.element_codes
        chain = check_chain(s, "ent-nobody", "HN-SCJG-004")
    assert [step.zh for step in chain.path] == ["请先申请“企业设立登记（“多证合一”）”并取得营业执照"]
