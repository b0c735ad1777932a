"""Typed keys for what the application holds."""

from __future__ import annotations

import weakref

import aiohttp
from aiohttp import web
from redis.asyncio import Redis

from .backstop.reading import BackstopReader
from .config import Settings
from .conversations import ConversationStore
from .events import EventHub
from .handoff import Handoff
from .rasa_client import RasaClient
from .safety.screen import SafetyScreen

SETTINGS = web.AppKey("settings", Settings)
REDIS = web.AppKey("redis", Redis)
HTTP = web.AppKey("http", aiohttp.ClientSession)
RASA = web.AppKey("rasa", RasaClient)
CONVERSATIONS = web.AppKey("conversations", ConversationStore)
SOCKETS = web.AppKey("sockets", weakref.WeakSet)
SCREEN = web.AppKey("screen", SafetyScreen)
HUB = web.AppKey("hub", EventHub)
HANDOFF = web.AppKey("handoff", Handoff)
BACKSTOP: web.AppKey[BackstopReader | None] = web.AppKey("backstop")  # None: no trained backstop
