"""A resource (or a topic's whole answer) as a young person sees it in the chat.

The markup is the one static/chat.js builds (messageShell, addText, renderResources), drawn by
chat.css, so the preview cannot drift from the chat without this module's test noticing. It is
built from what the chat protocol carries (content/model.for_young_person), every value escaped.
"""

from __future__ import annotations

import datetime as dt
import re
from html import escape
from typing import Any
from urllib.parse import quote

from ..content import model


def _dialable(number: str) -> str:
    return re.sub(r"[^0-9+]", "", number or "")


def _action(href: str, text: str, extra: str, new_tab: bool = False) -> str:
    target = ' target="_blank" rel="noopener noreferrer"' if new_tab else ""
    return (f'<li><a href="{escape(href)}"{target}>{escape(text)}'
            f'<span class="visually-hidden">{escape(extra)}</span></a></li>')


def card(resource: dict[str, Any]) -> str:
    """One card, like chat.js renderResources, from the protocol's view of the resource."""
    name = resource["name"]
    head = f'<h3 class="resource__name">{escape(name)}</h3>'
    if resource.get("open_now") is True:
        head += '<span class="resource__open">Open now</span>'
    parts = [f'<div class="resource__head">{head}</div>']
    if resource.get("description"):
        parts.append(f'<p class="resource__desc">{escape(resource["description"])}</p>')
    if resource.get("hours"):
        parts.append(f'<p class="resource__hours">{escape("Hours: " + resource["hours"])}</p>')
    actions = []
    if phone := _dialable(resource.get("phone", "")):
        actions.append(_action("tel:" + phone, "Call " + resource["phone"], f" ({name})"))
    if sms := _dialable(resource.get("text_number", "")):
        keyword = (resource.get("text_keyword") or "").strip()
        href = "sms:" + sms + ("?body=" + quote(keyword, safe="") if keyword else "")
        label = f"Text {keyword} to {resource['text_number']}" if keyword else f"Text {resource['text_number']}"
        actions.append(_action(href, label, f" ({name})"))
    website = resource.get("website") or ""
    if website.startswith(("https://", "http://")):
        actions.append(_action(website, "Website", f" ({name}, opens in a new tab)", new_tab=True))
    if actions:
        parts.append(f'<ul class="resource__actions">{"".join(actions)}</ul>')
    return f'<li class="resource" data-resource-id="{escape(resource["id"])}">{"".join(parts)}</li>'


def message(text: str, resources: list[dict[str, Any]], now: dt.datetime | None = None) -> str:
    """A bot message in the chat: its words, then its services (retired ones are never shown)."""
    shown = [model.for_young_person(r, now) for r in resources if not r.get("retired")]
    cards = "".join(card(r) for r in shown)
    listing = f'<ul class="resources" aria-label="Places that can help">{cards}</ul>' if cards else ""
    words = f'<p class="msg__text">{escape(text)}</p>' if text else ""
    return (f'<div class="chat-preview"><div class="messages"><div class="msg msg--bot" data-role="bot">'
            f'<p class="msg__who">Chat bot</p><div class="msg__bubble">{words}{listing}</div></div></div></div>')


def section(title: str, text: str, resources: list[dict[str, Any]], note: str = "") -> str:
    """A titled preview; `note` says what the preview shows (plain text)."""
    explained = f'<p class="hint">{escape(note)}</p>' if note else ""
    return (f'<section class="preview" aria-labelledby="preview-title"><h2 id="preview-title">{escape(title)}</h2>'
            f"{explained}{message(text, resources)}</section>")
