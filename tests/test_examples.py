"""The bundled examples: what a newcomer sees first, in every report format."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import DATA, cli

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SECRET = "3f9d2c1e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e"  # in request-with-problems.yaml


def test_examples_show_a_finding_of_every_family_and_the_clean_ones_pass() -> None:
    result = cli("lint", "--isolated", "--format", "json", str(EXAMPLES))
    assert result.exit_code == 1
    findings = json.loads(result.stdout)["findings"]
    assert {f["rule"][:3] for f in findings} == {"SM0", "SM1", "SM2", "SM3", "SM4", "SM5"}
    clean = {f["path"] for f in findings if Path(f["path"]).name.startswith("clean-")}
    assert clean == set()


@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "junit", "github"])
def test_every_format_on_the_examples(output_format: str) -> None:
    result = cli("lint", "--isolated", "--format", output_format, str(EXAMPLES))
    assert result.exit_code == 1
    out = result.stdout
    assert SECRET not in out + result.stderr
    if output_format == "json":
        assert json.loads(out)["summary"]["jobs"] == 9
    elif output_format == "sarif":
        sarif = json.loads(out)
        schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text())
        jsonschema.Draft7Validator(schema).validate(sarif)
        assert len(sarif["runs"][0]["results"]) == len(
            json.loads(cli("lint", "--isolated", "--format", "json", str(EXAMPLES)).stdout)[
                "findings"
            ]
        )
    elif output_format == "junit":
        root = ET.fromstring(out)
        assert root.tag == "testsuites"
        assert int(root.get("tests", "0")) == 9
        assert int(root.get("failures", "0")) >= 4
    elif output_format == "github":
        assert any(line.startswith("::error file=") for line in out.splitlines())
    else:
        assert "request-with-problems.yaml:" in out and out.rstrip().endswith("from 7 files.")
        # the job inside the template's state machine, at its place in the template
        assert "training-stack.yaml:27:19: SM201 [error]" in out
