"""The forms of the pathway pages written in Python, byte for byte as Django's templates.

The pathway page carries six forms (about 25 fields): through Django's form templates
each field costs a template for the group, one for the label, one for the errors, one
for the widget, one per option of a select and one for the attributes, about a third
of the page's time. `FastFormRenderer` writes the same HTML for the plain templates
(field group, label, error list, inputs, textarea, select and its options) with the
same escaping and localisation as the template engine, and hands any other template
(fieldsets, radio buttons, multi-widgets…) to Django's templates. A test renders every
form of the pages both ways and compares them.
"""

from collections.abc import Callable, Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData

_WIDGETS = "django/forms/widgets/"
# Widget templates that are only `{% include "django/forms/widgets/input.html" %}`.
INPUT_TEMPLATES = frozenset(
    f"{_WIDGETS}{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "checkbox",
        "color",
        "search",
        "tel",
    )
)


def _var(value: Any) -> str:
    """`{{ value }}`: localised, then escaped unless already safe."""
    return conditional_escape(localize(value))


def _s(value: Any) -> str:
    """`{{ value|stringformat:'s' }}` (a safe value stays unescaped, as the filter keeps it)."""
    if isinstance(value, SafeData):
        return str(value)
    return conditional_escape(f"{value}")


def _attrs(attrs: Mapping[str, Any] | None) -> str:
    """django/forms/widgets/attrs.html (and django/forms/attrs.html, the same loop)."""
    if not attrs:
        return ""
    out = []
    for name, value in attrs.items():
        if value is not False:
            out.append(f" {_var(name)}")
            if value is not True:
                out.append(f'="{_s(value)}"')
    return "".join(out)


def _input(context: Mapping[str, Any]) -> str:
    widget = context["widget"]
    value = widget["value"]
    shown = f' value="{_s(value)}"' if value is not None else ""
    return (
        f'<input type="{_var(widget["type"])}" name="{_var(widget["name"])}"'
        f"{shown}{_attrs(widget['attrs'])}>"
    )


def _textarea(context: Mapping[str, Any]) -> str:
    widget = context["widget"]
    value = _var(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_var(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def _option(option: Mapping[str, Any]) -> str:
    return (
        f'<option value="{_s(option["value"])}"{_attrs(option["attrs"])}>'
        # select_option.html ends with a line break, kept inside the select.
        f"{_var(option['label'])}</option>\n"
    )


class _Fallback(Exception):
    """A part this module does not write: render the whole template with Django."""


def _select(context: Mapping[str, Any]) -> str:
    widget = context["widget"]
    out = [f'<select name="{_var(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_var(group_name)}">')
        for option in group_choices:
            if option["template_name"] != f"{_WIDGETS}select_option.html":
                raise _Fallback
            out.append(f"\n  {_option(option)}")
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


def _label(context: Mapping[str, Any]) -> str:
    if not context["use_tag"]:
        return _var(context["label"])
    tag = _var(context["tag"])
    return f"<{tag}{_attrs(context['attrs'])}>{_var(context['label'])}</{tag}>"


def _errors(context: Mapping[str, Any]) -> str:
    errors = context["errors"]
    if not errors:
        return ""
    field_id = getattr(errors, "field_id", None)
    shown = f' id="{_var(field_id)}_error"' if field_id else ""
    items = "".join(f"<li>{_var(error)}</li>" for error in errors)
    return f'<ul class="{_var(context["error_class"])}"{shown}>{items}</ul>'


def _field(context: Mapping[str, Any]) -> str:
    field = context["field"]
    if field.use_fieldset:
        raise _Fallback
    label = f"{field.label_tag()}" if field.label else ""
    help_text = ""
    if field.help_text:
        shown = f' id="{_var(field.auto_id)}_helptext"' if field.auto_id else ""
        help_text = f'<div class="helptext"{shown}>{field.help_text}</div>'
    # The template's line breaks and indentation, as it writes them.
    return f"\n  {label}\n\n{help_text}\n{field.errors}\n{field}"


WRITERS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    **dict.fromkeys(INPUT_TEMPLATES, _input),
    f"{_WIDGETS}textarea.html": _textarea,
    f"{_WIDGETS}select.html": _select,
    "django/forms/label.html": _label,
    "django/forms/errors/list/default.html": _errors,
    "django/forms/errors/list/ul.html": _errors,
    "django/forms/field.html": _field,
}


class FastFormRenderer(DjangoTemplates):
    """Django's template renderer, with the plain form templates written in Python.

    Like Django's, it returns the HTML as a plain string that its callers (widgets, bound
    fields, error lists) mark safe: every value in it is escaped here."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        writer = WRITERS.get(template_name)
        if writer is not None:
            try:
                # BaseRenderer strips what a template renders; so do we.
                return writer(context).strip()
            except _Fallback:
                pass
        return super().render(template_name, context, request)


# One renderer for all the forms that use it: its template engine (for what it does not
# write itself) is built once.
FAST_RENDERER = FastFormRenderer()
