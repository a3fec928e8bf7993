"""A scripted OpenAI-compatible server on 127.0.0.1 that answers by the JSON schema each request asks for.

Each schema (`Plan`, `Conjectures`, `InformalProof`, `CodeCandidates`, `Prose`, ...) has a script: a
list of reply bodies taken in order (the last one repeats), or a function of the request and how many
times that schema was asked. A test reads back every request, so it can check what a role was told.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from loopback import LoopbackServer, Step, error, reply

Script = list[dict] | Callable[[dict, int], dict]


class SchemaServer(LoopbackServer):
    """``with SchemaServer({"Plan": [PLAN], "Conjectures": [ROUND1, ROUND2]}) as server: ...``"""

    def __init__(self, scripts: dict[str, Script], tokens: tuple[int, int] = (30, 20)):
        super().__init__([])
        self.scripts = scripts
        self.tokens = tokens
        self.asked: dict[str, int] = {}

    def next_step(self, body: dict[str, Any]) -> Step:
        with self._lock:
            self.requests.append(body)
            name = schema_name(body)
            count = self.asked.get(name, 0)
            self.asked[name] = count + 1
        script = self.scripts.get(name)
        if script is None:
            return error(400, f"no script for the schema {name!r}")
        answer = script(body, count) if callable(script) else script[min(count, len(script) - 1)]
        return reply(json.dumps(answer), *self.tokens)

    def told(self, name: str) -> list[str]:
        """The user messages of every request that asked for schema ``name``, in order."""
        return [m["content"] for body in self.requests if schema_name(body) == name
                for m in body["messages"] if m["role"] == "user"]


def schema_name(body: dict[str, Any]) -> str:
    return ((body.get("response_format") or {}).get("json_schema") or {}).get("name", "?")
