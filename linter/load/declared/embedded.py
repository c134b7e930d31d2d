"""Definitions embedded as JSON text: a state machine's ``DefinitionString`` and a pipeline's
``PipelineDefinitionBody`` in a template, ``definition`` and ``pipeline_definition`` in a
Terraform plan.

In a template the text may be built by an intrinsic function, as the AWS CDK writes it: an
``Fn::Join`` of string pieces and intrinsics (``{"Ref": "AWS::Partition"}``), or an ``Fn::Sub``
with ``${...}`` variables. Each intrinsic or variable is a value the template does not know:
inside a JSON string it becomes a ``${unknown}`` placeholder, elsewhere the string
``"${unknown}"``, so the text parses and every value built from one is unknown.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from sagelint.load.declared import Broken, Declared, Found

UNKNOWN_TEXT = "${unknown}"
_UNKNOWN = object()  # a piece of text the template does not know
_VARIABLE = re.compile(r"\$\{[^}]*\}")
_QUOTE_OR_ESCAPE = re.compile(r'\\[\s\S]|"')


def embedded_jobs(
    value: Any, at: str, what: str, read: Callable[[dict[str, Any], str], Iterator[Found]]
) -> Iterator[Found]:
    """The jobs of the definition that ``value`` (the property at ``at``) holds as JSON text,
    found by ``read``; every position inside it is the property's. A text the file does not
    know (an intrinsic that is not a join or a substitution) has nothing to check."""
    text = definition_text(value)
    if text is None:
        return
    try:
        definition = json.loads(text)
    except (ValueError, RecursionError):
        yield Broken(at, f"{what} is not valid JSON: its training jobs cannot be checked")
        return
    if not isinstance(definition, dict):
        yield Broken(at, f"{what} is not a JSON object: its training jobs cannot be checked")
        return
    for found in read(definition, at):
        yield found._replace(embedded=at) if isinstance(found, Declared) else found


def definition_text(value: Any) -> str | None:
    """The JSON text of a string, or of an ``Fn::Join`` or ``Fn::Sub`` that builds one (its
    unknown pieces as placeholders); None for anything else."""
    if isinstance(value, str):
        return value
    if not isinstance(value, dict) or len(value) != 1:
        return None
    [(function, argument)] = value.items()
    if function == "Fn::Join" and isinstance(argument, list) and len(argument) == 2:
        delimiter, parts = argument
        if not isinstance(delimiter, str) or not isinstance(parts, list):
            return None
        pieces: list[object] = []
        for index, part in enumerate(parts):
            if index:
                pieces.append(delimiter)
            pieces.append(part if isinstance(part, str) else _UNKNOWN)
        return _json_text(pieces)
    if function == "Fn::Sub":
        template = argument[0] if isinstance(argument, list) and argument else argument
        if not isinstance(template, str):
            return None
        pieces = []
        last = 0
        for variable in _VARIABLE.finditer(template):
            pieces += [template[last : variable.start()], _UNKNOWN]
            last = variable.end()
        pieces.append(template[last:])
        return _json_text(pieces)
    return None


def _json_text(pieces: list[object]) -> str:
    """The text of ``pieces``, each unknown one a placeholder inside a JSON string and a
    placeholder string outside one."""
    written: list[str] = []
    in_string = False
    for piece in pieces:
        if isinstance(piece, str):
            written.append(piece)
            for mark in _QUOTE_OR_ESCAPE.finditer(piece):
                if mark.group() == '"':
                    in_string = not in_string
        else:
            written.append(UNKNOWN_TEXT if in_string else f'"{UNKNOWN_TEXT}"')
    return "".join(written)
