"""Demo items for land, building, environment and transport (自然资源和规划, 住房和城乡建设, 生态环境,
交通运输). Codes are demo codes; limits follow the cited rules or typical Hainan promises."""
from __future__ import annotations

from tongban.configurator.demo.builders import (
    LOCAL_CENTRE,
    PROVINCE_CENTRE,
    TOWNSHIP_CENTRE,
    address_fields,
    business_license,
    certificate,
    enterprise_fields,
    fee,
    field,
    form,
    id_card,
    immediate,
    item,
    material,
    node,
    option,
    parallel,
    person_fields,
    promise_checkbox,
    promised,
    reported_up_with_license,
    rule,
)

LAND, HOUSING, ECOLOGY, TRANSPORT, TAX = ("natural_resources", "housing_construction", "ecology_environment",
                                         "transport", "taxation")
PLANNING_LEVELS = ["province", "city_county"]
REGISTRATION_FEE_BASIS = "《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》（发改价格规〔2016〕2559号）"


def _project_fields(*, investment: bool = True) -> list[dict]:
    fields = [
        field("project_name", "text", "项目名称", "Project name", required=True, max_length=200),
        field("project_code", "text", "投资项目代码", "Investment project code", required=True,
              pattern="^[0-9]{4}-[0-9]{6}-[0-9]{2}-[0-9]{2}-[0-9]{6}$",
              pattern_message={"zh": "格式如 2024-460105-47-01-000123", "en": "e.g. 2024-460105-47-01-000123"}),
        *address_fields("site", "建设地点", "Site"),
        field("floor_area", "number", "总建筑面积（平方米）", "Floor area (m²)", required=True, decimals=2, min=0),
    ]
    if investment:
        fields.append(field("investment", "money", "总投资（万元）", "Investment (10k CNY)", required=True, min=0))
    return fields


def planning_permit() -> dict:
    fields = [*enterprise_fields(), *_project_fields(),
              field("building_height", "number", "建筑高度（米）", "Height (m)", required=True, decimals=2, min=0),
              field("use", "select", "建筑性质", "Use", required=True, options=[
                  option("residential", "居住", "Residential"), option("commercial", "商业", "Commercial"),
                  option("industrial", "工业", "Industrial"), option("public", "公共服务设施", "Public facility")])]
    return item(
        "HN-ZR-001", "建设工程规划许可证核发", kind="administrative_license", department="自然资源和规划局",
        case_type="promised", levels=PLANNING_LEVELS, audience=["enterprise"], legal=20, promised_days=10,
        location=f"{PROVINCE_CENTRE}、{LOCAL_CENTRE}自然资源和规划窗口",
        legal_basis="《中华人民共和国城乡规划法》第四十条；《中华人民共和国行政许可法》第四十二条",
        conditions="在城市、镇规划区内进行建筑物、构筑物、道路、管线和其他工程建设，已取得土地使用权，"
                   "建设工程设计方案符合控制性详细规划和规划条件。",
        form=form("planning_permit", "建设工程规划许可证", "Construction project planning permit", fields),
        materials=[
            material("application", "建设工程规划许可证申请表", template="建设工程规划许可证申请表.docx",
                     formats=("pdf", "doc", "docx")),
            material("land", "不动产权证书或者土地使用权证明", license="real_estate_certificate"),
            material("project_approval", "项目批准、核准或者备案文件", rongque_days=15),
            material("design", "建设工程设计方案（含总平面图）", formats=("pdf", "zip"), size=50),
        ],
        flow=promised("建设工程规划许可证核发", "Planning permit", review=4, decide=3, department=LAND,
                      license=("planning_permit", "核发建设工程规划许可证", "Issue the permit")),
        life_events=["建设工程"], themes=["法人:085", "法人:040"])


def property_transfer() -> dict:
    party = [field("party_name", "text", "姓名（名称）", "Name", required=True),
             field("party_kind", "radio", "类型", "Kind", required=True, options=[
                 option("person", "个人", "Person"), option("enterprise", "单位", "Enterprise")]),
             field("party_id", "resident_id", "公民身份号码", "ID number", show_if="row.party_kind == 'person'",
                   required_if="row.party_kind == 'person'"),
             field("party_uscc", "uscc", "统一社会信用代码", "USCC", show_if="row.party_kind == 'enterprise'",
                   required_if="row.party_kind == 'enterprise'"),
             field("share", "number", "份额（%）", "Share (%)", decimals=2, min=0, max=100)]
    fields = [
        *person_fields(with_address=False),
        field("unit_no", "text", "不动产单元号", "Property unit number", required=True, pattern="^[0-9A-Z]{28}$"),
        *address_fields("property", "坐落", "Location"),
        field("property_use", "radio", "房屋用途", "Use", required=True, options=[
            option("residential", "住宅", "Residential"), option("other", "非住宅", "Non-residential")]),
        field("price", "money", "成交价格（元）", "Price (CNY)", required=True, min=0),
        field("sellers", "group", "转让方", "Sellers", required=True, max_rows=10, fields=party),
        field("buyers", "group", "受让方", "Buyers", required=True, max_rows=10, fields=party),
        field("buyer_married", "checkbox", "受让方已婚", "Buyer is married", default=False),
        promise_checkbox(),
    ]
    flow = parallel("不动产转移登记（一窗受理）", "Property transfer (one window)", [
        ("registration", "登记审核", "Registration review", LAND, 3),
        ("tax", "税费核定征收", "Tax assessment", TAX, 1),
    ], tail=[node("fee", "pay_fee", "缴纳登记费", "Pay registration fee", 1, role="cashier"),
             certificate("real_estate_certificate", "登簿发证", "Register and issue", 1, LAND)])
    return item(
        "HN-ZR-002", "不动产转移登记（房屋所有权）", kind="administrative_confirmation",
        department="自然资源和规划局", case_type="joint", levels=["city_county", "district"],
        audience=["individual", "enterprise"], legal=30, promised_days=5,
        location=f"{LOCAL_CENTRE}不动产登记“一窗受理”窗口",
        legal_basis="《中华人民共和国民法典》第二百零九条至第二百一十四条；《不动产登记暂行条例》第二十条",
        conditions="已签订买卖合同、依法缴纳相关税费的房屋所有权转移。",
        form=form("property_transfer", "不动产转移登记", "Property transfer", fields),
        materials=[
            material("application", "不动产登记申请书", template="不动产登记申请书.docx", formats=("pdf", "doc", "docx")),
            material("certificate", "不动产权证书", license="real_estate_certificate"),
            id_card("parties_id", "买卖双方身份证明"),
            material("contract", "房屋买卖合同", formats=("pdf",), size=20),
            material("marriage", "受让方婚姻状况证明", required_if="form.buyer_married",
                     license="marriage_certificate"),
        ],
        flow=flow,
        fees=[fee("residential", "住宅类不动产登记费", "80.00", REGISTRATION_FEE_BASIS),
              fee("non_residential", "非住宅类不动产登记费", "550.00", REGISTRATION_FEE_BASIS),
              fee("extra_certificate", "不动产权属证书工本费（每增加一本）", "10.00", REGISTRATION_FEE_BASIS)],
        life_events=["住房"], themes=["自然人:075", "法人:085"])


def rural_planning_permit() -> dict:
    fields = [*person_fields(),
              field("village", "division", "所在村（社区）", "Village", required=True, within="46"),
              field("homestead_area", "number", "宅基地面积（平方米）", "Homestead area (m²)", required=True,
                    decimals=2, min=0),
              field("floors", "number", "建设层数", "Storeys", required=True, min=1, max=3),
              field("floor_area", "number", "建筑面积（平方米）", "Floor area (m²)", required=True, decimals=2, min=0)]
    return item(
        "HN-ZR-003", "乡村建设规划许可证核发", kind="administrative_license", department="自然资源和规划局",
        case_type="report_up", levels=["city_county", "township"], audience=["individual"], legal=20,
        promised_days=15, location=f"{TOWNSHIP_CENTRE}（受理）",
        legal_basis="《中华人民共和国城乡规划法》第四十一条",
        conditions="在乡、村庄规划区内进行农村村民住宅建设，符合乡、村庄规划和“一户一宅”规定。",
        form=form("rural_planning_permit", "乡村建设规划许可", "Rural planning permit", fields),
        materials=[id_card(), material("homestead", "农村宅基地批准书或宅基地使用权证明", license="homestead_approval"),
                   material("drawings", "住宅设计图或者通用图", formats=("pdf", "jpg"), size=20)],
        flow=reported_up_with_license("乡村建设规划许可证核发", "Rural planning permit", survey=5, decide=6,
                                      department=LAND, certificate_days=2,
                                      license=("rural_construction_planning_permit", "核发乡村建设规划许可证",
                                               "Issue the rural planning permit")),
        life_events=["建设工程", "住房"], themes=["自然人:070"])


def construction_permit() -> dict:
    fields = [*enterprise_fields(), *_project_fields(),
              field("contractor", "text", "施工单位", "Contractor", required=True),
              field("contractor_uscc", "uscc", "施工单位统一社会信用代码", "Contractor's USCC", required=True),
              field("contract_price", "money", "合同价格（万元）", "Contract price (10k CNY)", required=True, min=0),
              field("start", "date", "计划开工日期", "Planned start", required=True),
              field("finish", "date", "计划竣工日期", "Planned completion", required=True)]
    return item(
        "HN-ZJ-001", "建筑工程施工许可证核发", kind="administrative_license", department="住房和城乡建设局",
        case_type="promised", levels=PLANNING_LEVELS, audience=["enterprise"], legal=7, promised_days=3,
        location=f"{LOCAL_CENTRE}住房城乡建设窗口",
        legal_basis="《中华人民共和国建筑法》第七条、第八条；《建筑工程施工许可管理办法》",
        conditions="已办理用地批准手续；已取得建设工程规划许可证；施工场地已基本具备施工条件；"
                   "已确定施工企业；有满足施工需要的施工图纸及技术资料；有保证工程质量和安全的具体措施。",
        form=form("construction_permit", "建筑工程施工许可", "Construction permit", fields,
                  [rule("finish_after_start", "finish >= start", "finish", "竣工日期不能早于开工日期",
                        "Completion cannot come before the start")]),
        materials=[
            material("application", "建筑工程施工许可申请表", template="建筑工程施工许可申请表.docx",
                     formats=("pdf", "doc", "docx")),
            material("planning", "建设工程规划许可证", license="planning_permit"),
            material("contract", "中标通知书及施工合同", formats=("pdf",), size=20),
            material("drawings", "施工图设计文件审查合格书", rongque_days=30),
            material("funding", "建设资金已落实承诺书", template="建设资金已落实承诺书.docx"),
        ],
        flow=promised("建筑工程施工许可证核发", "Construction permit", review=1, decide=1, department=HOUSING,
                      certificate_days=0,
                      license=("construction_permit", "核发施工许可证", "Issue the construction permit")),
        life_events=["建设工程"], themes=["法人:085"])


def presale_permit() -> dict:
    fields = [*enterprise_fields(), *_project_fields(investment=False),
              field("buildings", "text", "预售楼栋", "Buildings for presale", required=True),
              field("presale_area", "number", "预售面积（平方米）", "Presale area (m²)", required=True, decimals=2,
                    min=0),
              field("escrow_account", "text", "预售资金监管账户", "Escrow account", required=True,
                    pattern="^[0-9]{12,25}$")]
    return item(
        "HN-ZJ-002", "商品房预售许可", kind="administrative_license", department="住房和城乡建设局",
        case_type="promised", levels=["city_county"], audience=["enterprise"], legal=10, promised_days=5,
        legal_basis="《中华人民共和国城市房地产管理法》第四十五条；《城市商品房预售管理办法》",
        conditions="已交付全部土地使用权出让金并取得土地使用权证书；持有建设工程规划许可证；"
                   "投入开发建设的资金达到工程建设总投资的百分之二十五以上，并已确定施工进度和竣工交付日期。",
        form=form("presale_permit", "商品房预售许可", "Presale permit", fields,
                  [rule("presale_within_floor_area", "presale_area <= floor_area", "presale_area",
                        "预售面积不能大于总建筑面积", "The presale area cannot exceed the floor area")]),
        materials=[business_license(), material("land", "不动产权证书（土地）", license="real_estate_certificate"),
                   material("planning", "建设工程规划许可证", license="planning_permit"),
                   material("progress", "工程施工进度和投资证明", formats=("pdf",), size=20)],
        flow=promised("商品房预售许可", "Presale permit", review=2, decide=1, department=HOUSING,
                      license=("presale_permit", "核发商品房预售许可证", "Issue the presale permit")),
        life_events=["建设工程"], themes=["法人:085"])


def eia_approval() -> dict:
    fields = [*enterprise_fields(), *_project_fields(),
              field("category", "select", "行业类别", "Industry", required=True, options=[
                  option("manufacturing", "制造业", "Manufacturing"),
                  option("infrastructure", "基础设施", "Infrastructure"),
                  option("tourism", "旅游和社会事业", "Tourism and social"),
                  option("agriculture", "农林牧渔", "Agriculture")]),
              field("env_investment", "money", "环保投资（万元）", "Environmental investment (10k CNY)",
                    required=True, min=0)]
    return item(
        "HN-ST-001", "建设项目环境影响报告表审批", kind="administrative_license", department="生态环境局",
        case_type="promised", levels=PLANNING_LEVELS, audience=["enterprise"], legal=30, promised_days=15,
        legal_basis="《中华人民共和国环境影响评价法》第二十二条；《建设项目环境保护管理条例》",
        conditions="依法应当编制环境影响报告表的建设项目，报告表由建设单位自行或委托技术单位编制。",
        form=form("eia_approval", "环境影响报告表审批", "EIA report approval", fields,
                  [rule("env_within_total", "env_investment <= investment", "env_investment",
                        "环保投资不能大于总投资", "The environmental investment cannot exceed the total")]),
        materials=[material("request", "建设项目环境影响报告表审批申请函", template="环境影响报告表审批申请函.docx"),
                   material("report", "建设项目环境影响报告表（全本）", formats=("pdf",), size=50)],
        flow=promised("建设项目环境影响报告表审批", "EIA report approval", review=5, decide=3, department=ECOLOGY,
                      license=("eia_approval", "出具审批意见", "Issue the approval"),
                      extra=[node("publicity", "review", "受理及拟审批公示", "Public notice", 5, role="reviewer",
                                  department=ECOLOGY)]),
        life_events=["建设工程"], themes=["法人:095", "法人:040"])


def discharge_permit() -> dict:
    fields = [*enterprise_fields(), *address_fields("site", "生产经营场所", "Site"),
              field("management", "radio", "管理类别", "Management class", required=True, options=[
                  option("simplified", "简化管理", "Simplified"), option("key", "重点管理", "Key")])]
    return item(
        "HN-ST-002", "排污许可证核发", kind="administrative_license", department="生态环境局",
        case_type="promised", levels=PLANNING_LEVELS, audience=["enterprise"], legal=20, promised_days=10,
        legal_basis="《排污许可管理条例》（国务院令第736号）",
        conditions="纳入固定污染源排污许可分类管理名录、实行排污许可重点管理或者简化管理的排污单位。",
        form=form("discharge_permit", "排污许可证", "Pollutant discharge permit", fields),
        materials=[material("application", "排污许可证申请表", template="排污许可证申请表.docx",
                            formats=("pdf", "doc", "docx")),
                   material("promise", "守法承诺书", template="排污单位守法承诺书.docx"),
                   material("eia", "环境影响评价审批文件", license="eia_approval")],
        flow=promised("排污许可证核发", "Pollutant discharge permit", review=4, decide=3, department=ECOLOGY,
                      license=("pollutant_discharge_permit", "核发排污许可证", "Issue the permit")),
        life_events=["开办企业"], themes=["法人:095"])


def freight_license() -> dict:
    fields = [*enterprise_fields(),
              field("business_types", "multi_select", "经营范围", "Business types", required=True, options=[
                  option("general", "道路普通货物运输", "General freight"),
                  option("special", "货物专用运输", "Special freight"),
                  option("oversize", "大型物件运输", "Oversize freight")]),
              field("vehicles", "group", "拟投入车辆", "Vehicles", required=True, max_rows=200, fields=[
                  field("plate", "text", "号牌号码", "Plate", required=True,
                        pattern="^琼[A-HJ-NP-Z][0-9A-Z]{5,6}$"),
                  field("tonnage", "number", "核定载质量（吨）", "Load (t)", required=True, decimals=2, min=0)]),
              field("drivers", "number", "驾驶人员数量", "Drivers", required=True, min=1)]
    return item(
        "HN-JT-001", "道路货物运输经营许可", kind="administrative_license", department="交通运输局",
        case_type="promised", levels=["city_county"], audience=["enterprise", "individual"], legal=20,
        promised_days=5,
        legal_basis="《中华人民共和国道路运输条例》；《道路货物运输及站场管理规定》",
        conditions="有与其经营业务相适应并经检测合格的车辆；有符合规定条件的驾驶人员；有健全的安全生产管理制度。"
                   "使用总质量4500千克及以下普通货运车辆从事普通货运经营的，无需申请。",
        form=form("freight_license", "道路货物运输经营许可", "Road freight license", fields),
        materials=[material("application", "道路货物运输经营申请表", template="道路货物运输经营申请表.docx"),
                   id_card("manager_id", "负责人身份证明"),
                   material("vehicles", "机动车辆行驶证或拟购置车辆承诺书", rongque_days=30),
                   material("drivers", "驾驶人员从业资格证", license="road_transport_qualification"),
                   material("safety", "安全生产管理制度文本", formats=("pdf", "doc", "docx"))],
        flow=promised("道路货物运输经营许可", "Road freight license", review=2, decide=1, department=TRANSPORT,
                      license=("road_transport_permit", "核发道路运输经营许可证", "Issue the road transport permit")),
        life_events=["开办企业"], themes=["法人:090", "法人:010"])


def passenger_license() -> dict:
    fields = [*enterprise_fields(),
              field("service", "select", "经营类别", "Service", required=True, options=[
                  option("chartered", "包车客运", "Charter"), option("intercity", "市际班车客运", "Intercity"),
                  option("county", "县内班车客运", "Within a county")]),
              field("coaches", "number", "客车数量", "Coaches", required=True, min=1),
              field("seats", "number", "座位总数", "Seats", required=True, min=1)]
    return item(
        "HN-JT-002", "道路旅客运输经营许可", kind="administrative_license", department="交通运输局",
        case_type="promised", levels=["province", "city_county"], audience=["enterprise"], legal=20,
        promised_days=10,
        legal_basis="《中华人民共和国道路运输条例》；《道路旅客运输及客运站管理规定》",
        conditions="有与其经营业务相适应并经检测合格的客车；有符合规定条件的驾驶人员；有健全的安全生产管理制度。",
        form=form("passenger_license", "道路旅客运输经营许可", "Road passenger license", fields,
                  [rule("seats_per_coach", "seats >= coaches", "seats", "座位总数不能少于客车数量",
                        "There cannot be fewer seats than coaches")]),
        materials=[business_license(),
                   material("application", "道路旅客运输经营申请表", template="道路旅客运输经营申请表.docx"),
                   material("coaches", "客车技术等级评定及类型等级评定证明", rongque_days=30),
                   material("safety", "安全生产管理制度文本", formats=("pdf", "doc", "docx"))],
        flow=promised("道路旅客运输经营许可", "Road passenger license", review=4, decide=3, department=TRANSPORT,
                      license=("road_transport_permit", "核发道路运输经营许可证", "Issue the road transport permit")),
        life_events=["开办企业"], themes=["法人:090"])


def driver_qualification_renewal() -> dict:
    fields = [*person_fields(),
              field("category", "select", "从业资格类别", "Category", required=True, options=[
                  option("freight", "道路货物运输驾驶员", "Freight driver"),
                  option("passenger", "道路旅客运输驾驶员", "Passenger driver")]),
              field("expires_on", "date", "原证有效期至", "Old certificate valid until", required=True)]
    return item(
        "HN-JT-003", "道路运输从业人员从业资格证换发", kind="public_service", department="交通运输局",
        case_type="immediate", levels=["city_county"], audience=["individual"], legal=5, promised_days=0,
        channels=["online", "window", "mobile"],
        legal_basis="《道路运输从业人员管理规定》",
        conditions="从业资格证件有效期届满，且在有效期内无违规记录的道路运输从业人员。",
        form=form("driver_qualification_renewal", "从业资格证换发", "Qualification renewal", fields),
        materials=[id_card(), material("old_certificate", "原从业资格证件", license="road_transport_qualification")],
        flow=immediate("从业资格证换发", "Qualification renewal", department=TRANSPORT,
                       license=("road_transport_qualification", "换发从业资格证", "Issue the certificate")),
        life_events=["就业"], themes=["自然人:095", "自然人:050"])


ITEMS = [planning_permit, property_transfer, rural_planning_permit, construction_permit, presale_permit,
         eia_approval, discharge_permit, freight_license, passenger_license, driver_qualification_renewal]
