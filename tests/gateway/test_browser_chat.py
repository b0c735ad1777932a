"""The chat page in a real browser (Debian's Chromium, headless) against the whole real stack.

What a young person does: reads the welcome, writes, sees their message sent and the bot's
answer, reloads and finds the conversation still there, then leaves with the quick exit (the
button, or Shift pressed three times) and finds nothing of the conversation when they return.
When a helpline worker takes the conversation (through the real console socket), their
messages read as a person's, and when they close it the page offers a new chat.

The quick exit goes to a neutral site; every request away from the gateway is answered here
with a tiny page, so the test needs no network.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Route,
    WebSocketRoute,
    expect,
)
from redis.asyncio import Redis

from .browser import chromium  # noqa: F401  (a fixture)
from .console_client import ConsoleClient

WAIT_MS = 15_000  # the bot answers within its deadline (3 s); this leaves room for a slow machine
RESUME_KEY = "helpline.resume"
NEUTRAL_PAGE = "<!doctype html><html lang='en'><title>Weather</title><h1>Weather</h1></html>"
XSS = "<img src=x onerror=alert(1)>"


@dataclass
class Tab:
    """A browser tab with everything that went wrong in it recorded."""

    page: Page
    gateway_url: str
    problems: list[str] = field(default_factory=list)

    def open_chat(self) -> None:
        self.page.goto(self.gateway_url + "/")
        expect(self.page.locator("#messages .msg--bot").first).to_be_visible(timeout=WAIT_MS)

    def token(self) -> Any:
        return self.page.evaluate(f"() => window.sessionStorage.getItem({RESUME_KEY!r})")

    def send(self, text: str) -> None:
        box = self.page.get_by_role("textbox", name="Your message")
        box.fill(text)
        box.press("Enter")
        mine = self.page.locator("#messages .msg--young_person", has_text=text).last
        expect(mine).to_have_attribute("data-state", "sent", timeout=WAIT_MS)
        expect(box).to_have_value("")


@pytest.fixture
def tab(chromium: Browser, live_stack: Any) -> Iterator[Tab]:
    context: BrowserContext = chromium.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    page = context.new_page()
    gateway_url = live_stack.gateway_url.rstrip("/")
    result = Tab(page, gateway_url)

    def neutral_site(route: Route) -> None:
        route.fulfill(status=200, content_type="text/html", body=NEUTRAL_PAGE)

    # The quick exit's neutral site (www.bbc.co.uk by default), and anything else off the gateway.
    page.route(lambda url: not url.startswith(gateway_url), neutral_site)
    page.on("dialog", lambda d: (result.problems.append(f"dialog: {d.message}"), d.dismiss()))
    page.on("pageerror", lambda exc: result.problems.append(f"page error: {exc}"))
    def console(msg: ConsoleMessage) -> None:
        # The browser asks for /favicon.ico on its own; the page has none, and that 404 is harmless.
        if msg.type in ("error", "warning") and not msg.location.get("url", "").endswith("/favicon.ico"):
            result.problems.append(f"console {msg.type}: {msg.text}")

    page.on("console", console)
    try:
        yield result
    finally:
        context.close()
    # CSP violations (inline styles or scripts) and script errors show up as console errors.
    assert result.problems == []


def exit_url(tab: Tab) -> str:
    url = tab.page.locator('meta[name="quick-exit-url"]').get_attribute("content")
    assert url and url.startswith("https://"), url
    return url


def assert_left_for_good(tab: Tab, url: str, old_token: str) -> None:
    """The tab is on the neutral site, Back does not return to the chat, and the chat there
    now is a new, empty conversation."""
    tab.page.wait_for_url(lambda current: current == url, timeout=WAIT_MS)
    assert tab.page.url == url
    tab.page.go_back()
    assert not tab.page.url.startswith(tab.gateway_url), "Back returned to the chat"
    tab.open_chat()
    expect(tab.page.locator("#messages .msg--young_person")).to_have_count(0)
    token = tab.token()
    assert token and token != old_token


def test_chat_send_resume_and_quick_exit_button(tab: Tab) -> None:
    page = tab.page
    page.goto("https://www.bbc.co.uk/")  # somewhere to go Back to; answered by the route
    tab.open_chat()

    log = page.locator("#messages")
    expect(log).to_have_attribute("role", "log")
    expect(log).to_have_attribute("aria-live", "polite")
    expect(page.locator("html")).to_have_attribute("lang", "en-GB")
    expect(page.get_by_role("main")).to_be_visible()
    exit_button = page.get_by_role("button", name="Exit this page")
    expect(exit_button).to_be_visible()
    token = tab.token()
    assert token
    # sessionStorage only: nothing in localStorage or cookies.
    assert page.evaluate("() => window.localStorage.length") == 0
    assert page.context.cookies() == []

    tab.send("hello")
    expect(log.locator(".msg--bot").nth(1)).to_be_visible(timeout=WAIT_MS)  # after the welcome, an answer

    # What a person types is text, never HTML.
    tab.send(XSS)
    expect(log.locator(".msg--young_person .msg__text").filter(has_text=XSS)).to_have_text(XSS)
    expect(log.locator("img")).to_have_count(0)

    # A reload resumes the same conversation.
    page.reload()
    expect(log.locator(".msg--young_person").filter(has_text="hello")).to_be_visible(timeout=WAIT_MS)
    expect(log.locator(".msg--young_person").filter(has_text=XSS)).to_have_attribute("data-state", "sent")
    expect(log.locator(".msg--young_person")).to_have_count(2)
    expect(log.locator("img")).to_have_count(0)
    assert tab.token() == token

    # The exit button stays on screen when the conversation is long enough to scroll.
    page.mouse.wheel(0, -10_000)
    expect(exit_button).to_be_in_viewport()

    url = exit_url(tab)
    exit_button.click()
    assert_left_for_good(tab, url, token)


def test_shift_three_times_exits(tab: Tab) -> None:
    page = tab.page
    page.goto("https://www.bbc.co.uk/")
    tab.open_chat()
    tab.send("people at school keep bullying me")
    token = tab.token()
    url = exit_url(tab)

    # Shift used for capitals or a new line does not count.
    box = page.get_by_role("textbox", name="Your message")
    box.press_sequentially("I Am OK")
    for _ in range(3):
        box.press("Shift+Enter")
    page.wait_for_timeout(300)
    assert page.url.startswith(tab.gateway_url)
    expect(box).to_have_value("I Am OK\n\n\n")
    box.fill("")

    for _ in range(3):
        page.keyboard.press("Shift")
    assert_left_for_good(tab, url, token)


def test_signposting_answer_shows_resource_cards(tab: Tab) -> None:
    page = tab.page
    tab.open_chat()
    tab.send("people at school keep bullying me")
    card = page.locator("#messages .resource").first
    expect(card).to_be_visible(timeout=WAIT_MS)
    expect(card.locator(".resource__name")).not_to_be_empty()
    # Links the card has are the safe kinds only.
    for link in page.locator("#messages .resource a").all():
        href = link.get_attribute("href") or ""
        assert href.startswith(("tel:", "sms:", "https://")), href
        if href.startswith("https://"):
            assert link.get_attribute("target") == "_blank"
            assert link.get_attribute("rel") == "noopener noreferrer"


class SocketProxy:
    """Stands between the page and the gateway's /chat/ws, passing frames both ways, so a test can
    make the connection half-open or answer a frame itself. Records what the page sent."""

    def __init__(self, page: Page) -> None:
        self.lock = threading.Lock()
        self.connections = 0
        self.sent: list[tuple[int, dict[str, Any]]] = []  # (connection number, frame) from the page
        self.half_open = 0  # the connection on which, from the page's next frame, frames go nowhere
        self.intercept: Any = None  # (frame, connection number) -> a frame to answer with, or None
        page.route_web_socket(re.compile(r"/chat/ws$"), self.handle)

    def handle(self, route: WebSocketRoute) -> None:
        server = route.connect_to_server()
        with self.lock:
            self.connections += 1
            number = self.connections
        dead = {"now": False}

        def from_page(message: str | bytes) -> None:
            frame = json.loads(message)
            with self.lock:
                self.sent.append((number, frame))
                if number == self.half_open:
                    dead["now"] = True
            if dead["now"]:
                return
            answer = self.intercept(frame, number) if self.intercept else None
            if answer is not None:
                route.send(json.dumps(answer))
            else:
                server.send(message)

        def from_server(message: str | bytes) -> None:
            if not dead["now"]:
                route.send(message)

        route.on_message(from_page)
        server.on_message(from_server)

    def go_half_open(self) -> None:
        with self.lock:
            self.half_open = self.connections

    def frames(self, kind: str) -> list[tuple[int, dict[str, Any]]]:
        with self.lock:
            return [(n, f) for n, f in self.sent if f.get("type") == kind]


def write(page: Page, text: str) -> None:
    box = page.get_by_role("textbox", name="Your message")
    box.fill(text)
    box.press("Enter")


def test_half_open_socket_does_not_leave_a_message_sending(tab: Tab) -> None:
    """The socket takes the message and nothing comes back: after a few seconds the page takes
    it for dead, connects again and sends the message again, which is stored once."""
    page = tab.page
    proxy = SocketProxy(page)
    tab.open_chat()
    proxy.go_half_open()
    write(page, "is anyone there")
    mine = page.locator("#messages .msg--young_person", has_text="is anyone there")
    expect(mine).to_have_attribute("data-state", "sending")
    expect(mine).to_have_attribute("data-state", "sent", timeout=8_000 + WAIT_MS)
    assert proxy.connections == 2
    messages = proxy.frames("message")
    assert [n for n, _ in messages] == [1, 2]
    assert messages[0][1]["client_id"] == messages[1][1]["client_id"]
    page.reload()
    expect(page.locator("#messages .msg--young_person", has_text="is anyone there")).to_have_count(
        1, timeout=WAIT_MS)


def test_unavailable_message_is_sent_again_quietly(tab: Tab) -> None:
    page = tab.page
    proxy = SocketProxy(page)
    tab.open_chat()
    refused: list[str] = []

    def unavailable_once(frame: dict[str, Any], number: int) -> dict[str, Any] | None:
        if frame.get("type") == "message" and not refused:
            refused.append(frame["client_id"])
            return {"type": "error", "code": "unavailable", "message": "The chat cannot save messages just now.",
                    "client_id": frame["client_id"], "retry_after": 2}
        return None

    proxy.intercept = unavailable_once
    write(page, "hello again")
    mine = page.locator("#messages .msg--young_person", has_text="hello again")
    expect(mine).to_have_attribute("data-state", "retrying")
    expect(mine.locator(".msg__state")).to_have_text("Trying again…")
    expect(mine.locator(".msg__retry")).to_have_count(0)
    expect(mine).to_have_attribute("data-state", "sent", timeout=WAIT_MS)
    messages = proxy.frames("message")
    assert [f["client_id"] for _, f in messages] == refused * 2
    assert proxy.connections == 1


def test_unavailable_hello_reconnects_and_keeps_the_conversation(tab: Tab) -> None:
    page = tab.page
    proxy = SocketProxy(page)
    tab.open_chat()
    tab.send("remember me")
    token = tab.token()

    def refuse_next_hello(frame: dict[str, Any], number: int) -> dict[str, Any] | None:
        if frame.get("type") == "hello" and number == 2:
            return {"type": "error", "code": "unavailable", "message": "Try again shortly.", "retry_after": 1}
        return None

    proxy.intercept = refuse_next_hello
    page.reload()
    expect(page.locator("#messages .msg--young_person", has_text="remember me")).to_be_visible(timeout=WAIT_MS)
    expect(page.locator("#connection")).to_have_attribute("data-state", "connected")
    hellos = proxy.frames("hello")
    assert [n for n, _ in hellos] == [1, 2, 3]
    assert hellos[1][1].get("resume") == token and hellos[2][1].get("resume") == token
    assert tab.token() == token


def test_stale_socket_is_checked_with_a_ping_when_back_online(tab: Tab) -> None:
    page = tab.page
    page.clock.install()
    proxy = SocketProxy(page)
    tab.open_chat()
    online = "() => window.dispatchEvent(new Event('online'))"

    # Heard from lately: no ping.
    page.evaluate(online)
    page.wait_for_timeout(200)
    assert proxy.frames("ping") == []

    # Quiet for a while, but alive: a ping, a pong, and the same socket.
    page.clock.fast_forward(31_000)
    page.evaluate(online)
    page.wait_for_timeout(500)
    assert len(proxy.frames("ping")) == 1
    page.clock.fast_forward(6_000)
    page.wait_for_timeout(300)
    assert proxy.connections == 1
    expect(page.locator("#connection")).to_have_attribute("data-state", "connected")

    # Quiet for a while and half-open: the ping goes unanswered, so the page connects again.
    proxy.go_half_open()
    page.clock.fast_forward(31_000)
    page.evaluate("() => document.dispatchEvent(new Event('visibilitychange'))")
    page.wait_for_timeout(500)
    assert len(proxy.frames("ping")) == 2
    page.clock.fast_forward(6_000)
    expect(page.locator("#connection")).to_have_attribute("data-state", "reconnecting")
    page.clock.fast_forward(2_000)
    expect(page.locator("#connection")).to_have_attribute("data-state", "connected", timeout=WAIT_MS)
    assert proxy.connections == 2


class Handler:
    """A call handler at the console (the real console socket), driven from these synchronous
    tests: the console's asyncio code runs on its own event loop in a thread."""

    def __init__(self, live_stack: Any) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.redis = Redis.from_url(live_stack.redis_url, decode_responses=True)
        self.console: ConsoleClient | None = None
        try:
            self.console = self.run(ConsoleClient.sign_in(self.redis, live_stack.gateway_url,
                                                          f"browser-{uuid.uuid4().hex[:8]}"))
        except BaseException:
            self.close()
            raise

    def run(self, coro: Any, timeout: float = 60) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def take(self, conversation_id: str) -> None:
        async def take() -> None:
            assert self.console
            await self.console.queue_with(conversation_id)
            await self.console.do("take", conversation=conversation_id)
            opened = await self.console.expect("conversation", conversation=conversation_id)
            assert opened["mine"]

        self.run(take())

    def do(self, kind: str, **fields: Any) -> None:
        assert self.console
        self.run(self.console.do(kind, **fields))

    def say(self, conversation_id: str, text: str) -> None:
        assert self.console
        self.run(self.console.say(conversation_id, text))

    def expect(self, kind: str, **match: Any) -> dict[str, Any]:
        assert self.console
        return self.run(self.console.expect(kind, **match))

    def close(self) -> None:
        try:
            if self.console:
                self.run(self.console.close())
            self.run(self.redis.aclose())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(10)
            self.loop.close()


@pytest.fixture
def handler(live_stack: Any) -> Iterator[Handler]:
    person = Handler(live_stack)
    try:
        yield person
    finally:
        person.close()


def watch_frames(page: Page) -> list[dict[str, Any]]:
    """Every JSON frame between the page and the gateway, in order, each with `_dir` added:
    "in" from the gateway, "out" from the page."""
    seen: list[dict[str, Any]] = []

    def on_socket(socket: Any) -> None:
        def record(direction: str) -> Any:
            def add(payload: str | bytes) -> None:
                if isinstance(payload, str):
                    seen.append({**json.loads(payload), "_dir": direction})
            return add

        socket.on("framereceived", record("in"))
        socket.on("framesent", record("out"))

    page.on("websocket", on_socket)
    return seen


def conversation_of(frames: list[dict[str, Any]]) -> str:
    welcomes = [f for f in frames if f["_dir"] == "in" and f["type"] == "welcome"]
    assert welcomes, "no welcome yet"
    return str(welcomes[-1]["conversation"])


def queued_and_taken(tab: Tab, handler: Handler, frames: list[dict[str, Any]]) -> str:
    """A RED message queues the conversation at once; the handler takes it. Its id."""
    page = tab.page
    tab.open_chat()
    tab.send("i took all my pills")
    notice = page.locator("#status-notice")
    expect(notice).to_contain_text("in the queue", timeout=WAIT_MS)
    expect(notice).to_contain_text("0800 1111")  # the safety numbers stay in sight while they wait
    # The wait is either estimated from recent waits or honestly not.
    expect(notice).to_contain_text(re.compile(r"The wait is (about \d+ minutes?|usually less than a minute)\."
                                              r"|We can't estimate the wait right now\."))
    conversation_id = conversation_of(frames)
    handler.take(conversation_id)
    expect(notice).to_have_text(re.compile(r"^A helpline worker is with you now\."), timeout=WAIT_MS)
    expect(page.locator("#messages .msg--system[data-event='joined']")).to_be_visible()
    return conversation_id


def test_a_helpline_worker_talks_as_a_person(tab: Tab, handler: Handler) -> None:
    """A crisis is queued and taken: the page says a person is with them, shows the worker
    typing and their message as a person's (text only), and the young person's typing reaches
    the console."""
    page = tab.page
    frames = watch_frames(page)
    conversation_id = queued_and_taken(tab, handler, frames)
    log = page.locator("#messages")

    # The young person typing reaches the worker's console: one typing frame for a quick burst
    # of keys (at most one every 2 s), and only ever {"type": "typing"}.
    page.get_by_role("textbox", name="Your message").press_sequentially("tha")
    handler.expect("typing", conversation=conversation_id, who="young_person")
    typed = [f for f in frames if f["_dir"] == "out" and f["type"] == "typing"]
    assert typed == [{"type": "typing", "_dir": "out"}]
    page.get_by_role("textbox", name="Your message").fill("")

    # The worker typing, then their message: a person's message, as text, never HTML.
    handler.do("typing", conversation=conversation_id)
    typing = page.locator("#typing")
    expect(typing).to_be_visible(timeout=WAIT_MS)
    expect(typing).to_have_text(re.compile(r"The helpline worker is typing…"))
    text = "I'm here with you. " + XSS
    handler.say(conversation_id, text)
    theirs = log.locator(".msg--handler").last
    expect(theirs).to_be_visible(timeout=WAIT_MS)
    expect(theirs.locator(".msg__who")).to_have_text("Helpline worker")
    expect(theirs.locator(".msg__text")).to_have_text(text)
    expect(typing).to_be_hidden()
    expect(log.locator("img")).to_have_count(0)
    expect(log.locator(".msg--bot", has_text=text)).to_have_count(0)

    # The young person answers; it goes to the worker, and the bot stays silent.
    tab.send("thank you")
    item = handler.expect("message", conversation=conversation_id)["item"]
    while item["role"] != "young_person":
        item = handler.expect("message", conversation=conversation_id)["item"]
    assert item["text"] == "thank you"
    bots = log.locator(".msg--bot").count()
    page.wait_for_timeout(1_000)
    expect(log.locator(".msg--bot")).to_have_count(bots)

    # A reload shows the worker's message the same way.
    page.reload()
    expect(log.locator(".msg--handler .msg__text")).to_have_text(text, timeout=WAIT_MS)
    expect(log.locator(".msg--system[data-event='joined']")).to_have_count(1)


def test_closed_by_the_helpline_then_a_new_chat(tab: Tab, handler: Handler) -> None:
    """The worker closes the conversation: the page says it has ended and takes no more
    messages; "Start a new chat" forgets the old token and starts afresh with the bot."""
    page = tab.page
    frames = watch_frames(page)
    conversation_id = queued_and_taken(tab, handler, frames)
    old_token = tab.token()
    log = page.locator("#messages")
    box = page.get_by_role("textbox", name="Your message")
    handler.say(conversation_id, "Take care. I'm going to close this chat now.")
    expect(log.locator(".msg--handler")).to_have_count(1, timeout=WAIT_MS)

    box.fill("a draft")
    handler.do("close", conversation=conversation_id, outcome="advice")
    notice = page.locator("#status-notice")
    expect(notice).to_contain_text("This conversation has ended", timeout=WAIT_MS)
    expect(log.locator(".msg--system[data-event='closed']")).to_be_visible()
    expect(box).to_be_disabled()
    expect(page.get_by_role("button", name="Send")).to_be_disabled()
    new_chat = page.get_by_role("button", name="Start a new chat")
    expect(new_chat).to_be_visible()
    expect(page.get_by_role("button", name="Exit this page")).to_be_visible()

    sent_before = len(frames)
    new_chat.click()
    expect(new_chat).to_be_hidden()
    expect(box).to_be_enabled()
    expect(notice).to_be_hidden()
    expect(log.locator(".msg--handler")).to_have_count(0)
    expect(log.locator(".msg--system")).to_have_count(0)
    expect(log.locator(".msg--young_person")).to_have_count(0)
    expect(log.locator(".msg--bot")).to_have_count(1, timeout=WAIT_MS)  # a new welcome
    token = tab.token()
    assert token and token != old_token
    hellos = [f for f in frames[sent_before:] if f["_dir"] == "out" and f["type"] == "hello"]
    assert hellos == [{"type": "hello", "v": 1, "_dir": "out"}], "a fresh hello, without the old token"
    assert conversation_of(frames) != conversation_id

    tab.send("hello again")
    expect(log.locator(".msg--bot").nth(1)).to_be_visible(timeout=WAIT_MS)  # the bot answers again
