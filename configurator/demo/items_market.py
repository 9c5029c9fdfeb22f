"""Demo items: starting and licensing a business — market regulation, drugs, seals and tax.

Written from the public item guides (办事指南); limits follow the cited rules, promised limits are
typical Hainan values, and codes (HN-…) are demo codes, not official implementation codes.
"""
from __future__ import annotations

from tongban.configurator.demo.builders import (
    LOCAL_CENTRE,
    PROVINCE_CENTRE,
    TOWNSHIP_CENTRE,
    accept,
    address_fields,
    business_license,
    certificate,
    chain,
    conclude,
    enterprise_fields,
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
    rule,
)

MARKET, SEAL, TAX = "market_regulation", "public_security", "taxation"
SOCIAL = "human_resources_social_security"
DRUGS = "drug_administration"
CITY = ["province", "city_county", "district"]

_SHAREHOLDERS = field("shareholders", "group", "股东（发起人）", "Shareholders", required=True, min_rows=1,
                      max_rows=50, fields=[
                          field("holder_kind", "radio", "股东类型", "Shareholder kind", required=True, options=[
                              option("natural", "自然人", "Natural person"),
                              option("legal", "法人", "Legal person")]),
                          field("holder_name", "text", "股东名称（姓名）", "Name", required=True, max_length=100),
                          field("holder_id", "resident_id", "公民身份号码", "Resident ID number",
                                show_if="row.holder_kind == 'natural'",
                                required_if="row.holder_kind == 'natural'"),
                          field("holder_uscc", "uscc", "统一社会信用代码", "USCC",
                                show_if="row.holder_kind == 'legal'",
                                required_if="row.holder_kind == 'legal'"),
                          field("subscribed", "money", "认缴出资额（万元）", "Subscribed capital (10k CNY)",
                                required=True, min=0),
                          field("paid_by", "date", "出资期限", "Contribution deadline", required=True,
                                min="today"),
                      ])

def enterprise_setup() -> dict:
    fields = [
        field("enterprise_name", "text", "企业名称", "Enterprise name", required=True, max_length=100,
              help={"zh": "已通过名称自主申报的名称", "en": "The name reserved by self-declaration"}),
        field("enterprise_type", "select", "企业类型", "Enterprise type", required=True, options=[
            option("llc", "有限责任公司", "Limited liability company"),
            option("joint_stock", "股份有限公司", "Joint-stock company"),
            option("sole", "个人独资企业", "Sole proprietorship"),
            option("partnership", "合伙企业", "Partnership")]),
        field("registered_capital", "money", "注册资本（万元）", "Registered capital (10k CNY)", required=True,
              min=0),
        *address_fields("premises", "住所", "Domicile"),
        field("business_scope", "textarea", "经营范围", "Business scope", required=True, max_length=2000),
        field("legal_rep_name", "text", "法定代表人姓名", "Legal representative", required=True,
              prefill="identity.name"),
        field("legal_rep_id", "resident_id", "法定代表人身份号码", "Legal representative's ID", required=True,
              prefill="identity.resident_id"),
        field("phone", "phone", "联系电话", "Phone", required=True, prefill="identity.phone"),
        _SHAREHOLDERS,
        field("seal_count", "number", "刻制印章数量", "Seals to engrave", required=True, min=1, max=10, default=4),
        field("need_invoice", "checkbox", "同时申领发票", "Apply for invoices too", default=True),
        field("invoice_kind", "select", "发票种类", "Invoice kind", show_if="need_invoice",
              required_if="need_invoice", options=[
                  option("general", "数电普通发票", "Digital general invoice"),
                  option("special", "数电增值税专用发票", "Digital VAT special invoice")]),
        field("employees", "number", "参保职工人数", "Employees to insure", required=True, min=0, max=100000),
        field("by_agent", "checkbox", "委托代理人办理", "Handled by an agent", default=False),
        field("agent_name", "text", "代理人姓名", "Agent name", show_if="by_agent", required_if="by_agent"),
        promise_checkbox(),
    ]
    materials = [
        material("application", "公司登记（备案）申请书", template="公司登记（备案）申请书.docx",
                 formats=("pdf", "doc", "docx"), source="政务服务网下载或在线生成"),
        material("articles", "公司章程", formats=("pdf", "doc", "docx"), size=20,
                 template="有限责任公司章程（参考范本）.docx"),
        id_card("legal_rep_id_card", "法定代表人身份证件"),
        material("holders", "股东主体资格证明或者自然人身份证件", form="copy"),
        material("appointments", "董事、监事和高级管理人员任职文件及身份证件", form="copy"),
        material("premises", "住所（经营场所）使用证明", form="copy", rongque_days=5,
                 source="产权证明或租赁合同；可先行承诺后补交"),
        material("power_of_attorney", "指定代表或者共同委托代理人授权委托书", required_if="form.by_agent",
                 template="授权委托书.docx"),
    ]
    flow = parallel("企业设立登记（多证合一）", "Enterprise registration (multi-certificate)", [
        ("market", "市场监管登记", "Market regulation registration", MARKET, 1),
        ("seal", "公安刻章备案", "Seal engraving filing", SEAL, 1),
        ("tax", "税务登记、发票申领", "Tax registration and invoices", TAX, 1),
        ("social", "社会保险登记", "Social insurance registration", SOCIAL, 1),
    ], tail=[certificate("business_license", "核发营业执照", "Issue business license", 0, MARKET)])
    return item(
        "HN-SCJG-001", "企业设立登记（“多证合一”）", kind="administrative_license", department="市场监督管理局",
        case_type="joint", levels=CITY, audience=["enterprise"], legal=3, promised_days=1,
        legal_basis="《中华人民共和国公司法》第二十九条；《中华人民共和国市场主体登记管理条例》第三条、第十九条；"
                    "《国务院办公厅关于加快推进“多证合一”改革的指导意见》（国办发〔2017〕41号）",
        conditions="1. 企业名称已通过自主申报；2. 有符合章程规定的股东（发起人）；3. 有住所（经营场所）；"
                   "4. 法律、行政法规规定的其他条件。",
        form=form("enterprise_setup", "企业设立登记", "Enterprise registration", fields,
                  [rule("capital_positive", "registered_capital >= 0.0", "registered_capital",
                        "注册资本不能为负数", "The registered capital cannot be negative")]),
        materials=materials, flow=flow, channels=["online", "window", "mobile"],
        life_events=["开办企业"], themes=["法人:005"])


def getihu_setup() -> dict:
    fields = [
        *person_fields(with_address=False),
        field("business_name", "text", "个体工商户名称", "Business name", max_length=60,
              help={"zh": "可以不使用名称", "en": "A name is optional"}),
        field("composition", "radio", "组成形式", "Composition", required=True, default="individual", options=[
            option("individual", "个人经营", "Run by one person"), option("family", "家庭经营", "Run by a family")]),
        field("family_operators", "group", "参加经营的家庭成员", "Family members in the business",
              show_if="composition == 'family'", required_if="composition == 'family'", max_rows=10, fields=[
                  field("member_name", "text", "姓名", "Name", required=True),
                  field("member_id", "resident_id", "公民身份号码", "Resident ID number", required=True)]),
        field("business_scope", "textarea", "经营范围", "Business scope", required=True, max_length=1000),
        *address_fields("premises", "经营场所", "Premises"),
        field("capital", "money", "资金数额（元）", "Capital (CNY)", required=True, min=0),
        field("employees", "number", "从业人数", "Employees", required=True, min=1, max=1000),
        promise_checkbox(),
    ]
    return item(
        "HN-SCJG-002", "个体工商户设立登记", kind="administrative_license", department="市场监督管理局",
        case_type="promised", levels=["city_county", "district", "township"], audience=["individual"],
        legal=3, promised_days=1, location=f"{LOCAL_CENTRE}、{TOWNSHIP_CENTRE}",
        legal_basis="《中华人民共和国市场主体登记管理条例》第三条、第十九条；《促进个体工商户发展条例》",
        conditions="有经营能力的公民；有固定的经营场所；经营范围不属于法律、行政法规禁止的行业。",
        form=form("getihu_setup", "个体工商户设立登记", "Sole trader registration", fields),
        materials=[
            material("application", "个体工商户登记（备案）申请书", template="个体工商户登记（备案）申请书.docx",
                     formats=("pdf", "doc", "docx")),
            id_card("operator_id_card", "经营者身份证件"),
            material("premises", "经营场所使用证明", form="copy", rongque_days=5),
        ],
        flow=promised("个体工商户设立登记", "Sole trader registration", review=1, decide=0, department=MARKET,
                      accept_days=0, certificate_days=0,
                      license=("business_license", "核发营业执照", "Issue business license")),
        life_events=["开办企业", "就业"], themes=["自然人:035", "自然人:030"])


def food_business_license() -> dict:
    fields = [
        *enterprise_fields(),
        field("business_format", "multi_select", "主体业态", "Business format", required=True, options=[
            option("food_sales", "食品销售经营者", "Food seller"), option("catering", "餐饮服务经营者", "Catering"),
            option("canteen", "单位食堂", "Canteen")]),
        field("online", "checkbox", "是否网络经营", "Sells online", default=False),
        field("website", "text", "网站或网店地址", "Website or online shop", show_if="online",
              required_if="online", pattern="^https?://[A-Za-z0-9.-]+(/\\S*)?$"),
        *address_fields("premises", "经营场所", "Premises"),
        field("premises_area", "number", "经营场所面积（平方米）", "Premises area (m²)", required=True, decimals=2,
              min=0),
        field("storage_area", "number", "仓库面积（平方米）", "Storage area (m²)", decimals=2, min=0),
        field("safety_staff", "group", "食品安全管理人员", "Food safety staff", required=True, max_rows=5, fields=[
            field("staff_name", "text", "姓名", "Name", required=True),
            field("staff_id", "resident_id", "公民身份号码", "Resident ID number", required=True),
            field("trained_on", "date", "培训日期", "Trained on")]),
        promise_checkbox(),
    ]
    flow = promised("食品经营许可", "Food business license", review=1, decide=1, department=MARKET,
                    license=("food_business_license", "核发食品经营许可证", "Issue food business license"),
                    extra=[node("inspect", "review", "现场核查", "On-site inspection", 1, role="inspector",
                                department=MARKET)])
    return item(
        "HN-SCJG-003", "食品经营许可", kind="administrative_license", department="市场监督管理局",
        case_type="promised", levels=["city_county", "district"], audience=["enterprise", "individual"],
        legal=10, promised_days=5,
        legal_basis="《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》"
                    "（国家市场监督管理总局令第78号）",
        conditions="1. 已取得营业执照等合法主体资格；2. 具有与经营的食品品种、数量相适应的经营场所和设备设施；"
                   "3. 有专职或者兼职的食品安全管理人员和保证食品安全的规章制度；4. 具有合理的设备布局和工艺流程。",
        form=form("food_business_license", "食品经营许可", "Food business license", fields,
                  [rule("storage_within_premises", "form.storage_area <= form.premises_area", "storage_area",
                        "仓库面积不能大于经营场所面积", "The storage area cannot exceed the premises area")]),
        materials=[
            material("application", "食品经营许可申请书", template="食品经营许可申请书.docx",
                     formats=("pdf", "doc", "docx")),
            business_license(),
            material("layout", "与食品经营相适应的主要设备设施、经营布局、操作流程等文件", formats=("pdf", "jpg", "png")),
            material("rules", "食品安全自查、从业人员健康管理、进货查验记录、食品安全事故处置等保证食品安全的规章制度目录",
                     formats=("pdf", "doc", "docx"), rongque_days=10),
            material("website_proof", "网络经营的网站（网店）相关证明", required_if="form.online"),
        ],
        flow=flow, life_events=["开办企业"], themes=["法人:010", "自然人:040"])


def _drug_license(code: str, name: str, scope: str, *, department: str, levels: list[str], legal: int,
                  promised_days: int, location: str, license_type: str, review: int, inspect: int) -> dict:
    assignee = DRUGS if department.endswith("药品监督管理局") else MARKET
    fields = [
        *enterprise_fields(),
        field("pharmacist_count", "number", "执业药师人数", "Licensed pharmacists", required=True, min=1, max=500),
        field("quality_manager", "text", "质量负责人", "Quality manager", required=True),
        *address_fields("premises", "经营场所", "Premises"),
        field("has_warehouse", "checkbox", "设有仓库", "Has a warehouse", default=False),
        *[dict(f, show_if="has_warehouse", required_if="has_warehouse", required=False)
          for f in address_fields("warehouse", "仓库地址", "Warehouse")],
        field("scope", "multi_select", "经营范围", "Business scope", required=True, options=[
            option("chemical", "化学药", "Chemical drugs"), option("tcm", "中成药", "Chinese patent medicine"),
            option("herbal", "中药饮片", "Herbal pieces"), option("biological", "生物制品", "Biological products")]),
        promise_checkbox(),
    ]
    return item(
        code, name, kind="administrative_license", department=department, case_type="promised",
        levels=levels, audience=["enterprise"], legal=legal, promised_days=promised_days, location=location,
        legal_basis="《中华人民共和国药品管理法》第五十一条、第五十二条；《药品经营和使用质量监督管理办法》"
                    "（国家市场监督管理总局令第84号）",
        conditions=f"{scope}：有依法经过资格认定的药师或者其他药学技术人员；有与所经营药品相适应的营业场所、"
                   "设备、仓储设施和卫生环境；有与所经营药品相适应的质量管理机构或者人员；"
                   "有保证药品质量的规章制度，并符合药品经营质量管理规范要求。",
        form=form(code.lower().replace("-", "_"), name, "Drug business license", fields),
        materials=[
            material("application", "药品经营许可证申请表", template="药品经营许可证申请表.docx",
                     formats=("pdf", "doc", "docx")),
            business_license(),
            material("pharmacists", "执业药师注册证及身份证明", form="copy"),
            material("premises", "经营场所、仓库使用证明及平面布局图", formats=("pdf", "jpg", "png"), size=20),
            material("quality_rules", "药品质量管理制度文件目录", formats=("pdf", "doc", "docx")),
        ],
        flow=promised(name, "Drug business license", review=review, decide=2, department=assignee,
                      license=(license_type, "核发药品经营许可证", "Issue drug business license"),
                      extra=[node("inspect", "review", "现场检查", "On-site inspection", inspect,
                                  role="inspector", department=assignee)]),
        life_events=["开办企业"], themes=["法人:010", "法人:110"])


def drug_retail_license() -> dict:
    return _drug_license("HN-SCJG-004", "药品经营许可证核发（零售）", "药品零售企业", department="市场监督管理局",
                         levels=["city_county"], legal=20, promised_days=10, location=LOCAL_CENTRE,
                         license_type="drug_business_license", review=3, inspect=3)


def drug_wholesale_license() -> dict:
    return _drug_license("HN-YJ-001", "药品经营许可证核发（批发）", "药品批发企业", department="海南省药品监督管理局",
                         levels=["province"], legal=20, promised_days=15, location=PROVINCE_CENTRE,
                         license_type="drug_business_license", review=5, inspect=6)


def seal_filing() -> dict:
    fields = [*enterprise_fields(),
              field("seals", "multi_select", "印章种类", "Seals", required=True, options=[
                  option("official", "单位公章", "Official seal"), option("finance", "财务专用章", "Finance seal"),
                  option("invoice", "发票专用章", "Invoice seal"), option("contract", "合同专用章", "Contract seal"),
                  option("legal_rep", "法定代表人名章", "Legal representative's seal")]),
              field("engraver", "text", "刻制企业", "Engraving company", required=True)]
    return item(
        "HN-GA-003", "印章刻制备案", kind="other_power", department="公安局", case_type="immediate",
        levels=["city_county", "district"], audience=["enterprise"], legal=1, promised_days=0,
        legal_basis="《国务院关于取消和下放一批行政许可事项的决定》（国发〔2020〕13号）",
        conditions="已依法取得营业执照或其他主体资格证明的单位，在公安机关备案的印章刻制企业刻制印章。",
        form=form("seal_filing", "印章刻制备案", "Seal engraving filing", fields),
        materials=[business_license(), id_card("legal_rep_id_card", "法定代表人身份证件")],
        flow=immediate("印章刻制备案", "Seal engraving filing", department=SEAL),
        life_events=["开办企业"], themes=["法人:005"])


def invoice_first_issue() -> dict:
    fields = [*enterprise_fields(),
              field("invoice_kind", "select", "发票种类", "Invoice kind", required=True, options=[
                  option("general", "数电普通发票", "Digital general invoice"),
                  option("special", "数电增值税专用发票", "Digital VAT special invoice")]),
              field("monthly_quota", "money", "申请月开票额度（元）", "Monthly invoicing quota (CNY)", min=0),
              field("agent_name", "text", "办税人员", "Tax clerk", required=True, prefill="identity.agent_name")]
    return item(
        "HN-SW-001", "发票领用", kind="other_power", department="税务局", case_type="immediate",
        levels=["city_county", "district"], audience=["enterprise", "individual"], legal=5, promised_days=0,
        channels=["online", "window", "kiosk", "mobile"],
        legal_basis="《中华人民共和国发票管理办法》；《中华人民共和国发票管理办法实施细则》",
        conditions="已办理涉税信息确认、依法需要领用发票的单位和个人。",
        form=form("invoice_first_issue", "发票领用", "Invoice issue", fields),
        materials=[id_card("clerk_id_card", "经办人身份证件")],
        flow=immediate("发票领用", "Invoice issue", department=TAX),
        life_events=["开办企业"], themes=["法人:025", "自然人:055"])


def tax_payment_certificate() -> dict:
    fields = [*person_fields(with_address=False),
              field("period", "date_range", "所属期间", "Period", required=True, max="today"),
              field("tax_kind", "select", "税种", "Tax", required=True, options=[
                  option("iit", "个人所得税", "Individual income tax"), option("deed", "契税", "Deed tax"),
                  option("vat", "增值税", "VAT")])]
    return item(
        "HN-SW-002", "开具税收完税证明", kind="other_power", department="税务局", case_type="immediate",
        levels=["city_county", "district"], audience=["individual"], legal=5, promised_days=0,
        channels=["online", "window", "kiosk", "mobile"],
        legal_basis="《税收票证管理办法》（国家税务总局令第28号）",
        conditions="已缴纳税款、需要证明其纳税情况的纳税人。",
        form=form("tax_payment_certificate", "开具税收完税证明", "Tax payment certificate", fields),
        materials=[id_card()],
        flow=chain("开具税收完税证明", "Tax payment certificate", [
            accept(0), certificate("tax_payment_certificate", "开具完税证明", "Issue certificate", 0, TAX),
            conclude()]),
        life_events=["纳税"], themes=["自然人:055"])


ITEMS = [enterprise_setup, getihu_setup, food_business_license, drug_retail_license, drug_wholesale_license,
         seal_filing, invoice_first_issue, tax_payment_certificate]
