"""schema/budget.schema.json: generated from the model (so it cannot go stale), and it accepts
the shipped content and rejects a typo, as a clerk's editor would apply it."""

from __future__ import annotations

import datetime as dt
import json

import jsonschema
import pytest
import yaml
from conftest import ROOT, SEED_FILE, seed_text

from generator.cli import schema_text

SCHEMA_FILE = ROOT / "schema" / "budget.schema.json"


def editor_view(obj):
    """The data as an editor's YAML 1.2 reader sees it: PyYAML (YAML 1.1) reads 2024-01-01 as a
    date, editors as text; and mapping keys are always text in JSON (`2120199:` is a number here)."""
    if isinstance(obj, dict):
        return {str(k): editor_view(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [editor_view(v) for v in obj]
    if isinstance(obj, dt.date):
        return obj.isoformat()
    return obj


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def errors(validator, text: str) -> list[str]:
    data = editor_view(yaml.safe_load(text))
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]


def test_schema_file_is_what_the_model_generates():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), \
        "schema/budget.schema.json is stale: run `python -m generator.cli schema`"


def test_schema_is_draft_2020_12_and_names_itself():
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == "budget.schema.json"
    assert schema["additionalProperties"] is False


def test_the_shipped_content_points_editors_at_the_schema():
    first = SEED_FILE.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../../schema/budget.schema.json"
    assert (SEED_FILE.parent / "../../../schema/budget.schema.json").resolve() == SCHEMA_FILE


def test_the_shipped_content_validates(validator):
    data = yaml.safe_load(seed_text())
    assert isinstance(data["basic"][0]["function"], int)  # unquoted codes are numbers to an editor
    assert errors(validator, seed_text()) == []


def edited(old: str, new: str) -> str:
    text = seed_text()
    assert text.count(old) == 1, old
    return text.replace(old, new)


def test_a_typo_key_is_rejected(validator):
    found = errors(validator, edited("  kind: 事业", "  knd: 事业"))
    assert any(e.startswith("department: ") and "'knd'" in e for e in found), found


@pytest.mark.parametrize("old, new, where", [
    ("amount: 372900}", "amount: -372900}", "basic/0/amount"),
    ("      一般公共预算: 33698700", "      一般公共预算资金: 33698700", "projects/0/funding"),
    ("function: 2120199, economic: 30101", "function: 212019, economic: 30101", "basic/0/function"),
    ("  kind: 事业", "  kind: 公司", "department/kind"),
    ("    2120199:  #", "    212019:  #", "purposes/function"),
])
def test_other_bad_values_are_rejected(validator, old, new, where):
    found = errors(validator, edited(old, new))
    assert any(e.startswith(where + ":") for e in found), found


@pytest.mark.parametrize("amount", ["19.99", "0.29", "4.35", "372900", "33694700.86"])
def test_amounts_with_cents_are_accepted(validator, amount):
    """Editors check numbers in floating point: the schema must not reject 19.99 (0.01 × 1999)."""
    assert errors(validator, edited("amount: 372900}", f"amount: {amount}}}")) == []


def test_quoted_codes_are_accepted_too(validator):
    assert errors(validator, edited("function: 2120199, economic: 30101", 'function: "2120199", economic: "30101"')) == []
