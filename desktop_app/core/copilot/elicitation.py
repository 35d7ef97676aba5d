"""An elicitation (a form an MCP server asks the user to fill in) as questions on the question card.

The form's flat JSON schema (strings, enums, numbers, booleans: what MCP allows) is asked one field at
a time, each as a ``UserQuestion``; the answers become the form's ``content``. A cancelled question
cancels the form. URL-mode elicitations (open a page) are declined: the app sends nobody to a page a
server names without a way to show it safely.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from desktop_app.core.vocabulary.questions import QuestionReply

YES, NO = "Yes", "No"
Ask = Callable[[Mapping[str, Any]], Awaitable[QuestionReply]]  # ``QuestionBroker.ask``


@dataclass(frozen=True)
class FormField:
    """One field: what the user sees (``labels``) and what the form gets back (``values``)."""

    name: str
    kind: str  # string, number, integer, boolean, array
    title: str
    values: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    freeform: bool = True

    def request(self, message: str, many: bool, source: str = "") -> dict[str, Any]:
        """The field as an ``ask_user``-style request (the form's message first)."""
        heading = self.title if many or self.title != self.name else ""
        question = f"{message}\n\n{heading}" if heading and heading != message else message
        return {
            "question": question,
            "choices": list(self.labels),
            "allowFreeform": self.freeform,
            "source": source,
        }

    def value(self, reply: QuestionReply) -> Any:
        """The answer as the schema wants it; None when it is not one (the field is asked again)."""
        text = reply.text.strip()
        if self.labels and text in self.labels:
            text = self.values[self.labels.index(text)]
        if self.kind == "boolean":
            return {"yes": True, "true": True, "no": False, "false": False}.get(text.lower())
        if self.kind in ("number", "integer"):
            try:
                return int(text) if self.kind == "integer" else float(text)
            except ValueError:
                return None
        if self.kind == "array":
            return [text]
        return text


def form_fields(schema: Mapping[str, Any]) -> list[FormField]:
    """The schema's fields, in order."""
    fields = []
    for name, spec in (schema.get("properties") or {}).items():
        spec = spec if isinstance(spec, Mapping) else {}
        kind = str(spec.get("type") or "string")
        title = str(spec.get("title") or spec.get("description") or name)
        options = spec.get("enum") or (spec.get("items") or {}).get("enum") or ()
        names = spec.get("enumNames") or ()
        one_of = spec.get("oneOf") or (spec.get("items") or {}).get("anyOf") or ()
        if one_of and not options:
            options = [o.get("const") for o in one_of if isinstance(o, Mapping)]
            names = [o.get("title") or o.get("const") for o in one_of if isinstance(o, Mapping)]
        values = tuple(str(v) for v in options)
        labels = tuple(str(n) for n in names) if len(names) == len(values) else values
        if kind == "boolean":
            values = labels = (YES, NO)
        # An enum's values are suggestions the user may go beyond (CLI 1.0.102's ask_user says so),
        # but a server's enum is a closed list: offer free text only where nothing is listed.
        fields.append(FormField(str(name), kind, title, values, labels, freeform=not values))
    return fields


async def fill_in(context: Mapping[str, Any], ask: Ask) -> dict[str, Any]:
    """The SDK's ``ElicitationResult`` for a form: each field asked in turn."""
    if context.get("mode") == "url":
        return {"action": "decline"}
    message, source = str(context.get("message") or ""), str(context.get("elicitationSource") or "")
    fields = form_fields(context.get("requestedSchema") or {})
    content: dict[str, Any] = {}
    for field in fields:
        while True:
            reply = await ask(field.request(message, len(fields) > 1, source))
            if reply.cancelled:
                return {"action": "cancel"}
            value = field.value(reply)
            if value is not None:
                content[field.name] = value
                break
    return {"action": "accept", "content": content}
