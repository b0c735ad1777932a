"""The call handlers' console in a real browser (Debian's Chromium, headless) against the real
gateway and a real Redis.

A handler signs in through /staff/login and lands on the console; a young person opens the chat
page in another browser and writes something the safety screen reads as RED. The console shows
the RED at once (and makes it hard to miss), the handler takes it, reads the transcript, replies,
and the young person sees the reply. What a young person writes is only ever text on the console.
Handing back, releasing, transferring and closing with an outcome show on the panel; a supervisor
reads a waiting conversation without taking it; a dropped connection comes back by itself with
the conversations the handler holds.

One gateway serves the whole module: it runs in a thread with its own event loop, because
Playwright's sync API cannot share a thread with a running asyncio loop. Rasa points nowhere:
the safety screen, the queue and the console need no bot.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    WebSocket,
    WebSocketRoute,
    expect,
)

from .browser import PASSWORD, Gateway, chromium, threaded_gateway  # noqa: F401  (chromium: a fixture)

WAIT_MS = 10_000
CRISIS = "i took all my pills tonight"  # the safety screen reads this as RED: danger now
XSS = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>'
T = TypeVar("T")

# Stands in for the browser's Notification and counts the beeps, so a test can see both without
# a desktop: records what was shown and whether permission was asked for.
ALERT_PROBE = """
(() => {
  window.__notifications = [];
  window.__permissionAsked = 0;
  window.__beeps = 0;
  let permission = "default";
  function FakeNotification(title, options) {
    window.__notifications.push({title: title, body: options && options.body});
    this.close = () => {};
  }
  Object.defineProperty(FakeNotification, "permission", {get: () => permission});
  FakeNotification.requestPermission = () => {
    window.__permissionAsked += 1;
    permission = "granted";
    return Promise.resolve(permission);
  };
  window.Notification = FakeNotification;
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function () {
    window.__beeps += 1;
    return start.apply(this, arguments);
  };
})();
"""


# ---------------------------------------------------------------- the gateway, once per module


@pytest.fixture(scope="module")
def gateway(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateway]:
    with threaded_gateway(redis_url, Path(tmp_path_factory.mktemp("console"))) as server:
        yield server


# ---------------------------------------------------------------- pages


@dataclass
class Window:
    """One browser context with one page, and everything that went wrong in it."""

    context: BrowserContext
    page: Page
    url: str
    problems: list[str] = field(default_factory=list)

    def watch(self) -> None:
        def console(msg: ConsoleMessage) -> None:
            # CSP violations (inline styles or scripts) and script errors are console errors.
            if msg.type in ("error", "warning") and not msg.location.get("url", "").endswith("/favicon.ico"):
                self.problems.append(f"console {msg.type}: {msg.text}")

        self.page.on("console", console)
        self.page.on("pageerror", lambda exc: self.problems.append(f"page error: {exc}"))
        self.page.on("dialog", lambda d: (self.problems.append(f"dialog: {d.message}"), d.dismiss()))


class YoungPerson(Window):
    conversation: str = ""

    def open_chat(self) -> None:
        def on_socket(ws: WebSocket) -> None:
            def frame(payload: str | bytes) -> None:
                data = json.loads(payload)
                if data.get("type") == "welcome":
                    self.conversation = data["conversation"]

            ws.on("framereceived", frame)

        self.page.on("websocket", on_socket)
        self.page.goto(self.url + "/")
        expect(self.page.locator("#messages .msg--bot").first).to_be_visible(timeout=WAIT_MS)
        assert self.conversation

    def send(self, text: str) -> None:
        box = self.page.get_by_role("textbox", name="Your message")
        box.fill(text)
        box.press("Enter")
        mine = self.page.locator("#messages .msg--young_person", has_text=text).last
        expect(mine).to_have_attribute("data-state", "sent", timeout=WAIT_MS)


class Handler(Window):
    def sign_in(self, name: str) -> None:
        page = self.page
        page.goto(self.url + "/staff/login")
        page.get_by_label("Name").fill(name)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(self.url + "/console/")
        expect(page.locator("#connection")).to_have_attribute("data-state", "connected", timeout=WAIT_MS)

    def row(self, conversation: str) -> Any:
        return self.page.locator(f'#queue .qitem[data-conversation="{conversation}"]')

    def panel(self, conversation: str) -> Any:
        return self.page.locator(f'.panel[data-conversation="{conversation}"]')

    def take(self, conversation: str) -> Any:
        row = self.row(conversation)
        expect(row).to_be_visible(timeout=WAIT_MS)
        row.get_by_role("button", name=re.compile(r"^Take ")).click()
        panel = self.panel(conversation)
        expect(panel).to_be_visible(timeout=WAIT_MS)
        expect(panel).to_have_attribute("data-mine", "true")
        expect(panel).to_have_attribute("data-active", "true")
        return panel


@pytest.fixture
def windows(chromium: Browser, gateway: Gateway) -> Iterator[Any]:
    opened: list[Window] = []

    def open_window(kind: type[Window], viewport: dict[str, int], probe: bool = False) -> Any:
        context = chromium.new_context(viewport=viewport, locale="en-GB")  # type: ignore[arg-type]
        if probe:
            context.add_init_script(ALERT_PROBE)
        window = kind(context, context.new_page(), gateway.url)
        window.watch()
        opened.append(window)
        return window

    yield open_window
    for window in opened:
        window.context.close()
    problems = [p for window in opened for p in window.problems]
    assert problems == []


def handler_window(windows: Any, gateway: Gateway, name: str, role: str = "handler", probe: bool = False) -> Handler:
    gateway.add_staff(name, role)
    window: Handler = windows(Handler, {"width": 1400, "height": 1000}, probe)
    window.sign_in(name)
    return window


def young_person_window(windows: Any) -> YoungPerson:
    window: YoungPerson = windows(YoungPerson, {"width": 390, "height": 844})
    window.open_chat()
    return window


# ---------------------------------------------------------------- tests


def test_a_handler_takes_a_red_and_replies(windows: Any, gateway: Gateway) -> None:
    handler = handler_window(windows, gateway, "alice", probe=True)
    console = handler.page
    expect(console.locator("html")).to_have_attribute("lang", "en-GB")
    expect(console.locator("header")).to_contain_text("Signed in as alice")
    expect(console.get_by_role("button", name="Take next")).to_be_disabled()
    expect(console.get_by_role("link", name="Canned replies")).to_be_hidden()  # supervisors only
    # Desktop alerts are asked for only when the handler presses the button.
    assert console.evaluate("window.__permissionAsked") == 0
    console.get_by_role("button", name="Allow desktop alerts").click()
    expect(console.locator("#notify-status")).to_have_text("Desktop alerts on")
    assert console.evaluate("window.__permissionAsked") == 1

    young = young_person_window(windows)
    young.send(CRISIS)

    # The RED is in the queue, first, in words as well as colour, with what the screen matched.
    row = handler.row(young.conversation)
    expect(row).to_be_visible(timeout=WAIT_MS)
    expect(row).to_have_attribute("data-level", "RED")
    expect(row.locator(".level")).to_contain_text("RED")
    expect(row.locator(".qitem__preview")).to_contain_text(CRISIS)
    expect(row.locator(".qitem__wait")).to_contain_text("Waiting")
    expect(row.locator(".facts")).to_contain_text("Matched")
    expect(console.locator("#queue .qitem").first).to_have_attribute("data-level", "RED")
    expect(console.get_by_role("button", name="Take next")).to_be_enabled()
    expect(row.get_by_role("button", name=re.compile("^View "))).to_be_hidden()  # supervisors only

    # Hard to miss: a banner, the title flashing, beeps, a desktop notification.
    expect(console.locator("#red-alert")).to_be_visible()
    expect(console).to_have_title("RED waiting", timeout=3_000)
    console.wait_for_function("window.__beeps >= 3", timeout=3_000)
    notifications = console.evaluate("window.__notifications")
    assert [n["title"] for n in notifications] == ["RED waiting"]
    assert CRISIS not in notifications[0]["body"]  # nothing the young person wrote on the desktop

    # The waiting time ticks on the page, and never goes back when the queue is sent again.
    def waited() -> int:
        text = row.locator(".qitem__wait").text_content() or ""
        return int(re.fullmatch(r"Waiting (\d+) s", text).group(1))  # type: ignore[union-attr]

    before = waited()
    console.wait_for_timeout(1_500)
    assert waited() > before

    panel = handler.take(young.conversation)
    expect(console.locator("#red-alert")).to_be_hidden()
    expect(console).to_have_title(re.compile("^Console"))
    expect(row).to_have_count(0)
    expect(console.locator("#held-count")).to_have_text("1")

    # The whole transcript: the young person's message with its risk, and the bot's answers.
    said = panel.locator(".tmsg--young_person", has_text=CRISIS)
    expect(said).to_be_visible()
    expect(said.locator(".tmsg__who")).to_contain_text("Young person")
    expect(said.locator(".level")).to_contain_text("RED")
    expect(panel.locator(".tmsg--bot").first).to_contain_text("Bot")
    expect(young.page.locator("#status-notice")).to_contain_text("is with you now", timeout=WAIT_MS)

    reply = "Hi, I'm Alice from the helpline. Are you somewhere safe right now?"
    box = panel.get_by_label("Your reply to the young person")
    expect(box).to_be_focused()
    box.fill(reply)
    box.press("Enter")
    expect(box).to_have_value("")
    mine = panel.locator(".tmsg--mine", has_text=reply)
    expect(mine).to_have_count(1)
    expect(mine).to_have_attribute("data-state", re.compile("^(sent|delivered)$"), timeout=WAIT_MS)
    expect(young.page.locator("#messages .msg--handler", has_text=reply)).to_be_visible(timeout=WAIT_MS)
    expect(mine).to_have_attribute("data-state", "delivered", timeout=WAIT_MS)
    expect(mine).to_have_count(1)  # the ack and the message frame make one message, not two

    # Shift+Enter is a new line, not a send; while the handler types, the young person sees it.
    box.press_sequentially("line one")
    box.press("Shift+Enter")
    box.press_sequentially("line two")
    expect(box).to_have_value("line one\nline two")
    expect(young.page.locator("#typing")).to_contain_text("helpline worker is typing", timeout=WAIT_MS)
    box.fill("")

    # The young person typing shows on the console, and their message arrives live.
    young.page.get_by_role("textbox", name="Your message").press_sequentially("yes im")
    typing = panel.locator(".typing")
    expect(typing).to_be_visible(timeout=WAIT_MS)
    expect(typing).to_have_text("Young person is typing…")
    young.page.get_by_role("textbox", name="Your message").fill("")
    young.send("yes im at home")
    expect(panel.locator(".tmsg--young_person", has_text="yes im at home")).to_be_visible(timeout=WAIT_MS)
    expect(typing).to_be_hidden()
    expect(panel.locator(".tmsg--mine")).to_have_count(1)

    # A canned reply fills the box, to be edited before it is sent.
    panel.locator(".canned summary").click()
    first = panel.locator(".canned__item").first
    expect(first).to_be_visible()
    canned_text = first.locator(".canned__text").text_content()
    first.locator(".canned__use").click()
    expect(box).to_have_value(canned_text or "")
    expect(box).to_be_focused()
    expect(panel.locator(".tmsg--mine")).to_have_count(1)  # not sent by itself


def test_what_a_young_person_writes_is_only_text_on_the_console(windows: Any, gateway: Gateway) -> None:
    handler = handler_window(windows, gateway, "bea")
    console = handler.page
    young = young_person_window(windows)
    young.send(CRISIS)
    young.send(XSS)

    row = handler.row(young.conversation)
    expect(row).to_be_visible(timeout=WAIT_MS)
    expect(row.locator(".qitem__preview")).to_contain_text("window.__pwned=1", timeout=WAIT_MS)
    panel = handler.take(young.conversation)
    said = panel.locator(".tmsg--young_person .tmsg__text", has_text="onerror")
    expect(said).to_have_text(XSS)

    # A note with markup in it is text too.
    note = "<b>bold</b> <img src=x onerror=window.__pwned=2>"
    panel.get_by_label("Add a note").fill(note)
    panel.get_by_role("button", name="Add note").click()
    expect(panel.locator(".note .note__text")).to_have_text([note], timeout=WAIT_MS)
    expect(panel.get_by_label("Add a note")).to_have_value("")

    expect(console.locator("main img, main script, main b")).to_have_count(0)
    assert console.evaluate("typeof window.__pwned") == "undefined"
    assert young.page.evaluate("typeof window.__pwned") == "undefined"


def test_hand_back_then_close_with_an_outcome(windows: Any, gateway: Gateway) -> None:
    handler = handler_window(windows, gateway, "carol")
    console = handler.page
    young = young_person_window(windows)
    young.send(CRISIS)

    panel = handler.take(young.conversation)
    panel.get_by_role("button", name="Hand back to bot").click()
    notice = panel.locator(".panel__notice")
    expect(notice).to_be_visible(timeout=WAIT_MS)
    expect(notice).to_contain_text("back to the bot")
    expect(notice).to_contain_text("no longer yours")
    expect(panel).to_have_attribute("data-active", "false")
    expect(panel.get_by_label("Your reply to the young person")).to_be_disabled()
    expect(panel.get_by_role("button", name="Hand back to bot")).to_be_disabled()
    expect(console.locator("#held-count")).to_have_text("0")

    # Danger again: back in the queue, taken again into the same panel.
    young.send(CRISIS)
    panel = handler.take(young.conversation)
    expect(notice).to_be_hidden()
    expect(panel.locator(".tmsg--young_person", has_text=CRISIS)).to_have_count(2)

    # Released: back in the queue for someone else, and the panel says so.
    panel.get_by_role("button", name="Release to queue").click()
    expect(notice).to_contain_text("released this conversation to the queue", timeout=WAIT_MS)
    expect(panel).to_have_attribute("data-active", "false")
    expect(handler.row(young.conversation)).to_have_attribute("data-level", "RED", timeout=WAIT_MS)
    panel = handler.take(young.conversation)

    outcome = panel.get_by_label("Outcome")
    choices = [o for o in outcome.locator("option").all_text_contents() if o != "Choose an outcome"]
    assert choices, "hello gave no outcomes"
    panel.get_by_role("button", name="Close conversation…").click()
    expect(console.locator("#errors")).to_contain_text("Choose an outcome")
    expect(panel).to_have_attribute("data-active", "true")  # nothing closed without an outcome

    outcome.select_option(label=choices[0])
    panel.get_by_role("button", name="Close conversation…").click()
    confirm = panel.get_by_role("group", name="Confirm closing")
    expect(confirm).to_contain_text(choices[0])
    confirm.get_by_role("button", name="Cancel").click()
    expect(confirm).to_be_hidden()
    expect(panel).to_have_attribute("data-active", "true")

    panel.get_by_role("button", name="Close conversation…").click()
    confirm.get_by_role("button", name="Yes, close it").click()
    expect(notice).to_contain_text(f"Closed with the outcome “{choices[0]}”", timeout=WAIT_MS)
    expect(panel).to_have_attribute("data-active", "false")
    expect(panel.get_by_label("Your reply to the young person")).to_be_disabled()
    expect(young.page.locator("#status-notice")).to_contain_text("has ended", timeout=WAIT_MS)

    panel.get_by_role("button", name="Close this tab").click()
    expect(panel).to_have_count(0)
    expect(console.locator("#work-empty")).to_be_visible()

    # Signing out works from the console as from any staff page (the form carries its CSRF token).
    console.get_by_role("button", name="Sign out").click()
    console.wait_for_url(handler.url + "/staff/login")


def test_a_supervisor_reads_a_waiting_conversation_without_taking_it(windows: Any, gateway: Gateway) -> None:
    supervisor = handler_window(windows, gateway, "dana", role="supervisor")
    console = supervisor.page
    expect(console.get_by_role("link", name="Canned replies")).to_be_visible()
    young = young_person_window(windows)
    young.send(CRISIS)

    row = supervisor.row(young.conversation)
    expect(row).to_be_visible(timeout=WAIT_MS)
    row.get_by_role("button", name=re.compile("^View ")).click()
    panel = supervisor.panel(young.conversation)
    expect(panel).to_be_visible(timeout=WAIT_MS)
    expect(panel).to_have_attribute("data-mine", "false")
    expect(panel.locator(".panel__readonly")).to_be_visible()
    expect(panel.locator(".tmsg--young_person", has_text=CRISIS)).to_be_visible()
    expect(panel.get_by_label("Your reply to the young person")).to_be_hidden()
    expect(panel.get_by_role("button", name="Hand back to bot")).to_be_hidden()
    expect(row).to_be_visible()  # still waiting: reading is not taking
    expect(console.locator("#held-count")).to_have_text("0")

    # A supervisor reading it may leave a note.
    panel.get_by_label("Add a note").fill("Checked the wording: RED is right.")
    panel.get_by_role("button", name="Add note").click()
    expect(panel.locator(".note")).to_have_count(1, timeout=WAIT_MS)

    # Taking it turns the same panel into one they can write in.
    row.get_by_role("button", name=re.compile("^Take ")).click()
    expect(panel).to_have_attribute("data-mine", "true", timeout=WAIT_MS)
    expect(panel.get_by_label("Your reply to the young person")).to_be_enabled()
    expect(console.locator("#held-count")).to_have_text("1")


def test_after_a_dropped_connection_the_console_comes_back_with_its_conversations(
        windows: Any, gateway: Gateway) -> None:
    gateway.add_staff("erin", "handler")
    handler: Handler = windows(Handler, {"width": 1400, "height": 1000})
    sockets: list[tuple[WebSocketRoute, Any]] = []

    def through(route: WebSocketRoute) -> None:
        sockets.append((route, route.connect_to_server()))  # frames pass through untouched

    handler.page.route_web_socket(re.compile(r"/console/ws$"), through)
    handler.sign_in("erin")
    console = handler.page
    young = young_person_window(windows)
    young.send(CRISIS)
    panel = handler.take(young.conversation)
    box = panel.get_by_label("Your reply to the young person")
    box.fill("I'm here with you.")
    box.press("Enter")
    expect(panel.locator(".tmsg--mine")).to_have_attribute("data-state", "delivered", timeout=WAIT_MS)
    said = panel.locator(".tmsg").count()

    # The connection drops (both ends): the console says so and comes back by itself.
    page_end, server_end = sockets[-1]
    server_end.close()
    page_end.close(code=1011, reason="test")
    expect(console.locator("#connection")).to_have_attribute("data-state", "reconnecting", timeout=WAIT_MS)
    expect(console.locator("#connection")).to_have_attribute("data-state", "connected", timeout=WAIT_MS)
    assert len(sockets) == 2

    # The conversation it holds is sent again: the same panel, still theirs, nothing twice.
    expect(panel).to_have_attribute("data-active", "true")
    expect(panel.locator(".tmsg")).to_have_count(said)
    expect(panel.locator(".tmsg--mine")).to_have_attribute("data-state", "delivered")
    young.send("are you still there")
    expect(panel.locator(".tmsg--young_person", has_text="are you still there")).to_be_visible(timeout=WAIT_MS)
    console.wait_for_timeout(8_500)  # past the wait for held conversations to be sent again
    expect(panel).to_have_attribute("data-active", "true")
    expect(console.locator("#held-count")).to_have_text("1")


def test_a_transfer_moves_the_conversation_to_a_colleague(windows: Any, gateway: Gateway) -> None:
    gateway.add_staff("gina", "handler")
    frank = handler_window(windows, gateway, "frank")
    gina: Handler = windows(Handler, {"width": 1400, "height": 1000})
    gina.sign_in("gina")
    young = young_person_window(windows)
    young.send(CRISIS)

    panel = frank.take(young.conversation)
    panel.get_by_label("Transfer to").select_option("gina")
    panel.get_by_role("button", name="Transfer").click()
    expect(panel.locator(".panel__notice")).to_contain_text("Transferred to gina", timeout=WAIT_MS)
    expect(panel).to_have_attribute("data-active", "false")

    theirs = gina.panel(young.conversation)
    expect(theirs).to_have_attribute("data-mine", "true", timeout=WAIT_MS)
    expect(theirs.locator(".tmsg--young_person", has_text=CRISIS)).to_be_visible()
    expect(gina.page.locator("#held-count")).to_have_text("1")
