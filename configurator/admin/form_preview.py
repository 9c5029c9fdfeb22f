"""The builder's live preview: the working schema rendered by ``render_spec`` on the server, optionally
tried with sample answers (``validate_submission``) so conditions and rules show their effect."""

from __future__ import annotations

from dataclasses import dataclass, field

from tongban.configurator.admin.posted import Posted
from tongban.configurator.forms import FormSchema, SchemaInvalid, render_spec, validate_submission

PREFIX = "preview."


@dataclass(frozen=True)
class Preview:
    fields: list[dict] = field(default_factory=list)
    available: bool = True
    tried: bool = False
    ok: bool = False


def preview(schema: dict, posted: Posted | None = None, *, try_it: bool = False) -> Preview:
    try:
        form = FormSchema.parse(schema)
    except (SchemaInvalid, TypeError, ValueError):
        return Preview(available=False)
    values = sample_values(form, posted) if posted is not None else {}
    if try_it:
        result = validate_submission(form, values)
        return Preview(render_spec(form, values, result.errors), tried=True, ok=result.ok)
    return Preview(render_spec(form, values or None))


def sample_values(form: FormSchema, posted: Posted) -> dict:
    """The answers typed into the preview (files and group rows are not tried here)."""
    values: dict = {}
    for spec in form.fields:
        name = PREFIX + spec.name
        if spec.type in ("group", "file"):
            continue
        if spec.type == "multi_select":
            chosen = posted.values(name)
            if chosen:
                values[spec.name] = chosen
        elif spec.type == "checkbox":
            if posted.checked(name):
                values[spec.name] = True
        elif spec.type == "date_range":
            start, end = posted.text(name + ".start"), posted.text(name + ".end")
            if start or end:
                values[spec.name] = {"start": start, "end": end}
        elif posted.text(name):
            values[spec.name] = posted.text(name)
    return values
