"""Asking a model for JSON that fits a pydantic model, reading it back, and wording the one repair request."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from .outcomes import Message

_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.DOTALL)


class NotValid(Exception):
    """The reply is not JSON, or not JSON that fits the output model."""


@dataclass(frozen=True)
class ReplyBounds:
    """Caps added to a reply's JSON schema: the longest string and the longest list it may hold.

    A server that enforces the schema with a grammar (llama.cpp's ``llama-server``) then cannot let a
    model write one string or list until ``max_tokens`` cuts the JSON off, which a small model does."""

    max_string_chars: int | None = None
    max_list_items: int | None = None

    def __bool__(self) -> bool:
        return self.max_string_chars is not None or self.max_list_items is not None


def json_schema(output_model: type[BaseModel], bounds: ReplyBounds | None = None) -> dict:
    """The output model's JSON schema, with ``bounds`` added where they are tighter than its own limits."""
    schema = output_model.model_json_schema()
    return _bounded(schema, bounds) if bounds else schema


def _bounded(node: Any, bounds: ReplyBounds) -> Any:
    """A copy of a schema (node) with every string and array capped; a cap never goes below a minimum."""
    if isinstance(node, list):
        return [_bounded(item, bounds) for item in node]
    if not isinstance(node, dict):
        return node
    capped = {key: _bounded(value, bounds) if key not in ("default", "const", "enum", "examples") else value
              for key, value in node.items()}
    types = capped.get("type")
    types = types if isinstance(types, list) else [types]
    for kind, cap, low, high in (("string", bounds.max_string_chars, "minLength", "maxLength"),
                                 ("array", bounds.max_list_items, "minItems", "maxItems")):
        if kind in types and cap is not None and "enum" not in capped and "const" not in capped:
            limit = min(capped.get(high, cap), cap)
            capped[high] = max(limit, capped.get(low, 0))
    return capped


def instruction(output_model: type[BaseModel], bounds: ReplyBounds | None = None) -> str:
    """The system-prompt paragraph that asks for exactly one JSON object following the schema."""
    schema = json.dumps(json_schema(output_model, bounds), ensure_ascii=False)
    return ("Answer with exactly one JSON object and nothing else (no prose, no code fence). "
            f"It must validate against this JSON schema:\n{schema}")


def with_instruction(messages: list[Message], output_model: type[BaseModel],
                     bounds: ReplyBounds | None = None) -> list[Message]:
    """``messages`` with the JSON instruction appended to the system prompt (one is added when there is none)."""
    note = instruction(output_model, bounds)
    systems = [m for m in messages if m.role == "system"]
    rest = [m for m in messages if m.role != "system"]
    system = "\n\n".join([m.content for m in systems] + [note])
    return [Message(role="system", content=system), *rest]


def parse_reply(text: str, output_model: type[BaseModel]) -> BaseModel:
    """The reply's JSON object, validated; tolerates a code fence or prose around the object."""
    candidate = _json_text(text)
    try:
        data = json.loads(candidate)
    except json.JSONDecodeError as error:
        raise NotValid(f"the reply is not valid JSON ({error.msg} at line {error.lineno} column {error.colno})") from None
    try:
        return output_model.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '(top level)'}: {e['msg']}" for e in error.errors()[:8]
        )
        raise NotValid(f"the JSON does not fit the schema: {problems}") from None


def repair_messages(reply: str, problem: str) -> list[Message]:
    """The two turns appended for the one repair request: the bad reply, and what was wrong with it."""
    return [
        Message(role="assistant", content=reply),
        Message(role="user", content=f"Your reply could not be used: {problem}. Reply again with only the "
                                     "corrected JSON object, following the schema exactly."),
    ]


def _json_text(text: str) -> str:
    stripped = text.strip()
    fenced = _FENCE.search(stripped)
    if fenced:
        return fenced.group(1).strip()
    if stripped.startswith(("{", "[")):
        return stripped
    # Prose around an object: take the outermost braces; json.loads judges the rest.
    start, end = stripped.find("{"), stripped.rfind("}")
    return stripped[start:end + 1] if 0 <= start < end else stripped
