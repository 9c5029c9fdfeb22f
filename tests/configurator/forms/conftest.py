"""Example schemas of real service items (个体工商户设立登记, 食品经营许可) and sample people."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from stdnum.cn import ric

from tongban.configurator.forms import FormSchema

HERE = Path(__file__).parent


def resident_id(first17: str) -> str:
    """A real, valid resident ID: the 17 digits plus the check digit stdnum computes
    (``calc_check_digit`` expects a placeholder in the check digit's place)."""
    return first17 + ric.calc_check_digit(first17 + "0")


# stdnum also checks that the area code existed at birth: 海口市 (1988-), 三亚市 (1988-)
OPERATOR_ID = resident_id("46010019880612003")
SPOUSE_ID = resident_id("46020019950101001")
USCC = "91110000600037341L"  # checked with stdnum.cn.uscc
HAINAN_DIVISIONS = {"46", "4601", "460105", "460106", "460107", "460108", "4602", "460202"}


def load_schema(name: str) -> dict:
    return json.loads((HERE / f"{name}.json").read_text("utf-8"))


@pytest.fixture(scope="session")
def sample() -> SimpleNamespace:
    """Valid identifiers for tests (test modules cannot import conftest under importlib mode)."""
    return SimpleNamespace(operator_id=OPERATOR_ID, spouse_id=SPOUSE_ID, uscc=USCC,
                           divisions=HAINAN_DIVISIONS, resident_id=resident_id)


@pytest.fixture(scope="session")
def getihu_schema() -> FormSchema:
    return FormSchema.parse(load_schema("getihu_setup"))


@pytest.fixture(scope="session")
def food_schema() -> FormSchema:
    return FormSchema.parse(load_schema("food_license"))


@pytest.fixture
def operator() -> dict:
    return {"name": "王海生", "resident_id": OPERATOR_ID, "phone": "13876543210",
            "uscc": USCC}


GETIHU_SUBMISSION = {
    "operator_name": "王海生",
    "operator_id": OPERATOR_ID,
    "phone": "138 7654 3210",
    "email": "wanghs@example.CN",
    "business_name": "海口秀英王记茶饮店",
    "composition": "individual",
    "business_scope": ["tea", "retail"],
    "premises_division": "460105",
    "premises_address": "海口市秀英区长滨路 18 号",
    "capital": "50000",
    "employees": "3",
    "id_copy": [{"id": "up-1", "name": "身份证.pdf", "size": 204800,
                 "content_type": "application/pdf"}],
    "promise": True,
}

FOOD_SUBMISSION = {
    "operator_uscc": USCC,
    "operator_name": "海南椰风餐饮管理有限公司",
    "legal_representative": "陈椰风",
    "business_format": ["catering"],
    "online": False,
    "premises_area": "120.5",
    "storage_area": 20,
    "equipment_investment": "30000.50",
    "facility_investment": 19999.5,
    "valid_from": "2025-01-01",
    "valid_to": "2029-12-31",
    "safety_staff": [{"staff_name": "林小梅", "staff_id": SPOUSE_ID,
                      "trained_on": "2024-11-01", "certificate_until": "2025-10-31"}],
    "materials": [{"id": "m-1", "name": "营业执照.pdf", "size": 1048576,
                   "content_type": "application/pdf"}],
}


@pytest.fixture
def getihu_submission() -> dict:
    return copy.deepcopy(GETIHU_SUBMISSION)


@pytest.fixture
def food_submission() -> dict:
    return copy.deepcopy(FOOD_SUBMISSION)
