"""Demo items for people's life events — identity documents, birth, marriage and social assistance
(公安, 民政, 卫生健康). Codes are demo codes; limits follow the cited rules or typical Hainan promises."""
from __future__ import annotations

from tongban.configurator.demo.builders import (
    LOCAL_CENTRE,
    TOWNSHIP_CENTRE,
    address_fields,
    family_group,
    fee,
    field,
    form,
    household_register,
    id_card,
    immediate,
    item,
    material,
    option,
    parallel,
    person_fields,
    promise_checkbox,
    promised,
    reported_up,
    rule,
)

POLICE, CIVIL, HEALTH = "public_security", "civil_affairs", "health"
MEDICAL, HRSS = "medical_security", "human_resources_social_security"
def _birth_certificate() -> dict:
    return material("birth_certificate", "出生医学证明", license="birth_certificate", source="助产机构签发")


def _marriage_certificate() -> dict:
    return material("marriage_certificate", "结婚证", license="marriage_certificate",
                    required_if="form.parents_married", source="申请人自备")


def _baby_fields() -> list[dict]:
    return [
        field("baby_name", "text", "新生儿姓名", "Baby's name", required=True, max_length=30),
        field("baby_gender", "radio", "性别", "Gender", required=True, options=[
            option("male", "男", "Male"), option("female", "女", "Female")]),
        field("birth_date", "date", "出生日期", "Date of birth", required=True, max="today"),
        field("birth_division", "division", "出生地", "Place of birth", required=True, within="46"),
        field("mother_name", "text", "母亲姓名", "Mother's name", required=True),
        field("mother_id", "resident_id", "母亲公民身份号码", "Mother's ID number", required=True),
        field("father_known", "checkbox", "填写父亲信息", "Father's details given", default=True),
        field("father_name", "text", "父亲姓名", "Father's name", show_if="father_known",
              required_if="father_known"),
        field("father_id", "resident_id", "父亲公民身份号码", "Father's ID number", show_if="father_known",
              required_if="father_known"),
        field("parents_married", "checkbox", "父母已登记结婚", "Parents are married", default=True),
    ]


def id_card_renewal() -> dict:
    fields = [
        *person_fields(),
        field("reason", "select", "换领原因", "Reason", required=True, options=[
            option("expired", "有效期满", "Expired"), option("damaged", "证件损坏", "Damaged"),
            option("changed", "登记项目变更", "Registered details changed")]),
        field("expires_on", "date", "原证有效期至", "Old card valid until", show_if="reason == 'expired'",
              required_if="reason == 'expired'"),
        field("by_post", "checkbox", "邮寄送达", "Deliver by post", default=False),
        *[dict(f, show_if="by_post", required_if="by_post", required=False)
          for f in address_fields("post", "邮寄地址", "Postal address")],
    ]
    return item(
        "HN-GA-001", "居民身份证换领", kind="other_power", department="公安局", case_type="promised",
        levels=["city_county", "district"], audience=["individual"], legal=60, promised_days=20,
        location="户籍所在地或居住地公安派出所、政务服务中心公安窗口",
        legal_basis="《中华人民共和国居民身份证法》第八条、第十一条；《财政部 国家发展改革委关于居民身份证收费标准及有关问题的通知》"
                    "（财综〔2004〕8号）",
        conditions="居民身份证有效期满、证件严重损坏不能辨认或者登记项目变更的中国公民。",
        form=form("id_card_renewal", "居民身份证换领", "ID card renewal", fields),
        materials=[
            material("old_card", "原居民身份证", source="申请人自备，办理时交回"),
            household_register(),
            material("photo", "本人近期免冠照片（现场采集）", form="electronic", formats=("jpg", "png"), size=2),
        ],
        flow=promised("居民身份证换领", "ID card renewal", review=2, decide=0, department=POLICE,
                      certificate_days=15,
                      license=("resident_id_card", "制发居民身份证", "Make and issue the ID card")),
        fees=[fee("card_fee", "居民身份证工本费（换领）", "20.00",
                  "《财政部 国家发展改革委关于居民身份证收费标准及有关问题的通知》（财综〔2004〕8号）")],
        life_events=["证件办理"], themes=["自然人:090"])


def birth_registration() -> dict:
    fields = [*person_fields(with_address=False), *_baby_fields(),
              field("register_with", "radio", "随父或随母落户", "Register with", required=True, options=[
                  option("mother", "随母", "Mother"), option("father", "随父", "Father")]), promise_checkbox()]
    return item(
        "HN-GA-002", "出生登记", kind="administrative_confirmation", department="公安局", case_type="immediate",
        levels=["city_county", "district"], audience=["individual"], legal=1, promised_days=0,
        location="户籍所在地公安派出所",
        legal_basis="《中华人民共和国户口登记条例》第七条",
        conditions="在本省出生、父母一方为本省户籍的新生儿，出生后应由户主、亲属或抚养人申报出生登记。",
        form=form("birth_registration", "出生登记", "Birth registration", fields),
        materials=[_birth_certificate(), household_register("hukou", "父母居民户口簿"), _marriage_certificate()],
        flow=immediate("出生登记", "Birth registration", department=POLICE,
                       license=("household_register", "户口簿登记新生儿", "Enter the baby in the register")),
        life_events=["生育"], themes=["自然人:010", "自然人:005"])


def marriage_registration() -> dict:
    fields = [
        *person_fields(with_address=False),
        field("partner_name", "text", "对方姓名", "Partner's name", required=True, max_length=50),
        field("partner_id", "resident_id", "对方公民身份号码", "Partner's ID number", required=True),
        field("office_division", "division", "婚姻登记机关所在地", "Registry office", required=True, within="46"),
        field("appointment", "date", "预约日期", "Appointment date", required=True, min="today"),
        field("declaration", "checkbox", "双方均无配偶，且没有直系血亲和三代以内旁系血亲关系",
              "Neither is married and they are not closely related", required=True),
    ]
    return item(
        "HN-MZ-001", "内地居民结婚登记", kind="administrative_confirmation", department="民政局",
        case_type="immediate", levels=["city_county", "district"], audience=["individual"], legal=0,
        promised_days=0, location="各市县（区）婚姻登记处",
        legal_basis="《中华人民共和国民法典》第一千零四十六条至第一千零四十九条；《婚姻登记条例》",
        conditions="男女双方完全自愿；男年满二十二周岁，女年满二十周岁；双方均无配偶；"
                   "没有直系血亲或者三代以内旁系血亲关系。双方须亲自到婚姻登记机关申请。",
        form=form("marriage_registration", "结婚登记预约", "Marriage registration", fields,
                  [rule("two_people", "partner_id != applicant_id", "partner_id", "双方身份号码不能相同",
                        "The two ID numbers must differ")]),
        materials=[
            id_card("id_cards", "男女双方居民身份证"),
            material("photos", "男女双方近期半身免冠合影照片（2寸，3张）", count=3, formats=("jpg", "png"), size=5),
            material("declaration", "申请结婚登记声明书（现场签署）", template="申请结婚登记声明书.docx",
                     formats=("pdf",)),
        ],
        flow=immediate("结婚登记", "Marriage registration", department=CIVIL,
                       license=("marriage_certificate", "颁发结婚证", "Issue the marriage certificate")),
        life_events=["婚姻"], themes=["自然人:060"])


def minimum_living_allowance() -> dict:
    fields = [
        *person_fields(),
        field("hukou_division", "division", "户籍所在地", "Registered residence", required=True, within="46"),
        family_group(),
        field("has_disability", "checkbox", "家庭成员中有残疾人", "A family member is disabled", default=False),
        field("disability_cert_no", "text", "残疾人证号", "Disability certificate no.", show_if="has_disability",
              required_if="has_disability"),
        field("bank_account", "text", "银行账号", "Bank account", required=True, pattern="^[0-9]{12,19}$"),
        promise_checkbox(),
    ]
    return item(
        "HN-MZ-002", "最低生活保障审核确认", kind="administrative_payment", department="民政局",
        case_type="report_up", levels=["city_county", "district", "township"], audience=["individual"],
        legal=30, promised_days=20, location=f"{TOWNSHIP_CENTRE}（受理）、{LOCAL_CENTRE}",
        legal_basis="《社会救助暂行办法》第九条至第十三条；《最低生活保障审核确认办法》（民发〔2021〕57号）",
        conditions="共同生活的家庭成员人均收入低于当地最低生活保障标准，且财产状况符合当地规定的本地户籍家庭。",
        form=form("minimum_living_allowance", "最低生活保障申请", "Minimum living allowance", fields),
        materials=[
            id_card(), household_register(),
            material("authorisation", "家庭经济状况核对授权书", template="家庭经济状况核对授权书.docx",
                     formats=("pdf", "jpg")),
            material("disability_certificate", "残疾人证", required_if="form.has_disability",
                     license="disability_certificate"),
        ],
        flow=reported_up("最低生活保障审核确认", "Minimum living allowance", survey=8, decide=10,
                         department=CIVIL),
        life_events=["社会救助"], themes=["自然人:085"])


def longevity_allowance() -> dict:
    fields = [*person_fields(),
              field("birth_date", "date", "老人出生日期", "Date of birth", required=True, max="today"),
              field("bank_account", "text", "银行账号", "Bank account", required=True, pattern="^[0-9]{12,19}$"),
              field("by_relative", "checkbox", "由亲属代为申请", "Applied for by a relative", default=False),
              field("relative_name", "text", "代办人姓名", "Relative's name", show_if="by_relative",
                    required_if="by_relative")]
    return item(
        "HN-MZ-003", "高龄老人长寿补贴申领", kind="administrative_payment", department="民政局",
        case_type="report_up", levels=["city_county", "district", "township"], audience=["individual"],
        legal=20, promised_days=15, location=f"{TOWNSHIP_CENTRE}（受理）",
        legal_basis="《中华人民共和国老年人权益保障法》第三十三条；海南省高龄老人长寿补贴有关规定",
        conditions="具有本省户籍、年满八十周岁的老年人。",
        form=form("longevity_allowance", "高龄老人长寿补贴申领", "Longevity allowance", fields),
        materials=[id_card(), household_register(),
                   material("proxy", "代办人身份证件及委托书", required_if="form.by_relative", form="copy")],
        flow=reported_up("高龄老人长寿补贴申领", "Longevity allowance", survey=5, decide=8, department=CIVIL),
        life_events=["养老"], themes=["自然人:085"])


def birth_medical_certificate() -> dict:
    fields = [*person_fields(with_address=False), *_baby_fields(),
              field("hospital", "text", "助产机构", "Maternity hospital", required=True)]
    return item(
        "HN-WJ-001", "出生医学证明首次签发", kind="public_service", department="卫生健康委员会",
        case_type="immediate", levels=["city_county", "district"], audience=["individual"], legal=1,
        promised_days=0, location="新生儿出生的助产机构出生医学证明签发窗口",
        legal_basis="《中华人民共和国母婴保健法》第二十三条；《中华人民共和国母婴保健法实施办法》",
        conditions="在本省依法设置的助产机构内出生的新生儿。",
        form=form("birth_certificate", "出生医学证明首次签发", "Birth medical certificate", fields),
        materials=[id_card("parents_id", "父母双方居民身份证")],
        flow=immediate("出生医学证明首次签发", "Birth medical certificate", department=HEALTH,
                       license=("birth_certificate", "签发出生医学证明", "Issue the birth certificate")),
        life_events=["生育"], themes=["自然人:005", "自然人:145"])


def physician_registration() -> dict:
    fields = [
        *person_fields(with_address=False),
        field("qualification_no", "text", "医师资格证书编码", "Qualification certificate no.", required=True,
              pattern="^[0-9A-Za-z]{10,30}$"),
        field("category", "select", "执业类别", "Practice category", required=True, options=[
            option("clinical", "临床", "Clinical"), option("tcm", "中医", "Chinese medicine"),
            option("dental", "口腔", "Dental"), option("public_health", "公共卫生", "Public health")]),
        field("practice_scope", "text", "执业范围", "Practice scope", required=True),
        field("institution_name", "text", "拟执业机构名称", "Institution", required=True),
        field("institution_uscc", "uscc", "拟执业机构统一社会信用代码", "Institution's USCC", required=True),
        *address_fields("institution", "执业地点", "Practice location"),
    ]
    return item(
        "HN-WJ-002", "医师执业注册", kind="administrative_license", department="卫生健康委员会",
        case_type="promised", levels=["province", "city_county"], audience=["individual"], legal=20,
        promised_days=10,
        legal_basis="《中华人民共和国医师法》第十三条；《医师执业注册管理办法》（国家卫生和计划生育委员会令第13号）",
        conditions="取得医师资格，经拟执业医疗卫生机构聘用，且无《中华人民共和国医师法》规定不予注册情形的人员。",
        form=form("physician_registration", "医师执业注册", "Physician registration", fields),
        materials=[
            material("application", "医师执业注册申请审核表", template="医师执业注册申请审核表.docx",
                     formats=("pdf", "doc", "docx")),
            material("qualification", "医师资格证书", license="physician_qualification_certificate"),
            material("health", "近6个月内的健康体检证明", formats=("pdf", "jpg")),
            material("employment", "拟执业医疗卫生机构的聘用证明", rongque_days=10),
        ],
        flow=promised("医师执业注册", "Physician registration", review=4, decide=3, department=HEALTH,
                      license=("physician_practice_certificate", "核发医师执业证书",
                               "Issue the practice certificate")),
        life_events=["就业"], themes=["自然人:050", "自然人:145"])


def birth_registration_filing() -> dict:
    fields = [*person_fields(),
              field("spouse_name", "text", "配偶姓名", "Spouse's name", required=True),
              field("spouse_id", "resident_id", "配偶公民身份号码", "Spouse's ID number", required=True),
              field("child_order", "select", "生育孩次", "Child order", required=True, options=[
                  option("1", "一孩", "First"), option("2", "二孩", "Second"), option("3", "三孩", "Third")]),
              field("expected_date", "date", "预产期", "Expected date", min="today")]
    return item(
        "HN-WJ-003", "生育登记", kind="public_service", department="卫生健康委员会", case_type="immediate",
        levels=["city_county", "district", "township"], audience=["individual"], legal=1, promised_days=0,
        channels=["online", "window", "mobile"], location=f"{TOWNSHIP_CENTRE}，或网上办理",
        legal_basis="《中华人民共和国人口与计划生育法》；《海南省人口与计划生育条例》",
        conditions="夫妻双方或一方为本省户籍，或在本省居住的育龄夫妻。",
        form=form("birth_registration_filing", "生育登记", "Birth registration filing", fields),
        materials=[id_card("couple_id", "夫妻双方居民身份证"),
                   material("marriage_certificate", "结婚证", license="marriage_certificate")],
        flow=immediate("生育登记", "Birth registration filing", department=HEALTH),
        life_events=["生育"], themes=["自然人:005"])


def newborn_one_thing() -> dict:
    fields = [*person_fields(), *_baby_fields(),
              field("register_with", "radio", "随父或随母落户", "Register with", required=True, options=[
                  option("mother", "随母", "Mother"), option("father", "随父", "Father")]),
              field("medical_insurance", "checkbox", "同时办理城乡居民医保参保", "Enrol in medical insurance",
                    default=True),
              field("social_card", "checkbox", "同时申领社会保障卡", "Apply for a social security card", default=True)]
    flow = parallel("新生儿出生“一件事”", "Newborn one-stop service", [
        ("birth_certificate", "签发出生医学证明", "Birth medical certificate", HEALTH, 1),
        ("hukou", "办理出生登记", "Birth registration", POLICE, 3),
        ("insurance", "城乡居民医保参保登记", "Medical insurance enrolment", MEDICAL, 1),
        ("card", "社会保障卡申领", "Social security card", HRSS, 5),
    ], tail=[])
    return item(
        "HN-WJ-004", "新生儿出生“一件事”", kind="public_service", department="卫生健康委员会",
        case_type="joint", levels=["city_county", "district"], audience=["individual"], legal=20,
        promised_days=5, location="助产机构“出生一件事”服务窗口、各市县政务服务中心",
        legal_basis="《中华人民共和国母婴保健法》第二十三条；《中华人民共和国户口登记条例》第七条；"
                    "《中华人民共和国社会保险法》第二十五条",
        conditions="在本省出生、父母一方为本省户籍的新生儿。",
        form=form("newborn_one_thing", "新生儿出生“一件事”", "Newborn one-stop service", fields),
        materials=[id_card("parents_id", "父母双方居民身份证"), household_register("hukou", "父母居民户口簿"),
                   _marriage_certificate()],
        flow=flow, life_events=["生育"], themes=["自然人:005", "自然人:010"])


ITEMS = [id_card_renewal, birth_registration, marriage_registration, minimum_living_allowance,
         longevity_allowance, birth_medical_certificate, physician_registration, birth_registration_filing,
         newborn_one_thing]
