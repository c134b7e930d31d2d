"""Write docs/rules.md from the rules' own metadata and docstrings.

python scripts/generate_rule_docs.py          # rewrite docs/rules.md
python scripts/generate_rule_docs.py --check  # exit 1 when docs/rules.md is stale
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sagelint.cli import explanation
from sagelint.rules import RULES

DOCS = Path(__file__).resolve().parent.parent / "docs" / "rules.md"


def render() -> str:
    lines = [
        "# Rules",
        "",
        "<!-- Generated from the rules' metadata by scripts/generate_rule_docs.py. -->",
        "",
        "| code | name | severity | summary |",
        "|---|---|---|---|",
        *(
            f"| [{r.code}](#{r.code.lower()}-{r.name}) | {r.name} | {r.severity} | {r.summary} |"
            for r in RULES
        ),
        "",
    ]
    for r in RULES:
        # Each rule's sections go one heading level down, under the rule's own heading.
        body = explanation(r.code).replace("\n## ", "\n### ").replace("\n# ", "\n## ")
        lines += ["#" + body if body.startswith("# ") else body, ""]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    text = render()
    if args.check:
        if not DOCS.exists() or DOCS.read_text(encoding="utf-8") != text:
            print(f"{DOCS} is stale: run python scripts/generate_rule_docs.py", file=sys.stderr)
            return 1
        return 0
    DOCS.parent.mkdir(exist_ok=True)
    DOCS.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
