"""Glue between WTForms and services: a service's ValidationFailed lands next to the fields."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectChoice

from .errors import DomainError


def apply_errors(form: FlaskForm, exc: DomainError) -> None:
    """Put each message on its field (price_tiers.0.min_qty -> form.price_tiers[0].min_qty)."""
    placed = False
    for name, messages in exc.errors.items():
        field = _find(form, name)
        if field is not None:
            field.errors = list(field.errors or []) + [str(m) for m in messages]
            placed = True
        else:
            form.form_errors.extend(str(m) for m in messages)
    if not placed and not exc.errors:
        form.form_errors.append(exc.detail or exc.title)


def _find(form, dotted: str):
    node = form
    for part in dotted.split("."):
        try:
            node = node[int(part)] if part.isdigit() else node[part]
        except (KeyError, IndexError, TypeError):
            return None
        if hasattr(node, "form") and not hasattr(node, "entries") and part.isdigit():
            node = node.form
    return node if hasattr(node, "errors") and not hasattr(node, "entries") else None


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]
