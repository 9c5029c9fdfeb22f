"""Demo items for work, pensions, medical insurance and schooling (人力资源和社会保障, 医疗保障, 教育).
Codes are demo codes; limits follow the cited rules or typical Hainan promises."""
from __future__ import annotations

from tongban.configurator.demo.builders import (
    LOCAL_CENTRE,
    PROVINCE_CENTRE,
    TOWNSHIP_CENTRE,
    address_fields,
    enterprise_fields,
    family_group,
    field,
    form,
    household_register,
    id_card,
    immediate,
    item,
    material,
    option,
    person_fields,
    promised,
    rule,
)

HRSS, MEDICAL, EDUCATION = "human_resources_social_security", "medical_security", "education"
EVERY_LEVEL = ["city_county", "district", "township"]
SOCIAL_INSURANCE_LAW = "《中华人民共和国社会保险法》"
RESIDENT_PENSION_OPINION = "《国务院关于建立统一的城乡居民基本养老保险制度的意见》（国发〔2014〕8号）"


def _bank_fields() -> list[dict]:
    return [field("bank_name", "text", "开户银行", "Bank", required=True),
            field("bank_account", "text", "银行账号", "Bank account", required=True, pattern="^[0-9]{12,19}$")]


def resident_pension_enrolment() -> dict:
    fields = [*person_fields(),
              field("hukou_kind", "radio", "户籍性质", "Household registration", required=True, options=[
                  option("rural", "农业户口", "Rural"), option("urban", "非农业户口", "Urban")]),
              field("yearly_contribution", "money", "年缴费金额（元）", "Yearly contribution (CNY)", required=True,
                    min=0, help={"zh": "按当地公布的缴费档次选择", "en": "One of the locally published grades"}),
              *_bank_fields()]
    return item(
        "HN-RS-001", "城乡居民基本养老保险参保登记", kind="public_service", department="人力资源和社会保障局",
        case_type="immediate", levels=EVERY_LEVEL, audience=["individual"], legal=5, promised_days=0,
        channels=["online", "window", "mobile"], location=f"{TOWNSHIP_CENTRE}、{LOCAL_CENTRE}社保窗口",
        legal_basis=f"{SOCIAL_INSURANCE_LAW}第二十条、第二十二条；{RESIDENT_PENSION_OPINION}",
        conditions="年满十六周岁（不含在校学生），非国家机关和事业单位工作人员，"
                   "不属于职工基本养老保险制度覆盖范围的本省户籍城乡居民。",
        form=form("resident_pension_enrolment", "城乡居民养老保险参保登记", "Resident pension enrolment", fields),
        materials=[id_card(), household_register()],
        flow=immediate("城乡居民养老保险参保登记", "Resident pension enrolment", department=HRSS),
        life_events=["养老", "就业"], themes=["自然人:085"])


def resident_pension_claim() -> dict:
    fields = [*person_fields(), *_bank_fields(),
              field("retire_from", "date", "申请待遇起始月份", "Benefits from", required=True)]
    return item(
        "HN-RS-002", "城乡居民基本养老保险待遇申领", kind="administrative_payment",
        department="人力资源和社会保障局", case_type="promised", levels=EVERY_LEVEL, audience=["individual"],
        legal=20, promised_days=10, location=f"{TOWNSHIP_CENTRE}、{LOCAL_CENTRE}社保窗口",
        legal_basis=f"{SOCIAL_INSURANCE_LAW}第二十一条；{RESIDENT_PENSION_OPINION}",
        conditions="参加城乡居民基本养老保险、年满六十周岁、累计缴费满十五年，且未领取国家规定的基本养老保障待遇的人员。",
        form=form("resident_pension_claim", "城乡居民养老保险待遇申领", "Resident pension claim", fields),
        materials=[id_card(), household_register()],
        flow=promised("城乡居民养老保险待遇申领", "Resident pension claim", review=3, decide=3, department=HRSS),
        life_events=["退休", "养老"], themes=["自然人:150", "自然人:085"])


def social_security_card() -> dict:
    fields = [*person_fields(with_address=False),
              field("card_kind", "radio", "申领类型", "Application", required=True, options=[
                  option("first", "首次申领", "First card"), option("replace", "补领换领", "Replacement")]),
              field("by_post", "checkbox", "邮寄送达", "Deliver by post", default=False),
              *[dict(f, show_if="by_post", required_if="by_post", required=False)
                for f in address_fields("post", "邮寄地址", "Postal address")]]
    return item(
        "HN-RS-003", "社会保障卡申领", kind="public_service", department="人力资源和社会保障局",
        case_type="immediate", levels=EVERY_LEVEL, audience=["individual"], legal=5, promised_days=0,
        channels=["online", "window", "kiosk", "mobile"], location=f"社会保障卡即时制卡网点、{TOWNSHIP_CENTRE}",
        legal_basis=f"{SOCIAL_INSURANCE_LAW}第五十八条",
        conditions="参加社会保险的人员，或具有本省户籍、需要申领社会保障卡的人员。",
        form=form("social_security_card", "社会保障卡申领", "Social security card", fields),
        materials=[id_card(), material("photo", "本人近期免冠彩色照片", form="electronic", formats=("jpg", "png"),
                                       size=2)],
        flow=immediate("社会保障卡申领", "Social security card", department=HRSS,
                       license=("social_security_card", "即时制发社会保障卡", "Issue the card on the spot")),
        life_events=["就业", "证件办理"], themes=["自然人:085", "自然人:090"])


def unemployment_benefit() -> dict:
    fields = [*person_fields(), *_bank_fields(),
              field("last_employer", "text", "原工作单位", "Last employer", required=True),
              field("employer_uscc", "uscc", "原单位统一社会信用代码", "Employer's USCC", required=True),
              field("left_on", "date", "终止（解除）劳动合同日期", "Contract ended on", required=True, max="today"),
              field("insured_years", "number", "累计缴纳失业保险费年限", "Years insured", required=True, min=1,
                    max=50)]
    return item(
        "HN-RS-004", "失业保险金申领", kind="administrative_payment", department="人力资源和社会保障局",
        case_type="promised", levels=["city_county", "district"], audience=["individual"], legal=10,
        promised_days=5, channels=["online", "window", "mobile"],
        legal_basis=f"{SOCIAL_INSURANCE_LAW}第四十五条；《失业保险条例》（国务院令第258号）",
        conditions="失业前用人单位和本人已经缴纳失业保险费满一年，非因本人意愿中断就业，"
                   "已经进行失业登记并有求职要求的失业人员。",
        form=form("unemployment_benefit", "失业保险金申领", "Unemployment benefit", fields),
        materials=[id_card(), material("termination", "终止或者解除劳动关系的证明", form="copy", rongque_days=10)],
        flow=promised("失业保险金申领", "Unemployment benefit", review=2, decide=2, department=HRSS),
        life_events=["就业"], themes=["自然人:030", "自然人:085"])


def employment_card() -> dict:
    fields = [*person_fields(),
              field("status", "select", "就业状态", "Employment status", required=True, options=[
                  option("unemployed", "失业", "Unemployed"), option("self_employed", "灵活就业", "Self-employed"),
                  option("starting", "自主创业", "Starting a business")])]
    return item(
        "HN-RS-005", "就业创业证申领", kind="public_service", department="人力资源和社会保障局",
        case_type="immediate", levels=EVERY_LEVEL, audience=["individual"], legal=5, promised_days=0,
        location=f"{TOWNSHIP_CENTRE}、{LOCAL_CENTRE}就业窗口",
        legal_basis="《就业服务与就业管理规定》（劳动和社会保障部令第28号）",
        conditions="法定劳动年龄内、有劳动能力和就业要求的城乡劳动者。",
        form=form("employment_card", "就业创业证申领", "Employment card", fields),
        materials=[id_card()],
        flow=immediate("就业创业证申领", "Employment card", department=HRSS,
                       license=("employment_card", "发放就业创业证", "Issue the employment card")),
        life_events=["就业"], themes=["自然人:030"])


def resident_medical_enrolment() -> dict:
    fields = [*person_fields(), family_group("insured", "参保人员", "People to insure", max_rows=8)]
    return item(
        "HN-YB-001", "城乡居民基本医疗保险参保登记", kind="public_service", department="医疗保障局",
        case_type="immediate", levels=EVERY_LEVEL, audience=["individual"], legal=5, promised_days=0,
        channels=["online", "window", "mobile"], location=f"{TOWNSHIP_CENTRE}、{LOCAL_CENTRE}医保窗口",
        legal_basis=f"{SOCIAL_INSURANCE_LAW}第二十五条；《国务院关于整合城乡居民基本医疗保险制度的意见》（国发〔2016〕3号）",
        conditions="未参加职工基本医疗保险的本省户籍居民及持有本省居住证的常住人员。",
        form=form("resident_medical_enrolment", "城乡居民医保参保登记", "Resident medical insurance", fields),
        materials=[id_card(), household_register()],
        flow=immediate("城乡居民医保参保登记", "Resident medical insurance", department=MEDICAL),
        life_events=["生育", "就医"], themes=["自然人:085", "自然人:145"])


def out_of_area_medical_filing() -> dict:
    fields = [*person_fields(with_address=False),
              field("filing_kind", "select", "备案类型", "Filing type", required=True, options=[
                  option("resident", "异地长期居住", "Living elsewhere"),
                  option("posted", "常驻异地工作", "Working elsewhere"),
                  option("referral", "异地转诊", "Referred elsewhere"),
                  option("temporary", "临时外出就医", "Temporary")]),
              field("destination", "text", "就医地（省、市）", "Where treated", required=True),
              field("start", "date", "开始日期", "From", required=True),
              field("end", "date", "结束日期", "Until", show_if="filing_kind == 'temporary'",
                    required_if="filing_kind == 'temporary'")]
    return item(
        "HN-YB-002", "基本医疗保险跨省异地就医备案", kind="public_service", department="医疗保障局",
        case_type="immediate", levels=EVERY_LEVEL, audience=["individual"], legal=1, promised_days=0,
        channels=["online", "mobile", "window"], must_online=True, location="国家医保服务平台、海南医保网上服务大厅",
        legal_basis="《国家医疗保障局 财政部关于进一步做好基本医疗保险跨省异地就医直接结算工作的通知》（医保发〔2022〕22号）",
        conditions="参加本省基本医疗保险、需要跨省异地就医直接结算的参保人员。",
        form=form("out_of_area_medical_filing", "跨省异地就医备案", "Out-of-province medical filing", fields,
                  [rule("period_order", "end >= start", "end", "结束日期不能早于开始日期",
                        "The end cannot come before the start")]),
        materials=[material("promise", "跨省异地就医备案个人承诺书", form="electronic",
                            template="跨省异地就医备案个人承诺书.docx", formats=("pdf",))],
        flow=immediate("跨省异地就医备案", "Out-of-province medical filing", department=MEDICAL),
        life_events=["就医"], themes=["自然人:145"])


def maternity_allowance() -> dict:
    fields = [*enterprise_fields(),
              field("employee_name", "text", "职工姓名", "Employee", required=True),
              field("employee_id", "resident_id", "职工公民身份号码", "Employee's ID number", required=True),
              field("birth_date", "date", "生育日期", "Date of birth", required=True, max="today"),
              field("leave_days", "number", "产假天数", "Days of maternity leave", required=True, min=1, max=365),
              *_bank_fields()]
    return item(
        "HN-YB-003", "生育津贴申领", kind="administrative_payment", department="医疗保障局", case_type="promised",
        levels=["city_county", "district"], audience=["enterprise", "individual"], legal=20, promised_days=10,
        legal_basis=f"{SOCIAL_INSURANCE_LAW}第五十四条、第五十六条",
        conditions="用人单位已为职工缴纳生育保险费，职工生育或者实施计划生育手术后休假的。",
        form=form("maternity_allowance", "生育津贴申领", "Maternity allowance", fields),
        materials=[material("birth_certificate", "出生医学证明", license="birth_certificate"),
                   id_card("employee_id_card", "职工居民身份证")],
        flow=promised("生育津贴申领", "Maternity allowance", review=4, decide=3, department=MEDICAL),
        life_events=["生育", "就业"], themes=["法人:035", "自然人:005"])


def teacher_qualification() -> dict:
    fields = [*person_fields(),
              field("level", "select", "教师资格种类", "Qualification level", required=True, options=[
                  option("kindergarten", "幼儿园", "Kindergarten"), option("primary", "小学", "Primary school"),
                  option("junior", "初级中学", "Junior middle school"),
                  option("senior", "高级中学", "Senior middle school"),
                  option("vocational", "中等职业学校", "Vocational school")]),
              field("subject", "text", "任教学科", "Subject", show_if="level != 'kindergarten'",
                    required_if="level != 'kindergarten'"),
              field("exam_certificate_no", "text", "考试合格证明编号", "Exam certificate no.", required=True),
              field("mandarin_grade", "select", "普通话水平", "Mandarin level", required=True, options=[
                  option("2B", "二级乙等", "Grade 2B"), option("2A", "二级甲等", "Grade 2A"),
                  option("1B", "一级乙等", "Grade 1B"), option("1A", "一级甲等", "Grade 1A")])]
    return item(
        "HN-JY-001", "教师资格认定", kind="administrative_license", department="教育局", case_type="promised",
        levels=["province", "city_county"], audience=["individual"], legal=30, promised_days=20,
        location=f"{PROVINCE_CENTRE}、{LOCAL_CENTRE}教育窗口",
        legal_basis="《中华人民共和国教师法》第十条至第十三条；《教师资格条例》（国务院令第188号）",
        conditions="遵守宪法和法律，热爱教育事业，具有良好的思想品德；具备规定的学历或者考试合格；"
                   "有教育教学能力；普通话水平达到规定标准；体检合格。",
        form=form("teacher_qualification", "教师资格认定", "Teacher qualification", fields),
        materials=[id_card(), material("diploma", "学历证书", license="academic_certificate"),
                   material("medical", "体检合格证明", formats=("pdf", "jpg")),
                   material("mandarin", "普通话水平测试等级证书", license="mandarin_certificate")],
        flow=promised("教师资格认定", "Teacher qualification", review=10, decide=5, department=EDUCATION,
                      certificate_days=3,
                      license=("teacher_qualification_certificate", "颁发教师资格证书", "Issue the certificate")),
        life_events=["就业"], themes=["自然人:050", "自然人:020"])


def school_transfer() -> dict:
    fields = [*person_fields(),
              field("student_name", "text", "学生姓名", "Student", required=True),
              field("student_id", "resident_id", "学生公民身份号码", "Student's ID number", required=True),
              field("current_school", "text", "转出学校", "Current school", required=True),
              field("target_school", "text", "转入学校", "New school", required=True),
              field("reason", "select", "转学原因", "Reason", required=True, options=[
                  option("moved", "随迁", "Family moved"), option("housing", "购房（户籍）迁移", "New home"),
                  option("other", "其他", "Other")]),
              field("reason_detail", "textarea", "具体说明", "Details", show_if="reason == 'other'",
                    required_if="reason == 'other'")]
    return item(
        "HN-JY-002", "义务教育阶段学生转学", kind="public_service", department="教育局", case_type="promised",
        levels=["city_county", "district"], audience=["individual"], legal=10, promised_days=5,
        legal_basis="《中华人民共和国义务教育法》第十二条；《中小学生学籍管理办法》",
        conditions="在本省义务教育学校就读、因随迁或户籍迁移等原因需要转学的学生。",
        form=form("school_transfer", "义务教育转学", "School transfer", fields,
                  [rule("different_school", "target_school != current_school", "target_school",
                        "转入学校不能与转出学校相同", "The new school must differ from the current one")]),
        materials=[household_register(), material("residence", "居住证明（房产证明或租赁合同）", form="copy",
                                                  rongque_days=5)],
        flow=promised("义务教育转学", "School transfer", review=2, decide=2, department=EDUCATION),
        life_events=["入学"], themes=["自然人:020"])


ITEMS = [resident_pension_enrolment, resident_pension_claim, social_security_card, unemployment_benefit,
         employment_card, resident_medical_enrolment, out_of_area_medical_filing, maternity_allowance,
         teacher_qualification, school_transfer]
