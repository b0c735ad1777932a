/* The young person's chat page: quick exit, and a client for the chat protocol, version 1
   (docs/protocol.md).

   Rules this file keeps:
   - Everything anyone wrote is put on the page with textContent, never as HTML.
   - The resume token lives in sessionStorage only (never localStorage or cookies).
   - Nothing anyone wrote is logged to the console.
   - While a helpline worker (a person) is with the young person, the page says so plainly, and
     never dresses the bot up as a person or a person as the bot.
*/
(function () {
  "use strict";

  // Shared helpers (common.js, loaded first). Taken before anything else, so that if it is
  // missing the script stops here, with no handler half set up: the quick exit is then a
  // plain link, which still leaves.
  var common = window.HelplineCommon;
  var str = common.str;
  var make = common.make;
  var clearChildren = common.clearChildren;
  var newClientId = common.newClientId;

  var RESUME_KEY = "helpline.resume";
  var PROTOCOL_VERSION = 1;
  var BACKOFF_MS = [1000, 2000, 5000, 10000];
  var WELCOME_TIMEOUT_MS = 10000;
  var TYPING_TIMEOUT_MS = 15000;
  var HANDLER_TYPING_TIMEOUT_MS = 6000;  // the worker's "typing" fades without another frame
  var TYPING_SEND_MS = 2000;     // the young person's typing frames: at most one per 2 s
  var ACK_TIMEOUT_MS = 8000;     // a message not acked by then: the socket is taken for dead
  var STALE_MS = 30000;          // nothing from the server for this long: check with a ping
  var PONG_TIMEOUT_MS = 5000;    // no answer to that ping by then: the socket is taken for dead
  var MAX_RETRY_AFTER_S = 60;    // never wait longer than this, whatever retry_after says
  var SHIFT_WINDOW_MS = 1000;  // each Shift press must follow the last within this time
  var FALLBACK_EXIT_URL = "https://www.bbc.co.uk/weather";
  var MAX_CHARS = 2000;

  var ROLE_LABELS = {
    young_person: "You",
    bot: "Chat bot",
    handler: "Helpline worker",
    system: "Note"
  };

  // ---------------------------------------------------------------- elements

  var doc = document;
  var els = {
    exit: doc.getElementById("quick-exit"),
    exitStatus: doc.getElementById("exit-status"),
    connection: doc.getElementById("connection"),
    connectionText: doc.getElementById("connection-text"),
    messages: doc.getElementById("messages"),
    typing: doc.getElementById("typing"),
    typingText: doc.getElementById("typing-text"),
    statusNotice: doc.getElementById("status-notice"),
    newChat: doc.getElementById("new-chat"),
    composer: doc.getElementById("composer"),
    input: doc.getElementById("message-input"),
    send: doc.getElementById("send-button")
  };

  doc.documentElement.classList.remove("no-js");

  // ---------------------------------------------------------------- storage (session only)

  function getToken() {
    try {
      return window.sessionStorage.getItem(RESUME_KEY) || "";
    } catch (e) {
      return "";
    }
  }

  function setToken(token) {
    try {
      if (typeof token === "string" && token) {
        window.sessionStorage.setItem(RESUME_KEY, token);
      }
    } catch (e) {
      /* storage turned off: the chat still works, it just cannot resume after a reload */
    }
  }

  function dropToken() {
    try {
      window.sessionStorage.removeItem(RESUME_KEY);
    } catch (e) {
      /* nothing stored */
    }
  }

  // ---------------------------------------------------------------- quick exit

  var exiting = false;

  function exitUrl() {
    var meta = doc.querySelector('meta[name="quick-exit-url"]');
    var raw = meta ? meta.getAttribute("content") : "";
    try {
      var url = new URL(raw);
      if (url.protocol === "https:" || url.protocol === "http:") {
        return url.href;
      }
    } catch (e) {
      /* the page was not served by the gateway, or the URL is broken */
    }
    return FALLBACK_EXIT_URL;
  }

  function quickExit(event) {
    if (event) {
      event.preventDefault();
    }
    if (exiting) {
      return;
    }
    exiting = true;
    // Hide everything at once, then forget the conversation, then leave without a history entry.
    doc.documentElement.classList.add("exiting");
    try {
      window.sessionStorage.clear();
    } catch (e) {
      /* nothing stored */
    }
    clearTimeout(reconnectTimer);
    clearTimeout(welcomeTimer);
    clearTimeout(typingTimer);
    clearTimeout(pingTimer);
    outbox.forEach(function (entry) {
      clearTimeout(entry.timer);
      clearTimeout(entry.ackTimer);
    });
    outbox.clear();
    detachSocket();
    clearChildren(els.messages);
    els.input.value = "";
    els.statusNotice.textContent = "";
    doc.title = "Loading";
    window.location.replace(exitUrl());
  }

  els.exit.addEventListener("click", quickExit);
  // It is a link with role="button", so Space must work as it does on a button.
  els.exit.addEventListener("keydown", function (event) {
    if (event.key === " " || event.key === "Spacebar") {
      quickExit(event);
    }
  });

  // Shift pressed three times in a row, each within a second of the last. A Shift used with
  // another key (a capital letter, Shift+Enter for a new line) does not count.
  var shiftPresses = 0;
  var shiftTimer = null;
  var lastKeyWasModified = false;

  function showShiftPresses() {
    if (shiftPresses > 0) {
      els.exit.setAttribute("data-presses", String(shiftPresses));
      var left = 3 - shiftPresses;
      els.exitStatus.textContent = left > 0
        ? "Shift, press " + left + " more " + (left === 1 ? "time" : "times") + " to exit."
        : "";
    } else {
      els.exit.removeAttribute("data-presses");
      els.exitStatus.textContent = "";
    }
  }

  function resetShift() {
    clearTimeout(shiftTimer);
    shiftTimer = null;
    if (shiftPresses) {
      shiftPresses = 0;
      showShiftPresses();
    }
  }

  doc.addEventListener("keyup", function (event) {
    if (event.key === "Shift" && !lastKeyWasModified) {
      shiftPresses += 1;
      showShiftPresses();
      clearTimeout(shiftTimer);
      if (shiftPresses >= 3) {
        shiftPresses = 0;
        quickExit();
        return;
      }
      shiftTimer = setTimeout(resetShift, SHIFT_WINDOW_MS);
    } else if (event.key !== "Shift") {
      resetShift();
    }
    lastKeyWasModified = event.shiftKey;
  }, true);

  // ---------------------------------------------------------------- helpers

  function nearBottom() {
    var root = doc.documentElement;
    return root.scrollHeight - (window.scrollY + window.innerHeight) < 160;
  }

  function scrollToEnd() {
    window.scrollTo(0, doc.documentElement.scrollHeight);
  }

  // ---------------------------------------------------------------- rendering

  var renderedIds = new Set();         // server ids already on the page
  var renderedClientIds = new Map();   // client_id -> element, for the young person's messages
  var payloadTitles = new Map();       // button payload -> its title, to show "Talk to a person"

  function displayText(role, text) {
    // A tapped button sends its payload (e.g. "/ask_for_person"); show the button's title.
    if (role === "young_person" && payloadTitles.has(text)) {
      return payloadTitles.get(text);
    }
    return text;
  }

  function messageShell(role) {
    var known = Object.prototype.hasOwnProperty.call(ROLE_LABELS, role) ? role : "system";
    var item = make("div", "msg msg--" + known);
    item.setAttribute("data-role", known);
    var who = make("p", "msg__who", ROLE_LABELS[known]);
    if (known === "young_person" || known === "system") {
      who.className = "msg__who visually-hidden";
    }
    var bubble = make("div", "msg__bubble");
    item.appendChild(who);
    item.appendChild(bubble);
    return { item: item, bubble: bubble };
  }

  function addText(bubble, text) {
    if (text) {
      bubble.appendChild(make("p", "msg__text", text));
    }
  }

  function renderButtons(bubble, buttons) {
    if (!Array.isArray(buttons) || !buttons.length) {
      return;
    }
    var list = make("ul", "choices");
    list.setAttribute("aria-label", "Quick replies");
    buttons.forEach(function (button) {
      if (!button || !str(button.title)) {
        return;
      }
      var title = str(button.title);
      var payload = str(button.payload) || title;
      payloadTitles.set(payload, title);
      var li = make("li");
      var btn = make("button", "choice", title);
      btn.type = "button";
      btn.disabled = ended;
      btn.addEventListener("click", function () {
        sendMessage(payload, title);
      });
      li.appendChild(btn);
      list.appendChild(li);
    });
    if (list.firstChild) {
      bubble.appendChild(list);
    }
  }

  function safeWebsite(raw) {
    try {
      var url = new URL(raw);
      if (url.protocol === "https:" || url.protocol === "http:") {
        return url;
      }
    } catch (e) {
      /* not a usable address */
    }
    return null;
  }

  function dialable(number) {
    return str(number).replace(/[^0-9+]/g, "");
  }

  function actionLink(list, href, text, extraLabel) {
    var li = make("li");
    var a = make("a", "", text);
    a.href = href;
    if (extraLabel) {
      a.appendChild(make("span", "visually-hidden", extraLabel));
    }
    li.appendChild(a);
    list.appendChild(li);
    return a;
  }

  function renderResources(bubble, resources) {
    if (!Array.isArray(resources) || !resources.length) {
      return;
    }
    var list = make("ul", "resources");
    list.setAttribute("aria-label", "Places that can help");
    resources.forEach(function (r) {
      if (!r || !str(r.name)) {
        return;
      }
      var card = make("li", "resource");
      if (str(r.id)) {
        card.setAttribute("data-resource-id", r.id);
      }
      var head = make("div", "resource__head");
      head.appendChild(make("h3", "resource__name", r.name));
      if (r.open_now === true) {
        head.appendChild(make("span", "resource__open", "Open now"));
      }
      card.appendChild(head);
      if (str(r.description)) {
        card.appendChild(make("p", "resource__desc", r.description));
      }
      if (str(r.hours)) {
        card.appendChild(make("p", "resource__hours", "Hours: " + r.hours));
      }
      var actions = make("ul", "resource__actions");
      var phone = dialable(r.phone);
      if (phone) {
        actionLink(actions, "tel:" + phone, "Call " + r.phone, " (" + r.name + ")");
      }
      var sms = dialable(r.text_number);
      if (sms) {
        var keyword = str(r.text_keyword).trim();
        var href = "sms:" + sms + (keyword ? "?body=" + encodeURIComponent(keyword) : "");
        var label = keyword ? "Text " + keyword + " to " + r.text_number : "Text " + r.text_number;
        actionLink(actions, href, label, " (" + r.name + ")");
      }
      var site = safeWebsite(str(r.website));
      if (site) {
        var a = actionLink(actions, site.href, "Website", " (" + r.name + ", opens in a new tab)");
        a.target = "_blank";
        a.rel = "noopener noreferrer";
      }
      if (actions.firstChild) {
        card.appendChild(actions);
      }
      list.appendChild(card);
    });
    if (list.firstChild) {
      bubble.appendChild(list);
    }
  }

  function appendToLog(node) {
    var stick = nearBottom();
    els.messages.appendChild(node);
    return stick;
  }

  function renderOther(item) {
    // A message from the bot, a helpline worker, or a notice about the conversation (system).
    var id = str(item.id);
    if (id && renderedIds.has(id)) {
      return null;
    }
    var shell = messageShell(str(item.role) || "bot");
    if (id) {
      renderedIds.add(id);
      shell.item.setAttribute("data-id", id);
    }
    addText(shell.bubble, str(item.text));
    renderButtons(shell.bubble, item.buttons);
    renderResources(shell.bubble, item.resources);
    if (item.fallback === true) {
      shell.item.setAttribute("data-fallback", "true");
    }
    if (str(item.event)) {
      shell.item.setAttribute("data-event", item.event);
    }
    if (appendToLog(shell.item)) {
      scrollToEnd();
    }
    return shell.item;
  }

  function setMessageState(entry, state, note, action) {
    entry.state = state;
    var el = entry.el;
    el.setAttribute("data-state", state);
    var meta = el.querySelector(".msg__meta");
    clearChildren(meta);
    var stateText = {
      sending: "Sending…", waiting: "Waiting…", retrying: "Trying again…", sent: "Sent", failed: "Not sent"
    }[state];
    meta.appendChild(make("span", "msg__state", stateText));
    if (note) {
      meta.appendChild(make("span", "msg__note", note));
    }
    if (action) {
      var btn = make("button", "msg__retry", action.label);
      btn.type = "button";
      btn.addEventListener("click", action.run);
      meta.appendChild(btn);
    }
  }

  function renderYoungPerson(text, clientId, state, id) {
    var shell = messageShell("young_person");
    addText(shell.bubble, displayText("young_person", text));
    if (clientId) {
      shell.item.setAttribute("data-client-id", clientId);
      renderedClientIds.set(clientId, shell.item);
    }
    if (id) {
      renderedIds.add(id);
      shell.item.setAttribute("data-id", id);
    }
    var meta = make("p", "msg__meta");
    shell.item.appendChild(meta);
    shell.item.setAttribute("data-state", state);
    meta.appendChild(make("span", "msg__state", state === "sent" ? "Sent" : "Sending…"));
    appendToLog(shell.item);
    return shell.item;
  }

  // ---------------------------------------------------------------- sending

  // client_id -> {clientId, text, el, state, timer, ackTimer}, until acked. `timer` waits to send
  // again (rate_limited, unavailable); `ackTimer` waits for the ack on the socket it went out on.
  var outbox = new Map();

  function canSend() {
    return ws && ready && ws.readyState === WebSocket.OPEN;
  }

  function transmit(entry) {
    clearTimeout(entry.timer);
    entry.timer = null;
    clearTimeout(entry.ackTimer);
    entry.ackTimer = null;
    if (entry.state !== "sending") {
      setMessageState(entry, "sending");
    }
    if (canSend()) {
      var sock = ws;
      sock.send(JSON.stringify({ type: "message", client_id: entry.clientId, text: entry.text }));
      // A half-open socket takes the frame and says nothing: no ack in time means it is dead.
      // The message is sent again, with the same client_id, after the next welcome.
      entry.ackTimer = setTimeout(function () {
        entry.ackTimer = null;
        if (sock === ws && outbox.get(entry.clientId) === entry) {
          dropSocket();
        }
      }, ACK_TIMEOUT_MS);
    }
    // Otherwise it goes when the next welcome arrives.
  }

  function clearAckTimers() {
    outbox.forEach(function (entry) {
      clearTimeout(entry.ackTimer);
      entry.ackTimer = null;
    });
  }

  function sendMessage(text, shown) {
    if (exiting || ended) {
      return;  // a closed conversation takes no more messages: "Start a new chat" first
    }
    text = text.trim();
    if (!text) {
      return;
    }
    var clientId = newClientId();
    var el = renderYoungPerson(shown || text, clientId, "sending");
    var entry = { clientId: clientId, text: text, el: el, state: "sending", timer: null, ackTimer: null };
    outbox.set(clientId, entry);
    scrollToEnd();
    transmit(entry);
  }

  function flushOutbox() {
    outbox.forEach(function (entry) {
      // Keep the page in conversation order: unsent messages go after what the server has.
      els.messages.appendChild(entry.el);
      if (entry.state === "sending") {
        transmit(entry);
      }
    });
  }

  function retryAction(entry) {
    return {
      label: "Try again",
      run: function () {
        transmit(entry);
      }
    };
  }

  function editAction(entry) {
    return {
      label: "Edit",
      run: function () {
        clearTimeout(entry.timer);
        clearTimeout(entry.ackTimer);
        outbox.delete(entry.clientId);
        renderedClientIds.delete(entry.clientId);
        if (entry.el.parentNode) {
          entry.el.parentNode.removeChild(entry.el);
        }
        els.input.value = entry.text.slice(0, MAX_CHARS);
        autoGrow();
        els.input.focus();
      }
    };
  }

  els.composer.addEventListener("submit", function (event) {
    event.preventDefault();
    if (ended) {
      return;
    }
    var text = els.input.value;
    if (!text.trim()) {
      els.input.focus();
      return;
    }
    els.input.value = "";
    autoGrow();
    sendMessage(text);
    els.input.focus();
  });

  els.input.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.shiftKey || event.isComposing || event.keyCode === 229) {
      return;
    }
    event.preventDefault();
    if (typeof els.composer.requestSubmit === "function") {
      els.composer.requestSubmit();
    } else {
      els.send.click();
    }
  });

  // Grow the box with what is typed, where CSS field-sizing is not supported.
  var cssGrows = window.CSS && CSS.supports && CSS.supports("field-sizing", "content");

  function autoGrow() {
    if (cssGrows) {
      return;
    }
    els.input.style.height = "auto";
    els.input.style.height = els.input.scrollHeight + 4 + "px";
  }

  els.input.addEventListener("input", autoGrow);

  // While a person is waited for or with them, they see that the young person is typing. Never
  // while the bot is answering: the bot does not need it, and nobody else is reading.
  var typingSentAt = 0;

  function sendTyping() {
    if (convState !== "queued" && convState !== "with_handler") {
      return;
    }
    if (!canSend() || !els.input.value.trim()) {
      return;
    }
    var now = Date.now();
    if (now - typingSentAt < TYPING_SEND_MS && now >= typingSentAt) {
      return;
    }
    typingSentAt = now;
    try {
      ws.send(JSON.stringify({ type: "typing" }));
    } catch (e) {
      /* the close event follows */
    }
  }

  els.input.addEventListener("input", sendTyping);

  // ---------------------------------------------------------------- connection

  var ws = null;
  var ready = false;           // true once welcome has arrived on this socket
  var attempt = 0;
  var reconnectTimer = null;
  var welcomeTimer = null;
  var typingTimer = null;
  var pingTimer = null;        // waiting for any frame after a ping
  var lastFrameAt = 0;         // when the current socket last heard from the server
  var conversationId = "";
  var connectionState = "";

  function setConnection(state) {
    if (state === connectionState) {
      return;
    }
    connectionState = state;
    els.connection.setAttribute("data-state", state);
    els.connectionText.textContent = {
      connecting: "Connecting…",
      connected: "Connected",
      reconnecting: "Connection lost. Trying again…",
      stopped: "Please reload the page"
    }[state];
  }

  function scheduleReconnect(minDelay) {
    if (exiting) {
      return;
    }
    clearTimeout(reconnectTimer);
    var delay = Math.max(BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)], minDelay || 0);
    attempt += 1;
    setConnection("reconnecting");
    reconnectTimer = setTimeout(connect, delay);
  }

  function closeSocket() {
    // Close on purpose and come back (with or without the token, as storage now says).
    if (ws) {
      try {
        ws.close(1000);
      } catch (e) {
        /* already closing */
      }
    }
  }

  function socketGone() {
    // What every way of losing the current socket has in common.
    ws = null;
    ready = false;
    clearTimeout(welcomeTimer);
    clearTimeout(pingTimer);
    pingTimer = null;
    clearAckTimers();
    hideTyping();
  }

  function detachSocket() {
    // Forget the current socket at once, without waiting for a close event that a half-open
    // connection may never deliver.
    if (!ws) {
      return;
    }
    var sock = ws;
    socketGone();
    common.silenceAndClose(sock);
  }

  function dropSocket(minDelay) {
    // The socket is dead or the server asked us to come back later: reconnect with backoff.
    detachSocket();
    scheduleReconnect(minDelay);
  }

  function connect() {
    if (exiting) {
      return;
    }
    clearTimeout(reconnectTimer);
    reconnectTimer = null;
    if (ws) {
      return;
    }
    if (connectionState !== "reconnecting") {
      setConnection("connecting");
    }
    var sock;
    try {
      sock = new WebSocket(common.socketUrl("/chat/ws"));
    } catch (e) {
      scheduleReconnect();
      return;
    }
    ws = sock;
    ready = false;

    sock.onopen = function () {
      lastFrameAt = Date.now();
      var hello = { type: "hello", v: PROTOCOL_VERSION };
      var token = getToken();
      if (token) {
        hello.resume = token;
      }
      sock.send(JSON.stringify(hello));
      clearTimeout(welcomeTimer);
      welcomeTimer = setTimeout(function () {
        if (sock === ws && !ready) {
          dropSocket();
        }
      }, WELCOME_TIMEOUT_MS);
    };

    sock.onmessage = function (event) {
      if (sock !== ws) {
        return;
      }
      // Any frame at all shows the socket is alive.
      lastFrameAt = Date.now();
      clearTimeout(pingTimer);
      pingTimer = null;
      var frame = common.parseFrame(event.data);
      if (frame) {
        handleFrame(frame);
      }
    };

    sock.onclose = function () {
      if (sock !== ws) {
        return;
      }
      socketGone();
      scheduleReconnect();
    };

    sock.onerror = function () {
      /* a close event follows */
    };
  }

  // ---------------------------------------------------------------- frames from the server

  function handleFrame(frame) {
    switch (frame.type) {
      case "welcome":
        onWelcome(frame);
        break;
      case "ack":
        onAck(frame);
        break;
      case "typing":
        showTyping(frame.who === "handler" ? "handler" : "bot");
        break;
      case "bot":
        hideTyping();
        renderOther({
          id: frame.id, role: "bot", text: frame.text, buttons: frame.buttons,
          resources: frame.resources, fallback: frame.fallback
        });
        break;
      case "handler":
        hideTyping();
        renderOther({ id: frame.id, role: "handler", text: frame.text });
        break;
      case "system":
        renderOther({ id: frame.id, role: "system", text: frame.text, event: frame.event });
        break;
      case "status":
        onStatus(frame);
        break;
      case "error":
        onError(frame);
        break;
      default:
        break;  // pong, and frame types from later versions
    }
  }

  function resetConversation() {
    renderedIds.clear();
    renderedClientIds.clear();
    clearChildren(els.messages);
  }

  function onWelcome(frame) {
    ready = true;
    attempt = 0;
    clearTimeout(welcomeTimer);
    setToken(frame.resume);
    setConnection("connected");
    var conversation = str(frame.conversation);
    var startedAgain = conversationId && conversation !== conversationId;
    if (startedAgain) {
      resetConversation();
    }
    conversationId = conversation;
    var history = Array.isArray(frame.history) ? frame.history : [];
    var first = !els.messages.firstChild;
    if (first) {
      // One announcement for the whole history, not one per message.
      els.messages.setAttribute("aria-busy", "true");
    }
    history.forEach(function (item) {
      if (!item || typeof item !== "object") {
        return;
      }
      if (item.role === "young_person") {
        historyYoungPerson(item);
      } else {
        renderOther(item);
      }
    });
    if (startedAgain) {
      renderOther({ role: "system", text: "Your earlier chat had ended, so this is a new one." });
    }
    if (first) {
      els.messages.removeAttribute("aria-busy");
    }
    flushOutbox();
    scrollToEnd();
  }

  function historyYoungPerson(item) {
    var id = str(item.id);
    var clientId = str(item.client_id);
    if (id && renderedIds.has(id)) {
      return;
    }
    var pending = clientId ? outbox.get(clientId) : null;
    if (pending) {
      // Stored before the connection dropped: it is sent.
      markSent(pending, id);
      els.messages.appendChild(pending.el);
      return;
    }
    var existing = clientId ? renderedClientIds.get(clientId) : null;
    if (existing) {
      if (id) {
        renderedIds.add(id);
        existing.setAttribute("data-id", id);
      }
      return;
    }
    renderYoungPerson(str(item.text), clientId, "sent", id);
  }

  function markSent(entry, id) {
    clearTimeout(entry.timer);
    outbox.delete(entry.clientId);
    if (id) {
      renderedIds.add(id);
      entry.el.setAttribute("data-id", id);
    }
    setMessageState(entry, "sent");
  }

  function onAck(frame) {
    var entry = outbox.get(str(frame.client_id));
    if (entry) {
      markSent(entry, str(frame.id));
    }
  }

  function showTyping(who) {
    var stick = nearBottom();
    var handler = who === "handler";
    els.typing.setAttribute("data-who", handler ? "handler" : "bot");
    els.typingText.textContent = handler ? "The helpline worker is typing…" : "typing…";
    els.typing.hidden = false;
    clearTimeout(typingTimer);
    typingTimer = setTimeout(hideTyping, handler ? HANDLER_TYPING_TIMEOUT_MS : TYPING_TIMEOUT_MS);
    if (stick) {
      scrollToEnd();
    }
  }

  function hideTyping() {
    clearTimeout(typingTimer);
    els.typing.hidden = true;
  }

  var statusText = "";
  var convState = "";          // the conversation's state from the last status frame
  var ended = false;           // closed by the helpline: nothing more can be sent to it

  function waitText(frame) {
    // Honest: a number only when the server has recent waits to go on.
    if (!Object.prototype.hasOwnProperty.call(frame, "wait_minutes")) {
      return "";
    }
    var minutes = frame.wait_minutes;
    if (typeof minutes !== "number" || !isFinite(minutes) || minutes < 0) {
      return " We can't estimate the wait right now.";
    }
    if (minutes < 1) {
      return " The wait is usually less than a minute.";
    }
    var rounded = Math.round(minutes);
    return " The wait is about " + rounded + (rounded === 1 ? " minute." : " minutes.");
  }

  function statusNoticeText(frame) {
    if (frame.state === "queued" && frame.on_duty === false) {
      // Out of hours: no promise of a person soon (the chat has said which services are open now).
      return "Our team is not on duty right now. Your messages are saved and a person will see them " +
        "when we open. If you are in danger now, call 999.";
    }
    if (frame.state === "queued") {
      var position = Number(frame.position);
      var text = position >= 1
        ? "A person has been asked to join. You are number " + Math.floor(position) + " in the queue."
        : "A person has been asked to join. Please wait a moment.";
      // The safety numbers stay in sight for as long as they wait.
      return text + waitText(frame) + " You can keep writing here while you wait. If you are in danger " +
        "now, call 999. Childline (0800 1111) and Shout (text SHOUT to 85258) are there day and night.";
    }
    if (frame.state === "with_handler") {
      return "A helpline worker is with you now. They are a real person, and they will reply here.";
    }
    if (frame.state === "closed") {
      return "This conversation has ended. Thank you for talking to us. " +
        "If you want to talk again, you can start a new chat.";
    }
    return "";  // the bot: nothing to say
  }

  function showStatusText(text) {
    if (text === statusText) {
      return;  // unchanged: say nothing again
    }
    statusText = text;
    var stick = nearBottom();
    els.statusNotice.textContent = text;
    els.statusNotice.hidden = !text;
    if (stick) {
      scrollToEnd();  // the notice sits just above the message box: keep it in sight
    }
  }

  function onStatus(frame) {
    var state = str(frame.state);
    if (state !== convState && els.typing.getAttribute("data-who") === "handler") {
      hideTyping();  // a worker who left or handed back is not typing any more (the bot may be)
    }
    convState = state;
    setEnded(state === "closed");
    showStatusText(statusNoticeText(frame));
  }

  function setEnded(value) {
    if (value === ended) {
      return;
    }
    ended = value;
    var hadFocus = doc.activeElement === els.input || doc.activeElement === els.send;
    els.input.disabled = value;
    els.send.disabled = value;
    els.composer.classList.toggle("composer--ended", value);
    Array.prototype.forEach.call(els.messages.querySelectorAll(".choice"), function (btn) {
      btn.disabled = value;
    });
    els.newChat.hidden = !value;
    if (value) {
      hideTyping();
      if (hadFocus) {
        els.newChat.focus();  // the message box can no longer hold focus
      }
    }
  }

  function showEnded() {
    // Closed by the helpline (an error said so before any status frame did).
    convState = "closed";
    setEnded(true);
    showStatusText(statusNoticeText({ state: "closed" }));
  }

  function startNewChat() {
    // Forget the closed conversation on this page and in storage, and start a fresh one.
    dropToken();
    outbox.forEach(function (entry) {
      clearTimeout(entry.timer);
      clearTimeout(entry.ackTimer);
    });
    outbox.clear();
    payloadTitles.clear();
    resetConversation();
    conversationId = "";
    convState = "";
    typingSentAt = 0;
    setEnded(false);
    showStatusText("");
    detachSocket();
    attempt = 0;
    connect();
    els.input.focus();
  }

  els.newChat.addEventListener("click", startNewChat);

  function retryDelayMs(frame, fallbackSeconds) {
    var seconds = Number(frame.retry_after);
    if (!(seconds > 0)) {
      seconds = fallbackSeconds;
    }
    return Math.min(MAX_RETRY_AFTER_S, Math.max(1, seconds)) * 1000;
  }

  function resendLater(entry, delay) {
    clearTimeout(entry.timer);
    entry.timer = setTimeout(function () {
      entry.timer = null;
      transmit(entry);
    }, delay);
  }

  function onError(frame) {
    var code = str(frame.code);
    var entry = frame.client_id ? outbox.get(str(frame.client_id)) : null;
    if (entry) {
      clearTimeout(entry.ackTimer);
      entry.ackTimer = null;
      if (code === "rate_limited") {
        setMessageState(entry, "waiting", "Lots of messages at once – sending again in a moment.");
        resendLater(entry, retryDelayMs(frame, 1));
      } else if (code === "unavailable") {
        // Not stored because the server could not save it just now: keep it and send it again,
        // with the same client_id. Nothing alarming to show; it is only a short wait.
        setMessageState(entry, "retrying");
        resendLater(entry, retryDelayMs(frame, 2));
      } else if (code === "conversation_gone") {
        // The conversation expired: start a new one; this message goes to it.
        setMessageState(entry, "sending");
        dropToken();
        closeSocket();
      } else if (code === "closed") {
        // The helpline closed the conversation: this message was not stored, and cannot be.
        setMessageState(entry, "failed", "The chat had ended, so this was not sent.");
        showEnded();
      } else if (code === "too_large") {
        setMessageState(entry, "failed", "It's too long. Try making it shorter.", editAction(entry));
      } else {
        setMessageState(entry, "failed", null, retryAction(entry));
      }
      return;
    }
    if (code === "unavailable") {
      // About the connection, not one message (e.g. the answer to hello): keep the token, come
      // back with backoff. A client_id we no longer hold (already acked) needs nothing.
      if (!frame.client_id) {
        dropSocket(retryDelayMs(frame, 2));
      }
      return;
    }
    if (code === "closed" && ready) {
      showEnded();
      return;
    }
    if (code === "conversation_gone" || !ready) {
      // The token was refused or the conversation is gone: start afresh.
      dropToken();
      if (code === "bad_version") {
        stopForGood();
        return;
      }
      closeSocket();
    }
  }

  function stopForGood() {
    // This page is older than the server: reconnecting will not help.
    clearTimeout(reconnectTimer);
    detachSocket();
    setConnection("stopped");
  }

  // Come back quickly when the device is online or the tab is shown again. A socket that has
  // said nothing for a while may be half-open (the network changed under it): ping it, and if
  // nothing comes back in time, take it for dead and connect again.
  function reconnectNow() {
    if (exiting) {
      return;
    }
    if (!ws) {
      attempt = 0;
      connect();
      return;
    }
    if (!ready || pingTimer || ws.readyState !== WebSocket.OPEN || Date.now() - lastFrameAt < STALE_MS) {
      return;  // still starting (the welcome timer covers it), already checking, or heard lately
    }
    var sock = ws;
    try {
      sock.send(JSON.stringify({ type: "ping" }));
    } catch (e) {
      dropSocket();
      return;
    }
    pingTimer = setTimeout(function () {
      pingTimer = null;
      if (sock === ws) {
        attempt = 0;
        dropSocket();
      }
    }, PONG_TIMEOUT_MS);
  }

  window.addEventListener("online", reconnectNow);
  doc.addEventListener("visibilitychange", function () {
    if (doc.visibilityState === "visible") {
      reconnectNow();
    }
  });

  // Keep focused things and the newest message clear of the sticky bars (WCAG 2.4.11): tell
  // the CSS scroll padding how much room they take. CSSOM writes are allowed by the CSP.
  var exitBar = doc.querySelector(".exit-bar");

  function measureBars() {
    var root = doc.documentElement.style;
    if (exitBar) {
      root.setProperty("--exit-bar-space", Math.ceil(exitBar.getBoundingClientRect().height) + "px");
    }
    var sticky = window.getComputedStyle(els.composer).position === "sticky";
    var composerHeight = sticky ? Math.ceil(els.composer.getBoundingClientRect().height) : 0;
    root.setProperty("--composer-space", composerHeight + "px");
  }

  if (typeof window.ResizeObserver === "function") {
    var observer = new ResizeObserver(measureBars);
    observer.observe(els.composer);
    if (exitBar) {
      observer.observe(exitBar);
    }
  }
  window.addEventListener("resize", measureBars);
  measureBars();

  autoGrow();
  connect();
})();
