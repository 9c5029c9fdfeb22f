"""CEL edge conditions: compiled once, evaluated over the form data only."""

from __future__ import annotations

import pytest

from tongban.configurator.flows import compile_condition
from tongban.configurator.flows.conditions import ConditionCompileError, evaluate_condition


def test_conditions_are_compiled_once():
    assert compile_condition("form.a > 1") is compile_condition("form.a > 1")


def test_evaluate_condition_over_form_data():
    assert evaluate_condition("form.a > 1 && form.kind == '个体'", {"a": 2, "kind": "个体"})
    assert not evaluate_condition("form.a > 1", {"a": 1})


def test_compile_errors_carry_a_code():
    with pytest.raises(ConditionCompileError) as caught:
        compile_condition("form.a >")
    assert caught.value.code == "condition_invalid"


def test_only_form_is_in_scope():
    with pytest.raises(ValueError):
        evaluate_condition("form.a == 1", {"a": object()})  # not convertible to CEL
