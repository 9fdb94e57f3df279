"""User-supplied text (class labels, feature names, file names) shown as text, never interpreted.

Streamlit reads Markdown — links, images, colours, emoji short codes, LaTeX between dollar signs —
and plotly reads some HTML tags; a label such as ``![a](http://…/pixel.png)`` would make the browser
fetch an outside address. ``plain`` escapes every character Markdown gives a meaning to, ``for_plot``
escapes HTML for plotly's labels.
"""
from __future__ import annotations

import html

MARKDOWN_SPECIAL = set("\\`*_{}[]()#+-.!|<>~$:=\"'&")


def plain(value: object, limit: int = 200) -> str:
    """``value`` as literal text inside Markdown, on one line, at most ``limit`` characters."""
    text = " ".join(str(value).split())
    if len(text) > limit:
        text = text[:limit - 1] + "…"
    return "".join("\\" + c if c in MARKDOWN_SPECIAL else c for c in text)


def for_plot(value: object, limit: int = 80) -> str:
    """``value`` as literal text in a plotly label (HTML escaped), on one line."""
    text = " ".join(str(value).split())
    if len(text) > limit:
        text = text[:limit - 1] + "…"
    return html.escape(text, quote=True)


def field_error(field: str, err: object) -> str:
    """A refused setting's message: its name (e.g. "Learning rate" for learning_rate), then why."""
    return f"{field.replace('_', ' ').capitalize()}: {plain(err)}"
