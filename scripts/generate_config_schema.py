#!/usr/bin/env python3
"""Write ``schemas/sagelint-config.schema.json``, the JSON Schema of the configuration, from its
pydantic model (:func:`sagelint.config.config_json_schema`), for editors (taplo, Even Better
TOML).

    python scripts/generate_config_schema.py          # write the schema
    python scripts/generate_config_schema.py --check  # exit 1 if the committed file is stale
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from sagelint.config import config_json_schema

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schemas" / "sagelint-config.schema.json"
SCRIPT = "scripts/generate_config_schema.py"


def render() -> str:
    return json.dumps(config_json_schema(), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0] if __doc__ else None)
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if the file is out of date"
    )
    args = parser.parse_args(argv)
    text = render()
    current = SCHEMA.read_text(encoding="utf-8") if SCHEMA.exists() else None
    if args.check:
        if current != text:
            print(f"{SCHEMA} is out of date: run `python {SCRIPT}`", file=sys.stderr)
            return 1
        return 0
    if current != text:
        SCHEMA.write_text(text, encoding="utf-8")
        print(f"wrote {SCHEMA.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
