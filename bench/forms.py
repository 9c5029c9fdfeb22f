"""Form engine benchmark: validating a 30-field form (conditions, a cross-field rule, ID check digits).

Run: .venv/bin/python bench/forms.py — prints the time per validation and its ratio to parsing the same
data with json (a floor any validator pays), measured in the same run.
"""
from __future__ import annotations

import json
import time

from stdnum.cn import ric

from tongban.configurator.forms import FormSchema, validate_submission

KINDS = [("text", "海口市秀英区", {}), ("number", "12", {"min": 0}), ("money", "1234.50", {}),
         ("date", "2025-05-01", {}), ("select", "b", {"options": ["a", "b"]}), ("phone", "13812345678", {}),
         ("resident_id", "460100199001011230", {}), ("uscc", "91110000600037341L", {}), ("checkbox", True, {}),
         ("email", "a@hainan.gov.cn", {})]


def main() -> None:
    assert ric.is_valid("460100199001011230")
    fields, data = [], {}
    for index in range(30):
        kind, value, extra = KINDS[index % len(KINDS)]
        fields.append({"name": f"f{index}", "type": kind, "label": f"f{index}", "required": True, **extra})
        data[f"f{index}"] = value
    for index in range(0, 30, 5):
        fields[index]["show_if"] = "form.f8 == true"
    schema = FormSchema.parse({"fields": fields, "rules": [{"expr": "form.f1 >= 0", "message": {"zh": "数量有误", "en": "x"}}]})
    encoded = json.dumps(data, ensure_ascii=False)

    def best(fn, runs=500):
        times = []
        for _ in range(5):
            started = time.perf_counter()
            for _ in range(runs):
                fn()
            times.append((time.perf_counter() - started) / runs)
        return min(times)

    validate = best(lambda: validate_submission(schema, data))
    floor = best(lambda: json.loads(encoded))
    print(f"30-field form: {validate * 1e6:.0f} µs per validation (target well under 1 ms); "
          f"{validate / floor:.0f}× a json.loads of the same data")


if __name__ == "__main__":
    main()
