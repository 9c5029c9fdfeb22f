"""Catalogue items the five stages bundle that the demo catalogue does not have yet (demo codes HN-GC-*).

Built with the configurator's demo builders and published to the province like every demo item; the
planning permit (HN-ZR-001), the construction permit (HN-ZJ-001) and the EIA approval (HN-ST-001) come
from the building demo items.
"""
from __future__ import annotations

from tongban.configurator.demo.builders import enterprise_fields, field, form, item, material, promised
from tongban.configurator.demo.items_building import _project_fields

PLANNING = ["province", "city_county"]


def _company_fields() -> list[dict]:
    """The applicant with other field names than ``enterprise_fields``: the data dictionary still knows them."""
    return [field("company_name", "text", "建设单位名称", "Developer", required=True, prefill="identity.name",
                  max_length=100),
            field("enterprise_uscc", "uscc", "建设单位统一社会信用代码", "Developer's USCC", required=True,
                  prefill="identity.uscc"),
            field("contact_phone", "phone", "联系电话", "Contact phone", required=True)]


def _item(code, name, department_zh, department, legal, promised_days, materials, *, extra_fields=(),
          company=False, basis="", kind="administrative_license") -> dict:
    applicant = _company_fields() if company else enterprise_fields()
    fields = [*applicant, *_project_fields(), *extra_fields]
    return item(code, name, kind=kind, department=department_zh, case_type="promised", levels=PLANNING,
                audience=["enterprise"], legal=legal, promised_days=promised_days,
                legal_basis=basis or "《海南省工程建设项目审批制度改革实施方案》", conditions="工程建设项目按阶段并联审批。",
                form=form(code.lower().replace("-", "_"), name, name, fields), materials=materials,
                flow=promised(name, name, review=promised_days - 1, decide=1, department=department, accept_days=0),
                life_events=["建设工程"], themes=["法人:085"])


def _m(mid, name, **kw) -> dict:
    return material(mid, name, formats=("pdf",), size=50, **kw)


def items() -> list[dict]:
    land_use = field("land_use", "select", "用地性质", "Land use", required=True, options=[
        {"value": "industrial", "label": {"zh": "工业用地", "en": "Industrial"}},
        {"value": "commercial", "label": {"zh": "商服用地", "en": "Commercial"}},
        {"value": "science", "label": {"zh": "科研用地", "en": "Science and research"}}])
    return [
        _item("HN-GC-001", "企业投资项目备案", "发展和改革委员会", "development_reform", 7, 2,
              [_m("proposal", "项目基本情况说明（含建设内容、规模）")], kind="other_power",
              basis="《企业投资项目核准和备案管理条例》第十三条"),
        _item("HN-GC-002", "建设项目用地预审与选址意见书核发", "自然资源和规划局", "natural_resources", 20, 7,
              [_m("approval_doc", "项目批准、核准或者备案文件", rongque_days=10),
               _m("siting_report", "建设项目规划选址论证报告")], extra_fields=[land_use], company=True,
              basis="《中华人民共和国土地管理法》第五十二条；《中华人民共和国城乡规划法》第三十六条"),
        _item("HN-GC-003", "固定资产投资项目节能审查", "发展和改革委员会", "development_reform", 20, 5,
              [_m("energy_report", "节能报告"), _m("approval_doc", "项目批准、核准或者备案文件", rongque_days=10)],
              basis="《固定资产投资项目节能审查办法》"),
        _item("HN-GC-004", "洪水影响评价审批", "水务局", "water_affairs", 20, 8,
              [_m("flood_report", "洪水影响评价报告")], basis="《中华人民共和国防洪法》第二十七条"),
        _item("HN-GC-005", "国有建设用地使用权出让合同签订", "自然资源和规划局", "natural_resources", 20, 5,
              [_m("deal_confirmation", "成交确认书"), _m("land_price_receipt", "土地出让金缴纳凭证", rongque_days=10)],
              extra_fields=[land_use], basis="《中华人民共和国城市房地产管理法》第十五条"),
        _item("HN-GC-006", "建设用地规划许可证核发", "自然资源和规划局", "natural_resources", 20, 5,
              [_m("land_contract", "国有建设用地使用权出让合同")], basis="《中华人民共和国城乡规划法》第三十八条"),
        _item("HN-GC-007", "生产建设项目水土保持方案审批", "水务局", "water_affairs", 20, 8,
              [_m("soil_water_plan", "水土保持方案报告书")], basis="《中华人民共和国水土保持法》第二十五条"),
        _item("HN-GC-008", "建设工程消防设计审查", "住房和城乡建设局", "housing_construction", 15, 8,
              [_m("fire_design", "消防设计文件")], basis="《建设工程消防设计审查验收管理暂行规定》"),
        _item("HN-GC-009", "建设项目安全设施设计审查", "应急管理局", "emergency_management", 20, 8,
              [_m("safety_design", "安全设施设计专篇"), _m("seismic_report", "地震安全性评价报告")],
              basis="《建设项目安全设施“三同时”监督管理办法》"),
        _item("HN-GC-010", "建设工程质量安全监督登记", "住房和城乡建设局", "housing_construction", 5, 2,
              [_m("supervision_plan", "工程质量安全监督申报表")], kind="other_power",
              basis="《建设工程质量管理条例》第十三条"),
        _item("HN-GC-011", "城镇污水排入排水管网许可", "水务局", "water_affairs", 20, 5,
              [_m("drainage_plan", "排水设施设计方案")], basis="《城镇排水与污水处理条例》第二十一条"),
        _item("HN-GC-012", "建设工程规划条件核实", "自然资源和规划局", "natural_resources", 15, 5,
              [_m("survey_report", "竣工规划测量成果报告")], basis="《中华人民共和国城乡规划法》第四十五条"),
        _item("HN-GC-013", "建设工程消防验收", "住房和城乡建设局", "housing_construction", 15, 5,
              [_m("fire_test", "消防设施检测报告")], basis="《建设工程消防设计审查验收管理暂行规定》"),
        _item("HN-GC-014", "建设项目竣工环境保护验收备案", "生态环境局", "ecology_environment", 20, 5,
              [_m("env_acceptance", "竣工环境保护验收报告")], basis="《建设项目环境保护管理条例》第十七条"),
        _item("HN-GC-015", "房屋建筑工程竣工验收备案", "住房和城乡建设局", "housing_construction", 15, 3,
              [_m("acceptance_report", "工程竣工验收报告")], basis="《房屋建筑和市政基础设施工程竣工验收备案管理办法》"),
        _item("HN-GC-016", "限制类投资项目核准", "发展和改革委员会", "development_reform", 20, 10,
              [_m("application_report", "项目申请报告")], basis="《企业投资项目核准和备案管理条例》第六条"),
    ]
