/* The call handlers' console: a client for the console protocol, version 1
   (docs/console-protocol.md).

   Rules this file keeps:
   - Everything from the server (what young people, the bot and staff wrote, names, phrases,
     labels) is put on the page with textContent and createElement, never as HTML.
   - No inline styles or scripts (the page's CSP forbids them): state is shown with classes,
     data attributes and the hidden attribute.
   - Nothing anyone wrote is logged to the browser's console.
   - A new RED in the queue is impossible to miss: a banner, beeps (WebAudio, no files), the
     title flashing, and a desktop notification when the handler has allowed them. Permission
     for notifications is only asked for when the handler presses the button.
*/
(function () {
  "use strict";

  // Shared helpers (common.js, loaded first).
  var common = window.HelplineCommon;
  var str = common.str;
  var make = common.make;
  var clearChildren = common.clearChildren;
  var newClientId = common.newClientId;

  var BACKOFF_MS = [1000, 2000, 5000, 10000, 20000];
  var PING_MS = 20000;             // keeps presence alive, and finds half-open sockets
  var PONG_TIMEOUT_MS = 10000;     // nothing back this long after a ping: the socket is dead
  var TYPING_SEND_MS = 2000;       // send `typing` at most this often
  var TYPING_SHOW_MS = 6000;       // "young person is typing…" shows this long after each frame
  var FLASH_MS = 1000;             // the title alternates this often while a RED is unseen
  var BEEP_REPEAT_MS = 15000;      // beeps again this often until the RED is seen or taken
  var RECONFIRM_MS = 8000;         // after reconnecting, a held conversation not sent again by then is lost
  var ERROR_KEEP = 4;              // errors shown at once
  var ERROR_SHOW_MS = 30000;
  var MAX_CHARS = 2000;
  var SIGNED_OUT_CHECK_AFTER = 2;  // failed connections in a row before checking the sign-in

  var LEVELS = {
    RED: { word: "RED", detail: "in danger now", cls: "red", icon: "!!" },
    AMBER: { word: "AMBER", detail: "safeguarding concern", cls: "amber", icon: "!" },
    GREEN: { word: "GREEN", detail: "", cls: "green", icon: "•" },
    "": { word: "Asked for a person", detail: "", cls: "person", icon: "?" }
  };

  var ERROR_TEXT = {
    taken: "Someone else has already taken that conversation.",
    queue_empty: "Nobody is waiting in the queue.",
    limit: "You already hold as many conversations as you may. Close, hand back or release one first.",
    not_yours: "That conversation is no longer yours.",
    gone: "That conversation has ended or is no longer kept.",
    not_waiting: "That young person is no longer waiting.",
    unknown_staff: "There is no handler or supervisor by that name to transfer to.",
    bad_outcome: "Choose an outcome from the list before closing.",
    too_large: "That is too long to send. Try making it shorter."
  };

  var doc = document;
  var BASE_TITLE = doc.title || "Console – Helpline staff";

  doc.documentElement.classList.remove("no-js");

  var els = {
    connection: doc.getElementById("connection"),
    connectionText: doc.getElementById("connection-text"),
    heldCount: doc.getElementById("held-count"),
    heldLimit: doc.getElementById("held-limit"),
    takeNext: doc.getElementById("take-next"),
    soundButton: doc.getElementById("sound-button"),
    notifyButton: doc.getElementById("notify-button"),
    notifyStatus: doc.getElementById("notify-status"),
    redAlert: doc.getElementById("red-alert"),
    redAlertText: doc.getElementById("red-alert-text"),
    redAlertTake: doc.getElementById("red-alert-take"),
    errors: doc.getElementById("errors"),
    announcer: doc.getElementById("announcer"),
    queue: doc.getElementById("queue"),
    queueEmpty: doc.getElementById("queue-empty"),
    tabs: doc.getElementById("tabs"),
    panels: doc.getElementById("panels"),
    workEmpty: doc.getElementById("work-empty")
  };

  // ---------------------------------------------------------------- helpers

  function list(value) {
    return Array.isArray(value) ? value : [];
  }

  function words(value) {
    // Phrases, categories, topics: strings, or objects naming one.
    var out = [];
    list(value).forEach(function (v) {
      if (typeof v === "string" && v) {
        out.push(v);
      } else if (v && typeof v === "object") {
        var s = str(v.phrase) || str(v.text) || str(v.category) || str(v.topic) || str(v.name);
        if (s) {
          out.push(s);
        }
      }
    });
    return out;
  }

  function button(text, className, onClick) {
    var b = make("button", className || "button", text);
    b.type = "button";
    if (onClick) {
      b.addEventListener("click", onClick);
    }
    return b;
  }

  function levelOf(value) {
    var key = str(value).toUpperCase();
    return Object.prototype.hasOwnProperty.call(LEVELS, key) ? key : "";
  }

  function levelBadge(value, withDetail) {
    var key = levelOf(value);
    var info = LEVELS[key];
    var badge = make("span", "level level--" + info.cls);
    badge.setAttribute("data-level", key || "PERSON");
    badge.appendChild(make("span", "level__icon", info.icon)).setAttribute("aria-hidden", "true");
    var text = info.word + (withDetail && info.detail ? ": " + info.detail : "");
    badge.appendChild(make("span", "level__word", text));
    return badge;
  }

  function shortId(id) {
    return str(id).slice(0, 8);
  }

  function clock(ms) {
    var n = Number(ms);
    if (!(n > 0)) {
      return "";
    }
    try {
      return new Date(n).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
    } catch (e) {
      return "";
    }
  }

  function waitingText(seconds) {
    var s = Math.max(0, Math.floor(seconds));
    if (s < 60) {
      return s + " s";
    }
    var m = Math.floor(s / 60);
    if (m < 60) {
      return m + " min " + (s % 60) + " s";
    }
    return Math.floor(m / 60) + " h " + (m % 60) + " min";
  }

  function announce(text) {
    els.announcer.textContent = "";
    // A separate task, so the same words are announced again.
    setTimeout(function () {
      els.announcer.textContent = text;
    }, 50);
  }

  function outcomeLabel(id) {
    var found = null;
    outcomes.forEach(function (o) {
      if (o && o.id === id) {
        found = str(o.label) || str(o.id);
      }
    });
    return found || str(id);
  }

  // ---------------------------------------------------------------- errors

  function showError(text) {
    var item = make("div", "error");
    item.appendChild(make("span", "error__time", clock(Date.now())));
    item.appendChild(make("span", "error__text", text));
    var dismiss = button("Dismiss", "error__dismiss", function () {
      if (item.parentNode) {
        item.parentNode.removeChild(item);
      }
    });
    dismiss.setAttribute("aria-label", "Dismiss this message");
    item.appendChild(dismiss);
    els.errors.appendChild(item);
    while (els.errors.children.length > ERROR_KEEP) {
      els.errors.removeChild(els.errors.firstChild);
    }
    setTimeout(function () {
      if (item.parentNode) {
        item.parentNode.removeChild(item);
      }
    }, ERROR_SHOW_MS);
  }

  // ---------------------------------------------------------------- state

  var me = { name: "", role: doc.body.getAttribute("data-role") || "", limit: 0 };
  var outcomes = [];
  var canned = [];
  var staff = [];
  var queueItems = [];
  var queueReceivedAt = 0;     // performance.now() when the queue frame came (waiting ticks from it)
  var rows = new Map();        // conversation id -> queue row
  var convs = new Map();       // conversation id -> conversation panel
  var selected = "";           // conversation id of the selected tab
  var panelCounter = 0;
  var serverHeld = 0;          // `held` from the latest queue frame
  var localAtQueue = 0;        // how many we held by our own count when it came
  var focusUntil = 0;          // until then, the next conversation frame answers our take/view: show it

  function expectOpening() {
    focusUntil = Date.now() + 5000;
  }

  function openingExpected() {
    return Date.now() < focusUntil;
  }

  function heldLocal() {
    var n = 0;
    convs.forEach(function (c) {
      if (c.mine && c.active) {
        n += 1;
      }
    });
    return n;
  }

  function heldNow() {
    return Math.max(0, serverHeld + (heldLocal() - localAtQueue));
  }

  function atLimit() {
    return me.limit > 0 && heldNow() >= me.limit;
  }

  function updateHeld() {
    els.heldCount.textContent = String(heldNow());
    els.heldLimit.textContent = me.limit > 0 ? String(me.limit) : "–";
    var open = connected();
    var full = atLimit();
    els.takeNext.disabled = !open || !queueItems.length || full;
    els.takeNext.title = full ? "You are at your limit." : (!queueItems.length ? "Nobody is waiting." : "");
    rows.forEach(function (row) {
      row.take.disabled = !open || full;
      row.take.title = full ? "You are at your limit." : "";
      row.view.disabled = !open;
    });
    els.redAlertTake.disabled = !open || full;
  }

  // ---------------------------------------------------------------- the socket

  var ws = null;
  var ready = false;          // hello received on this socket
  var attempt = 0;
  var failedInARow = 0;
  var reconnectTimer = null;
  var pingTimer = null;
  var pongTimer = null;
  var reconfirmTimer = null;
  var stopped = false;

  function connected() {
    return !!(ws && ready && ws.readyState === WebSocket.OPEN);
  }

  function setConnection(state, text) {
    els.connection.setAttribute("data-state", state);
    els.connectionText.textContent = text;
  }

  var lastSent = { type: "", at: 0 };

  function send(frame) {
    lastSent = { type: frame.type, at: Date.now() };
    if (!connected()) {
      showError("Not connected just now: that was not sent. The console is reconnecting.");
      return false;
    }
    try {
      ws.send(JSON.stringify(frame));
      return true;
    } catch (e) {
      showError("That could not be sent. The console is reconnecting.");
      dropSocket();
      return false;
    }
  }

  function scheduleReconnect() {
    if (stopped) {
      return;
    }
    clearTimeout(reconnectTimer);
    var base = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)];
    attempt += 1;
    var delay = base + Math.floor(Math.random() * base * 0.3);
    setConnection("reconnecting", "Connection lost. Reconnecting…");
    reconnectTimer = setTimeout(connect, delay);
  }

  function socketGone() {
    var wasReady = ready;
    ws = null;
    ready = false;
    clearInterval(pingTimer);
    pingTimer = null;
    clearTimeout(pongTimer);
    pongTimer = null;
    if (wasReady) {
      failedInARow = 0;
    } else {
      failedInARow += 1;
    }
    // Replies that went out and were not acked may or may not be stored: the handler decides.
    convs.forEach(function (conv) {
      conv.pending.forEach(function (entry) {
        if (!entry.id) {
          setEntryState(entry, "failed", "Not confirmed: check the transcript, then send again if it is missing.");
        }
      });
      hideTyping(conv);
    });
    updateHeld();
  }

  function detachSocket() {
    if (!ws) {
      return;
    }
    var sock = ws;
    socketGone();
    common.silenceAndClose(sock);
  }

  function dropSocket() {
    detachSocket();
    scheduleReconnect();
  }

  function checkSignedIn() {
    // A socket refused before it opens looks like any network failure: ask the page itself.
    if (typeof window.fetch !== "function") {
      return;
    }
    window.fetch("/console/", { credentials: "same-origin", redirect: "manual", cache: "no-store" })
      .then(function (response) {
        if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403) {
          signedOut();
        }
      })
      .catch(function () {
        /* the network is down: keep trying */
      });
  }

  function signedOut() {
    stopped = true;
    clearTimeout(reconnectTimer);
    detachSocket();
    setConnection("stopped", "You are signed out. ");
    var link = make("a", "", "Sign in again");
    link.href = "/staff/login";
    els.connectionText.appendChild(link);
    updateHeld();
  }

  function connect() {
    if (stopped) {
      return;
    }
    clearTimeout(reconnectTimer);
    reconnectTimer = null;
    if (ws) {
      return;
    }
    if (failedInARow >= SIGNED_OUT_CHECK_AFTER) {
      checkSignedIn();
    }
    var sock;
    try {
      sock = new WebSocket(common.socketUrl("/console/ws"));
    } catch (e) {
      failedInARow += 1;
      scheduleReconnect();
      return;
    }
    ws = sock;
    ready = false;

    sock.onopen = function () {
      expectHeldAgain();
      clearInterval(pingTimer);
      pingTimer = setInterval(function () {
        if (sock !== ws || sock.readyState !== WebSocket.OPEN) {
          return;
        }
        try {
          sock.send(JSON.stringify({ type: "ping" }));
        } catch (e) {
          dropSocket();
          return;
        }
        clearTimeout(pongTimer);
        pongTimer = setTimeout(function () {
          if (sock === ws) {
            dropSocket();
          }
        }, PONG_TIMEOUT_MS);
      }, PING_MS);
    };

    sock.onmessage = function (event) {
      if (sock !== ws) {
        return;
      }
      clearTimeout(pongTimer);  // any frame shows the socket is alive
      pongTimer = null;
      var frame = common.parseFrame(event.data);
      if (frame) {
        try {
          handleFrame(frame);
        } catch (e) {
          showError("The console could not show an update. Reload the page if things look wrong.");
        }
      }
    };

    sock.onclose = function (event) {
      if (sock !== ws) {
        return;
      }
      socketGone();
      if (event && event.code === 4001) {
        // The server closed it because the sign-in ended (signed out, disabled, new role).
        signedOut();
        return;
      }
      scheduleReconnect();
    };

    sock.onerror = function () {
      /* a close event follows */
    };
  }

  // ---------------------------------------------------------------- frames

  function handleFrame(frame) {
    switch (frame.type) {
      case "hello":
        onHello(frame);
        break;
      case "queue":
        onQueue(frame);
        break;
      case "conversation":
        onConversation(frame);
        break;
      case "message":
        onMessage(frame);
        break;
      case "note":
        onNote(frame);
        break;
      case "typing":
        onTyping(frame);
        break;
      case "delivered":
        onDelivered(frame);
        break;
      case "state":
        onState(frame);
        break;
      case "ack":
        onAck(frame);
        break;
      case "error":
        onError(frame);
        break;
      default:
        break;  // pong, and frame types from later versions
    }
  }

  function onHello(frame) {
    ready = true;
    attempt = 0;
    failedInARow = 0;
    me.name = str(frame.name);
    me.role = str(frame.role) || me.role;
    me.limit = Math.max(0, Math.floor(Number(frame.limit) || 0));
    outcomes = list(frame.outcomes).filter(function (o) {
      return o && typeof o === "object" && str(o.id);
    });
    canned = list(frame.canned).filter(function (c) {
      return c && typeof c === "object" && str(c.text);
    });
    staff = words(frame.staff).filter(function (n) {
      return n !== me.name;
    });
    doc.body.setAttribute("data-role", me.role);
    setConnection("connected", "Connected as " + (me.name || "staff") + " (" + (me.role || "handler") + ")");
    convs.forEach(refreshPanelTools);
    updateRows();
    updateHeld();
  }

  function expectHeldAgain() {
    // On connect the server sends again each conversation we hold; any it does not send was
    // lost while we were away (back in the queue after the grace period).
    convs.forEach(function (conv) {
      conv.unconfirmed = conv.mine && conv.active;
    });
    clearTimeout(reconfirmTimer);
    reconfirmTimer = setTimeout(function () {
      if (!connected()) {
        return;  // the next connection looks again
      }
      convs.forEach(function (conv) {
        if (conv.unconfirmed && conv.mine && conv.active) {
          conv.unconfirmed = false;
          endMine(conv, { state: "", handler: "" }, "This conversation was not given back after the connection " +
            "dropped: it may have gone back to the queue. It is no longer yours.");
        }
      });
    }, RECONFIRM_MS);
  }

  // ---------------------------------------------------------------- the queue

  function onQueue(frame) {
    queueItems = list(frame.items).filter(function (item) {
      return item && typeof item === "object" && str(item.conversation);
    });
    queueReceivedAt = performance.now();
    serverHeld = Math.max(0, Math.floor(Number(frame.held) || 0));
    localAtQueue = heldLocal();
    // A queue list can be a moment older than a take (it is read while the take happens), so
    // it never decides that a conversation is not ours: `state` frames do.
    renderQueue();
    redAlerts();
    updateHeld();
  }

  function makeRow(id) {
    var li = make("li", "qitem");
    li.setAttribute("data-conversation", id);
    var info = make("div", "qitem__info");
    var actions = make("div", "qitem__actions");
    var take = button("Take", "button button--primary qitem__take", function () {
      if (send({ type: "take", conversation: id })) {
        expectOpening();
      }
    });
    var view = button("View", "button button--quiet qitem__view supervisor-only", function () {
      if (send({ type: "view", conversation: id })) {
        expectOpening();
      }
    });
    actions.appendChild(take);
    actions.appendChild(view);
    li.appendChild(info);
    li.appendChild(actions);
    return { li: li, info: info, take: take, view: view, wait: null, item: null, since: NaN };
  }

  function fillRow(row, item, position) {
    var level = levelOf(item.level);
    var info = LEVELS[level];
    row.item = item;
    // waiting_s is whole seconds: a queue frame a moment later must not set the clock back.
    var since = queueReceivedAt - (Number(item.waiting_s) || 0) * 1000;
    if (isNaN(row.since) || Math.abs(row.since - since) > 2000) {
      row.since = since;
    }
    row.li.className = "qitem qitem--" + info.cls;
    row.li.setAttribute("data-level", level || "PERSON");
    clearChildren(row.info);
    var head = make("p", "qitem__head");
    head.appendChild(make("span", "qitem__pos", "#" + (Number(item.position) || position)));
    head.appendChild(levelBadge(level, true));
    row.wait = make("span", "qitem__wait");
    head.appendChild(row.wait);
    row.info.appendChild(head);
    var facts = make("dl", "facts");
    fact(facts, "Why", str(item.reason) ? [reasonText(str(item.reason))] : []);
    fact(facts, "Matched", words(item.phrases), "phrase");
    fact(facts, "Categories", words(item.categories));
    fact(facts, "Bot understood", words(item.topics));
    if (facts.firstChild) {
      row.info.appendChild(facts);
    }
    var preview = str(item.preview);
    if (preview) {
      var quote = make("blockquote", "qitem__preview");
      quote.appendChild(make("span", "visually-hidden", "Latest message: "));
      quote.appendChild(doc.createTextNode(preview));
      row.info.appendChild(quote);
    }
    var label = info.word + " conversation " + shortId(item.conversation);
    row.take.setAttribute("aria-label", "Take " + label);
    row.view.setAttribute("aria-label", "View " + label + " without taking it");
    tickRow(row);
  }

  function fact(dl, name, values, kind) {
    if (!values.length) {
      return;
    }
    var wrap = make("div", "facts__row");
    wrap.appendChild(make("dt", "", name));
    var dd = make("dd");
    values.forEach(function (v, i) {
      if (i) {
        dd.appendChild(doc.createTextNode(", "));
      }
      dd.appendChild(make("span", kind ? "facts__" + kind : "facts__value", kind === "phrase" ? "“" + v + "”" : v));
    });
    wrap.appendChild(dd);
    dl.appendChild(wrap);
  }

  function reasonText(reason) {
    // "screen:self_harm" -> "Safety screen: self harm"; "bot:ask_for_person" -> "Bot: ask for person"
    var m = /^(screen|bot):(.*)$/.exec(reason);
    if (!m) {
      return reason.replace(/_/g, " ");
    }
    return (m[1] === "screen" ? "Safety screen: " : "Bot: ") + m[2].replace(/_/g, " ").replace(/,/g, ", ");
  }

  function tickRow(row) {
    if (!row.wait || !row.item) {
      return;
    }
    var text = "Waiting " + waitingText((performance.now() - row.since) / 1000);
    if (row.wait.textContent !== text) {
      row.wait.textContent = text;
    }
  }

  function renderQueue() {
    var keep = new Set();
    queueItems.forEach(function (item, index) {
      var id = item.conversation;
      keep.add(id);
      var row = rows.get(id);
      if (!row) {
        row = makeRow(id);
        rows.set(id, row);
      }
      fillRow(row, item, index + 1);
      // Move only what is out of place, so a focused button keeps its focus where it can.
      var at = els.queue.children[index];
      if (at !== row.li) {
        els.queue.insertBefore(row.li, at || null);
      }
    });
    rows.forEach(function (row, id) {
      if (!keep.has(id)) {
        if (row.li.parentNode) {
          row.li.parentNode.removeChild(row.li);
        }
        rows.delete(id);
      }
    });
    els.queueEmpty.hidden = queueItems.length > 0;
    els.queue.hidden = queueItems.length === 0;
  }

  function updateRows() {
    rows.forEach(function (row) {
      row.view.hidden = me.role !== "supervisor";
    });
  }

  // Four times a second, so each second shows on time (the text changes once a second).
  setInterval(function () {
    rows.forEach(tickRow);
  }, 250);

  els.takeNext.addEventListener("click", function () {
    if (send({ type: "take_next" })) {
      expectOpening();
    }
  });

  // ---------------------------------------------------------------- a new RED: impossible to miss

  var seenRed = new Set();     // every conversation seen at RED in this page's life
  var alerting = new Set();    // new REDs still waiting in the queue
  var alarmOn = false;         // title flashing and beeps repeating: nobody has looked yet
  var flashTimer = null;
  var beepTimer = null;
  var audioCtx = null;

  function redAlerts() {
    var waiting = new Set();
    var fresh = [];
    queueItems.forEach(function (item) {
      if (levelOf(item.level) === "RED") {
        waiting.add(item.conversation);
        if (!seenRed.has(item.conversation)) {
          seenRed.add(item.conversation);
          alerting.add(item.conversation);
          fresh.push(item.conversation);
        }
      }
    });
    alerting.forEach(function (id) {
      if (!waiting.has(id)) {
        alerting.delete(id);  // taken (by anyone), or gone
      }
    });
    if (fresh.length) {
      raiseAlarm(fresh.length);
    }
    if (!alerting.size) {
      stopAlarm();
      els.redAlert.hidden = true;
      doc.documentElement.removeAttribute("data-red-alert");
    } else {
      var n = alerting.size;
      els.redAlertText.textContent = n === 1
        ? "a young person may be in danger now."
        : n + " young people may be in danger now.";
    }
  }

  function raiseAlarm(count) {
    els.redAlert.hidden = false;
    doc.documentElement.setAttribute("data-red-alert", "on");
    doc.documentElement.setAttribute("data-alarm", "on");
    alarmOn = true;
    if (!flashTimer) {
      var on = false;
      flashTimer = setInterval(function () {
        on = !on;
        doc.title = on ? "RED waiting" : BASE_TITLE;
      }, FLASH_MS);
      doc.title = "RED waiting";
    }
    beep();
    clearInterval(beepTimer);
    beepTimer = setInterval(function () {
      if (alarmOn) {
        beep();
      }
    }, BEEP_REPEAT_MS);
    notify(count);
  }

  function stopAlarm() {
    // Someone has looked (or the RED was taken): stop the flashing and the repeated beeps.
    alarmOn = false;
    clearInterval(flashTimer);
    flashTimer = null;
    clearInterval(beepTimer);
    beepTimer = null;
    doc.title = BASE_TITLE;
    doc.documentElement.removeAttribute("data-alarm");
  }

  function acknowledge() {
    if (alarmOn) {
      stopAlarm();
    }
  }

  // The window focused, or the handler is plainly at the screen.
  window.addEventListener("focus", acknowledge);
  doc.addEventListener("pointerdown", acknowledge, true);
  doc.addEventListener("keydown", acknowledge, true);

  els.redAlertTake.addEventListener("click", function () {
    var first = "";
    queueItems.forEach(function (item) {
      if (!first && alerting.has(item.conversation)) {
        first = item.conversation;
      }
    });
    if (first && send({ type: "take", conversation: first })) {
      expectOpening();
    }
  });

  function audio() {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) {
      return null;
    }
    if (!audioCtx) {
      try {
        audioCtx = new Ctx();
      } catch (e) {
        return null;
      }
    }
    return audioCtx;
  }

  function soundReady() {
    return !!(audioCtx && audioCtx.state === "running");
  }

  function showSoundState() {
    if (soundReady()) {
      els.soundButton.textContent = "Test sound alert";
      els.soundButton.classList.remove("button--warn");
    } else {
      els.soundButton.textContent = "Turn on sound alerts";
      els.soundButton.classList.add("button--warn");
    }
  }

  function unlockAudio() {
    // Browsers let a page make sound only after the person has done something on it.
    var ctx = audio();
    if (ctx && ctx.state === "suspended" && typeof ctx.resume === "function") {
      ctx.resume().then(showSoundState, showSoundState);
    }
    showSoundState();
  }

  function beep() {
    var ctx = audio();
    if (!ctx) {
      return;
    }
    if (ctx.state === "suspended" && typeof ctx.resume === "function") {
      ctx.resume().catch(function () { /* needs a click first */ });
    }
    try {
      var t = ctx.currentTime + 0.05;
      for (var i = 0; i < 3; i += 1) {
        var osc = ctx.createOscillator();
        var gain = ctx.createGain();
        osc.type = "square";
        osc.frequency.value = i % 2 ? 660 : 880;
        gain.gain.setValueAtTime(0.0001, t);
        gain.gain.exponentialRampToValueAtTime(0.25, t + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.22);
        osc.connect(gain);
        gain.connect(ctx.destination);
        osc.start(t);
        osc.stop(t + 0.25);
        t += 0.32;
      }
    } catch (e) {
      /* no sound on this device */
    }
  }

  els.soundButton.addEventListener("click", function () {
    unlockAudio();
    beep();
  });
  doc.addEventListener("pointerdown", unlockAudio, { once: true, capture: true });
  doc.addEventListener("keydown", unlockAudio, { once: true, capture: true });
  showSoundState();

  function notificationsAvailable() {
    return typeof window.Notification === "function";
  }

  function showNotifyState() {
    if (!notificationsAvailable()) {
      els.notifyButton.hidden = true;
      els.notifyStatus.hidden = true;
      return;
    }
    var permission = window.Notification.permission;
    els.notifyButton.hidden = permission !== "default";
    els.notifyStatus.hidden = permission === "default";
    els.notifyStatus.textContent = permission === "granted"
      ? "Desktop alerts on"
      : "Desktop alerts are blocked in this browser's settings";
  }

  els.notifyButton.addEventListener("click", function () {
    if (!notificationsAvailable()) {
      return;
    }
    unlockAudio();
    var done = function () {
      showNotifyState();
    };
    try {
      var asked = window.Notification.requestPermission(done);
      if (asked && typeof asked.then === "function") {
        asked.then(done, done);
      }
    } catch (e) {
      done();
    }
  });
  showNotifyState();

  function notify(count) {
    if (!notificationsAvailable() || window.Notification.permission !== "granted") {
      return;
    }
    // Nothing the young person wrote: a notification can show on a screen others see.
    try {
      var n = new window.Notification("RED waiting", {
        body: (count > 1 ? count + " young people" : "A young person") +
          " may be in danger now. Open the console to take the conversation.",
        tag: "helpline-red",
        renotify: true,
        requireInteraction: true
      });
      n.onclick = function () {
        window.focus();
        n.close();
      };
    } catch (e) {
      /* some browsers only notify from a service worker */
    }
  }

  // ---------------------------------------------------------------- conversation panels

  function makeConv(id) {
    panelCounter += 1;
    var key = "c" + panelCounter;
    var conv = {
      id: id, key: key, mine: false, active: false, state: "", level: "", handler: "",
      ids: new Set(), elById: new Map(), delivered: new Set(), pending: new Map(), noteIds: new Set(),
      lastTypingSent: 0, typingTimer: null, unread: 0, unconfirmed: false, lastAction: "", noteSent: ""
    };

    var tab = make("button", "tab");
    tab.type = "button";
    tab.id = "tab-" + key;
    tab.setAttribute("role", "tab");
    tab.setAttribute("aria-controls", "panel-" + key);
    tab.setAttribute("aria-selected", "false");
    tab.tabIndex = -1;
    tab.setAttribute("data-conversation", id);
    conv.tabLevel = make("span", "tab__level");
    conv.tabText = make("span", "tab__text", shortId(id));
    conv.tabNote = make("span", "tab__note");
    conv.tabUnread = make("span", "tab__unread");
    conv.tabUnread.hidden = true;
    tab.appendChild(conv.tabLevel);
    tab.appendChild(conv.tabText);
    tab.appendChild(conv.tabNote);
    tab.appendChild(conv.tabUnread);
    tab.addEventListener("click", function () {
      selectTab(id, false);
    });
    tab.addEventListener("keydown", tabKeys);
    conv.tab = tab;

    var panel = make("section", "panel");
    panel.id = "panel-" + key;
    panel.setAttribute("role", "tabpanel");
    panel.setAttribute("aria-labelledby", "tab-" + key);
    panel.setAttribute("data-conversation", id);
    panel.hidden = true;
    conv.panel = panel;

    var head = make("div", "panel__head");
    conv.heading = make("h3", "panel__title", "Conversation " + shortId(id));
    conv.heading.tabIndex = -1;
    conv.headLevel = make("span", "panel__level");
    conv.headState = make("p", "panel__state");
    head.appendChild(conv.heading);
    head.appendChild(conv.headLevel);
    head.appendChild(conv.headState);
    panel.appendChild(head);

    conv.notice = make("div", "panel__notice");
    conv.notice.setAttribute("role", "status");
    conv.notice.tabIndex = -1;
    conv.notice.hidden = true;
    conv.noticeText = make("p", "panel__notice-text");
    conv.notice.appendChild(conv.noticeText);
    conv.closeTab = button("Close this tab", "button button--quiet", function () {
      removeConv(conv);
    });
    conv.notice.appendChild(conv.closeTab);
    panel.appendChild(conv.notice);

    var body = make("div", "panel__body");
    panel.appendChild(body);

    // The transcript, the typing indicator and the composer.
    var talk = make("div", "panel__talk");
    body.appendChild(talk);
    var tHeading = make("h4", "visually-hidden", "Transcript");
    tHeading.id = "transcript-heading-" + key;
    talk.appendChild(tHeading);
    conv.transcript = make("div", "transcript");
    conv.transcript.setAttribute("role", "log");
    conv.transcript.setAttribute("aria-live", "polite");
    conv.transcript.setAttribute("aria-relevant", "additions");
    conv.transcript.setAttribute("aria-labelledby", tHeading.id);
    conv.transcript.tabIndex = 0;
    talk.appendChild(conv.transcript);
    conv.typing = make("p", "typing", "Young person is typing…");
    conv.typing.hidden = true;
    talk.appendChild(conv.typing);

    conv.readOnly = make("p", "panel__readonly",
      "You are viewing this conversation without taking it. The young person does not see you.");
    conv.readOnly.hidden = true;
    talk.appendChild(conv.readOnly);

    conv.composer = make("form", "composer");
    conv.composer.noValidate = true;
    var inputId = "reply-" + key;
    var label = make("label", "composer__label", "Your reply to the young person");
    label.htmlFor = inputId;
    conv.input = make("textarea", "composer__input");
    conv.input.id = inputId;
    conv.input.rows = 3;
    conv.input.maxLength = MAX_CHARS;
    conv.input.setAttribute("autocomplete", "off");
    conv.input.setAttribute("aria-describedby", "hint-" + key);
    conv.sendButton = make("button", "button button--primary composer__send", "Send");
    conv.sendButton.type = "submit";
    var row = make("div", "composer__row");
    row.appendChild(conv.input);
    row.appendChild(conv.sendButton);
    var hint = make("p", "composer__hint", "Enter sends; Shift and Enter for a new line.");
    hint.id = "hint-" + key;
    conv.composer.appendChild(label);
    conv.composer.appendChild(row);
    conv.composer.appendChild(hint);
    conv.cannedBox = make("details", "canned");
    conv.cannedBox.appendChild(make("summary", "", "Canned replies"));
    conv.cannedList = make("ul", "canned__list");
    conv.cannedBox.appendChild(conv.cannedList);
    conv.composer.appendChild(conv.cannedBox);
    talk.appendChild(conv.composer);

    conv.composer.addEventListener("submit", function (event) {
      event.preventDefault();
      sendReply(conv);
    });
    conv.input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
        event.preventDefault();
        sendReply(conv);
      }
    });
    conv.input.addEventListener("input", function () {
      var now = Date.now();
      if (conv.input.value.trim() && conv.mine && conv.active && now - conv.lastTypingSent >= TYPING_SEND_MS &&
          connected()) {
        conv.lastTypingSent = now;
        send({ type: "typing", conversation: id });
      }
    });

    // Notes and actions.
    var side = make("div", "panel__side");
    body.appendChild(side);

    var notes = make("section", "notes");
    notes.appendChild(make("h4", "", "Private notes"));
    notes.appendChild(make("p", "notes__about", "Only staff see these, never the young person."));
    conv.notesList = make("ul", "notes__list");
    notes.appendChild(conv.notesList);
    conv.notesEmpty = make("p", "notes__empty", "No notes yet.");
    notes.appendChild(conv.notesEmpty);
    conv.noteForm = make("form", "notes__form");
    conv.noteForm.noValidate = true;
    var noteLabel = make("label", "", "Add a note");
    noteLabel.htmlFor = "note-" + key;
    conv.noteInput = make("textarea", "notes__input");
    conv.noteInput.id = "note-" + key;
    conv.noteInput.rows = 2;
    conv.noteInput.maxLength = MAX_CHARS;
    conv.noteButton = make("button", "button", "Add note");
    conv.noteButton.type = "submit";
    conv.noteForm.appendChild(noteLabel);
    conv.noteForm.appendChild(conv.noteInput);
    conv.noteForm.appendChild(conv.noteButton);
    notes.appendChild(conv.noteForm);
    side.appendChild(notes);
    conv.noteForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = conv.noteInput.value.trim();
      if (!text) {
        conv.noteInput.focus();
        return;
      }
      if (send({ type: "note", conversation: id, text: text })) {
        conv.noteSent = text;
      }
    });

    conv.actions = make("section", "actions");
    conv.actions.appendChild(make("h4", "", "Actions"));
    conv.handBack = button("Hand back to bot", "button button--quiet", function () {
      conv.lastAction = "hand_back";
      send({ type: "hand_back", conversation: id });
    });
    conv.release = button("Release to queue", "button button--quiet", function () {
      conv.lastAction = "release";
      send({ type: "release", conversation: id });
    });
    var simple = make("div", "actions__row");
    simple.appendChild(conv.handBack);
    simple.appendChild(conv.release);
    conv.actions.appendChild(simple);

    var transfer = make("div", "actions__group");
    var transferLabel = make("label", "", "Transfer to");
    transferLabel.htmlFor = "transfer-" + key;
    conv.transferSelect = make("select", "");
    conv.transferSelect.id = "transfer-" + key;
    conv.transferButton = button("Transfer", "button button--quiet", function () {
      var to = conv.transferSelect.value;
      if (!to) {
        showError("Choose who to transfer the conversation to.");
        conv.transferSelect.focus();
        return;
      }
      conv.lastAction = "transfer";
      send({ type: "transfer", conversation: id, to: to });
    });
    transfer.appendChild(transferLabel);
    var tRow = make("div", "actions__row");
    tRow.appendChild(conv.transferSelect);
    tRow.appendChild(conv.transferButton);
    transfer.appendChild(tRow);
    conv.actions.appendChild(transfer);

    var close = make("div", "actions__group");
    var closeLabel = make("label", "", "Outcome");
    closeLabel.htmlFor = "outcome-" + key;
    conv.outcomeSelect = make("select", "");
    conv.outcomeSelect.id = "outcome-" + key;
    conv.closeButton = button("Close conversation…", "button button--danger", function () {
      var outcome = conv.outcomeSelect.value;
      if (!outcome) {
        showError("Choose an outcome before closing the conversation.");
        conv.outcomeSelect.focus();
        return;
      }
      conv.confirmText.textContent = "Close this conversation with the outcome “" + outcomeLabel(outcome) +
        "”? The young person will be told the chat has ended.";
      conv.confirm.hidden = false;
      conv.confirmYes.focus();
    });
    close.appendChild(closeLabel);
    var cRow = make("div", "actions__row");
    cRow.appendChild(conv.outcomeSelect);
    cRow.appendChild(conv.closeButton);
    close.appendChild(cRow);
    conv.confirm = make("div", "confirm");
    conv.confirm.setAttribute("role", "group");
    conv.confirm.setAttribute("aria-label", "Confirm closing");
    conv.confirm.hidden = true;
    conv.confirmText = make("p", "confirm__text");
    conv.confirmYes = button("Yes, close it", "button button--danger", function () {
      var outcome = conv.outcomeSelect.value;
      conv.confirm.hidden = true;
      if (outcome) {
        conv.lastAction = "close";
        send({ type: "close", conversation: id, outcome: outcome });
      }
    });
    var no = button("Cancel", "button button--quiet", function () {
      conv.confirm.hidden = true;
      conv.closeButton.focus();
    });
    conv.outcomeSelect.addEventListener("change", function () {
      conv.confirm.hidden = true;
    });
    conv.confirm.appendChild(conv.confirmText);
    var confirmRow = make("div", "actions__row");
    confirmRow.appendChild(conv.confirmYes);
    confirmRow.appendChild(no);
    conv.confirm.appendChild(confirmRow);
    close.appendChild(conv.confirm);
    conv.actions.appendChild(close);
    side.appendChild(conv.actions);

    conv.stopViewing = button("Stop viewing", "button button--quiet", function () {
      removeConv(conv);
    });
    conv.stopViewing.hidden = true;
    side.appendChild(conv.stopViewing);

    els.tabs.appendChild(tab);
    els.panels.appendChild(panel);
    convs.set(id, conv);
    fillPanelChoices(conv);
    showWorkEmpty();
    return conv;
  }

  function fillPanelChoices(conv) {
    // Canned replies, people to transfer to, outcomes: all from hello.
    clearChildren(conv.cannedList);
    canned.forEach(function (c) {
      var li = make("li", "canned__item");
      var b = button(str(c.title) || "Canned reply", "canned__use", function () {
        useCanned(conv, str(c.text));
      });
      li.appendChild(b);
      li.appendChild(make("p", "canned__text", str(c.text)));
      conv.cannedList.appendChild(li);
    });
    conv.cannedBox.hidden = canned.length === 0;

    var chosen = conv.transferSelect.value;
    clearChildren(conv.transferSelect);
    var none = make("option", "", staff.length ? "Choose a person" : "Nobody else is available");
    none.value = "";
    conv.transferSelect.appendChild(none);
    staff.forEach(function (name) {
      var o = make("option", "", name);
      o.value = name;
      conv.transferSelect.appendChild(o);
    });
    conv.transferSelect.value = staff.indexOf(chosen) >= 0 ? chosen : "";

    var outcome = conv.outcomeSelect.value;
    clearChildren(conv.outcomeSelect);
    var pick = make("option", "", "Choose an outcome");
    pick.value = "";
    conv.outcomeSelect.appendChild(pick);
    var ids = [];
    outcomes.forEach(function (o) {
      var opt = make("option", "", str(o.label) || str(o.id));
      opt.value = str(o.id);
      ids.push(opt.value);
      conv.outcomeSelect.appendChild(opt);
    });
    conv.outcomeSelect.value = ids.indexOf(outcome) >= 0 ? outcome : "";
  }

  function useCanned(conv, text) {
    var input = conv.input;
    if (input.disabled) {
      return;
    }
    if (!input.value.trim()) {
      input.value = text;
    } else if (typeof input.setRangeText === "function") {
      input.setRangeText(text, input.selectionStart, input.selectionEnd, "end");
    } else {
      input.value += text;
    }
    conv.cannedBox.open = false;
    input.focus();
    if (!input.value || input.selectionStart === undefined) {
      return;
    }
    if (input.value === text) {
      input.setSelectionRange(text.length, text.length);
    }
  }

  function refreshPanelTools(conv) {
    // What can be done in this panel now.
    fillPanelChoices(conv);
    var canAct = conv.mine && conv.active;
    // Notes: by whoever holds the conversation, or a supervisor reading it.
    var noter = conv.mine || me.role === "supervisor";
    conv.composer.hidden = !conv.mine;
    conv.actions.hidden = !conv.mine;
    conv.noteForm.hidden = !noter;
    conv.readOnly.hidden = conv.mine || !conv.active;
    conv.stopViewing.hidden = conv.mine || !conv.active;
    var controls = [conv.input, conv.sendButton, conv.noteInput, conv.noteButton, conv.handBack, conv.release,
      conv.transferSelect, conv.transferButton, conv.outcomeSelect, conv.closeButton, conv.confirmYes];
    controls.forEach(function (c) {
      c.disabled = !canAct;
    });
    conv.noteInput.disabled = conv.noteButton.disabled = !(noter && conv.active);
    conv.transferButton.disabled = !canAct || !staff.length;
    if (!canAct) {
      conv.confirm.hidden = true;
    }
    conv.panel.classList.toggle("is-over", !conv.active);
    conv.panel.classList.toggle("is-readonly", !conv.mine);
    conv.tab.classList.toggle("is-over", !conv.active);
    conv.panel.setAttribute("data-mine", conv.mine ? "true" : "false");
    conv.panel.setAttribute("data-active", conv.active ? "true" : "false");
    conv.panel.setAttribute("data-state", conv.state || "");
    showHead(conv);
  }

  function showHead(conv) {
    clearChildren(conv.headLevel);
    conv.headLevel.appendChild(levelBadge(conv.level, true));
    clearChildren(conv.tabLevel);
    conv.tabLevel.appendChild(levelBadge(conv.level, false));
    conv.tab.className = "tab tab--" + LEVELS[levelOf(conv.level)].cls + (conv.active ? "" : " is-over") +
      (selected === conv.id ? " is-selected" : "");
    var state;
    if (!conv.active) {
      state = "No longer yours";
      conv.tabNote.textContent = conv.mine ? " (ended)" : "";
    } else if (!conv.mine) {
      state = "Read only" + (conv.handler ? ": with " + conv.handler : "") +
        (conv.state === "closed" ? " (closed)" : "");
      conv.tabNote.textContent = " (viewing)";
    } else {
      state = "With you";
      conv.tabNote.textContent = "";
    }
    conv.headState.textContent = state;
  }

  function showWorkEmpty() {
    els.workEmpty.hidden = convs.size > 0;
  }

  function orderedTabs() {
    return Array.prototype.slice.call(els.tabs.querySelectorAll('[role="tab"]'));
  }

  function tabKeys(event) {
    var tabs = orderedTabs();
    var i = tabs.indexOf(event.currentTarget);
    var next = -1;
    if (event.key === "ArrowRight" || event.key === "ArrowDown") {
      next = (i + 1) % tabs.length;
    } else if (event.key === "ArrowLeft" || event.key === "ArrowUp") {
      next = (i - 1 + tabs.length) % tabs.length;
    } else if (event.key === "Home") {
      next = 0;
    } else if (event.key === "End") {
      next = tabs.length - 1;
    }
    if (next >= 0) {
      event.preventDefault();
      var id = tabs[next].getAttribute("data-conversation");
      selectTab(id, false);
      tabs[next].focus();
    }
  }

  function selectTab(id, focusContent) {
    if (!convs.has(id)) {
      return;
    }
    selected = id;
    convs.forEach(function (conv, cid) {
      var on = cid === id;
      conv.tab.setAttribute("aria-selected", on ? "true" : "false");
      conv.tab.tabIndex = on ? 0 : -1;
      conv.tab.classList.toggle("is-selected", on);
      conv.panel.hidden = !on;
    });
    var conv = convs.get(id);
    conv.unread = 0;
    showUnread(conv);
    scrollToEnd(conv);
    if (focusContent) {
      if (conv.mine && conv.active) {
        conv.input.focus();
      } else {
        conv.heading.focus();
      }
    }
  }

  function removeConv(conv) {
    var tabs = orderedTabs();
    var i = tabs.indexOf(conv.tab);
    clearTimeout(conv.typingTimer);
    if (conv.tab.parentNode) {
      conv.tab.parentNode.removeChild(conv.tab);
    }
    if (conv.panel.parentNode) {
      conv.panel.parentNode.removeChild(conv.panel);
    }
    convs.delete(conv.id);
    if (selected === conv.id) {
      selected = "";
      var rest = orderedTabs();
      if (rest.length) {
        var next = rest[Math.min(i, rest.length - 1)];
        selectTab(next.getAttribute("data-conversation"), false);
        next.focus();
      } else {
        doc.getElementById("queue-heading").focus();
      }
    }
    showWorkEmpty();
    updateHeld();
  }

  function showUnread(conv) {
    conv.tabUnread.hidden = conv.unread === 0;
    conv.tabUnread.textContent = conv.unread ? conv.unread + " new" : "";
  }

  function nearEnd(conv) {
    var t = conv.transcript;
    return t.scrollHeight - (t.scrollTop + t.clientHeight) < 80;
  }

  function scrollToEnd(conv) {
    conv.transcript.scrollTop = conv.transcript.scrollHeight;
  }

  function onConversation(frame) {
    var id = str(frame.conversation);
    if (!id) {
      return;
    }
    var conv = convs.get(id) || makeConv(id);
    conv.mine = frame.mine === true;
    conv.active = true;
    conv.unconfirmed = false;
    conv.state = str(frame.state);
    conv.level = str(frame.level);
    conv.handler = str(frame.handler);
    conv.notice.hidden = true;
    conv.lastAction = "";

    // The whole transcript again (a reconnect sends it afresh); replies not yet acked stay.
    clearChildren(conv.transcript);
    conv.ids.clear();
    conv.elById.clear();
    list(frame.transcript).forEach(function (item) {
      addItem(conv, item, true);
    });
    conv.pending.forEach(function (entry) {
      if (entry.id && conv.ids.has(entry.id)) {
        conv.pending.delete(entry.clientId);
      } else {
        conv.transcript.appendChild(entry.el);
      }
    });
    clearChildren(conv.notesList);
    conv.noteIds.clear();
    list(frame.notes).forEach(function (note) {
      addNote(conv, note);
    });
    showNotesEmpty(conv);
    refreshPanelTools(conv);
    hideTyping(conv);
    if (!conv.mine && conv.state === "closed") {
      showNotice(conv, describeState(conv, frame, false));
    }
    var wanted = openingExpected();
    if (wanted || !selected) {
      selectTab(id, wanted);
      if (wanted) {
        announce((conv.mine ? "You took conversation " : "Viewing conversation ") + shortId(id) + ".");
      }
      focusUntil = 0;
    } else if (selected === id) {
      scrollToEnd(conv);
    }
    updateHeld();
  }

  function addItem(conv, item, fromHistory) {
    if (!item || typeof item !== "object") {
      return null;
    }
    var id = str(item.id);
    if (id && conv.ids.has(id)) {
      return null;
    }
    var role = str(item.role);
    if (role === "handler" && !fromHistory && str(item.author) === me.name) {
      // Our own reply: the message frame may come before the ack; match it to what we sent.
      var adopted = null;
      conv.pending.forEach(function (entry) {
        if (!adopted && !entry.id && entry.text === str(item.text)) {
          adopted = entry;
        }
      });
      if (adopted) {
        adopted.id = id;
        conv.ids.add(id);
        conv.elById.set(id, adopted.el);
        adopted.el.setAttribute("data-id", id);
        setEntryState(adopted, conv.delivered.has(id) || item.delivered === true ? "delivered" : "sent");
        return adopted.el;
      }
    }
    var el = renderItem(conv, item);
    if (id) {
      conv.ids.add(id);
      conv.elById.set(id, el);
      el.setAttribute("data-id", id);
    }
    var stick = fromHistory || nearEnd(conv);
    conv.transcript.appendChild(el);
    if (stick) {
      scrollToEnd(conv);
    }
    return el;
  }

  function roleLabel(conv, item) {
    var role = str(item.role);
    if (role === "young_person") {
      return "Young person";
    }
    if (role === "bot") {
      return "Bot";
    }
    if (role === "handler") {
      var author = str(item.author);
      if (author && author === me.name) {
        return "You (" + author + ")";
      }
      return author ? author + " (staff)" : "Staff";
    }
    return "Notice";
  }

  function renderItem(conv, item) {
    var role = str(item.role);
    var known = ["young_person", "bot", "handler", "system"].indexOf(role) >= 0 ? role : "system";
    var mineReply = known === "handler" && str(item.author) === me.name;
    var el = make("article", "tmsg tmsg--" + known + (mineReply ? " tmsg--mine" : ""));
    el.setAttribute("data-role", known);
    var who = make("p", "tmsg__who");
    who.appendChild(make("span", "tmsg__name", roleLabel(conv, item)));
    var at = clock(item.at);
    if (at) {
      who.appendChild(make("span", "tmsg__time", at));
    }
    el.appendChild(who);
    el.appendChild(make("p", "tmsg__text", str(item.text)));

    if (known === "young_person") {
      var risk = levelOf(item.risk);
      var phrases = words(item.phrases);
      var categories = words(item.categories);
      if (str(item.risk) || phrases.length || categories.length) {
        var riskBox = make("div", "tmsg__risk");
        if (str(item.risk)) {
          riskBox.appendChild(make("span", "visually-hidden", "Risk: "));
          riskBox.appendChild(levelBadge(risk, true));
        }
        var dl = make("dl", "facts facts--inline");
        fact(dl, "Matched", phrases, "phrase");
        fact(dl, "Categories", categories);
        if (dl.firstChild) {
          riskBox.appendChild(dl);
        }
        el.appendChild(riskBox);
        if (risk) {
          el.setAttribute("data-risk", risk);
        }
      }
    } else if (known === "bot") {
      var topics = words(item.topics);
      if (topics.length) {
        var understood = make("dl", "facts facts--inline");
        fact(understood, "Understood", topics);
        el.appendChild(understood);
      }
    } else if (known === "handler") {
      var meta = make("p", "tmsg__meta");
      el.appendChild(meta);
      var id = str(item.id);
      var state = item.delivered === true || (id && conv.delivered.has(id)) ? "delivered" : "sent";
      setStateOn(el, meta, state);
    }
    return el;
  }

  var STATE_TEXT = { sending: "Sending…", sent: "Sent", delivered: "Delivered", failed: "Not sent" };

  function setStateOn(el, meta, state, note, retry) {
    el.setAttribute("data-state", state);
    clearChildren(meta);
    meta.appendChild(make("span", "tmsg__state", STATE_TEXT[state] || state));
    if (note) {
      meta.appendChild(make("span", "tmsg__note", note));
    }
    if (retry) {
      meta.appendChild(button("Send again", "button button--quiet tmsg__retry", retry));
    }
  }

  function setEntryState(entry, state, note) {
    var retry = null;
    if (state === "failed") {
      retry = function () {
        transmit(entry);
      };
    }
    entry.state = state;
    setStateOn(entry.el, entry.meta, state, note, retry);
  }

  function sendReply(conv) {
    if (!conv.mine || !conv.active) {
      return;
    }
    var text = conv.input.value.trim();
    if (!text) {
      return;
    }
    if (text.length > MAX_CHARS) {
      showError(ERROR_TEXT.too_large);
      return;
    }
    if (!connected()) {
      showError("Not connected just now: your reply is still in the box. The console is reconnecting.");
      return;
    }
    var entry = { clientId: newClientId(), text: text, id: "", state: "", conv: conv };
    var el = renderItem(conv, { role: "handler", author: me.name, text: text, at: Date.now() });
    el.setAttribute("data-client-id", entry.clientId);
    entry.el = el;
    entry.meta = el.querySelector(".tmsg__meta");
    conv.pending.set(entry.clientId, entry);
    conv.transcript.appendChild(el);
    scrollToEnd(conv);
    conv.input.value = "";
    conv.lastTypingSent = 0;
    transmit(entry);
    conv.input.focus();
  }

  function transmit(entry) {
    var conv = entry.conv;
    if (!conv.mine || !conv.active) {
      setEntryState(entry, "failed", "The conversation is no longer yours.");
      return;
    }
    setEntryState(entry, "sending");
    if (!send({ type: "send", conversation: conv.id, client_id: entry.clientId, text: entry.text })) {
      setEntryState(entry, "failed");
    }
  }

  function findPending(clientId) {
    var found = null;
    convs.forEach(function (conv) {
      if (!found && conv.pending.has(clientId)) {
        found = conv.pending.get(clientId);
      }
    });
    return found;
  }

  function onAck(frame) {
    var entry = findPending(str(frame.client_id));
    if (!entry) {
      return;
    }
    var conv = entry.conv;
    var id = str(frame.id);
    conv.pending.delete(entry.clientId);
    if (entry.id) {
      return;  // the message frame came first and already placed it
    }
    if (id && conv.ids.has(id)) {
      // Shown already from its message frame: keep that one.
      if (entry.el.parentNode) {
        entry.el.parentNode.removeChild(entry.el);
      }
      return;
    }
    entry.id = id;
    if (id) {
      conv.ids.add(id);
      conv.elById.set(id, entry.el);
      entry.el.setAttribute("data-id", id);
    }
    setEntryState(entry, conv.delivered.has(id) ? "delivered" : "sent");
  }

  function onMessage(frame) {
    var conv = convs.get(str(frame.conversation));
    if (!conv || !frame.item || typeof frame.item !== "object") {
      return;
    }
    var item = frame.item;
    var el = addItem(conv, item, false);
    if (!el) {
      return;
    }
    if (str(item.role) === "young_person") {
      hideTyping(conv);
      var risk = levelOf(item.risk);
      if (risk && rankOf(risk) > rankOf(conv.level)) {
        conv.level = risk;
        showHead(conv);
      }
      if (selected !== conv.id || doc.hidden) {
        conv.unread += 1;
        showUnread(conv);
      }
    }
  }

  function rankOf(level) {
    return { GREEN: 1, AMBER: 2, RED: 3 }[levelOf(level)] || 0;
  }

  function onDelivered(frame) {
    var conv = convs.get(str(frame.conversation));
    var id = str(frame.id);
    if (!conv || !id) {
      return;
    }
    conv.delivered.add(id);
    var el = conv.elById.get(id);
    if (!el) {
      return;
    }
    var meta = el.querySelector(".tmsg__meta");
    if (meta) {
      setStateOn(el, meta, "delivered");
    }
  }

  function onTyping(frame) {
    var conv = convs.get(str(frame.conversation));
    if (!conv || !conv.active || (frame.who && frame.who !== "young_person")) {
      return;
    }
    conv.typing.hidden = false;
    clearTimeout(conv.typingTimer);
    conv.typingTimer = setTimeout(function () {
      hideTyping(conv);
    }, TYPING_SHOW_MS);
  }

  function hideTyping(conv) {
    clearTimeout(conv.typingTimer);
    conv.typingTimer = null;
    conv.typing.hidden = true;
  }

  function addNote(conv, note) {
    if (!note || typeof note !== "object") {
      return;
    }
    var id = str(note.id);
    if (id && conv.noteIds.has(id)) {
      return;
    }
    if (id) {
      conv.noteIds.add(id);
    }
    var li = make("li", "note");
    if (id) {
      li.setAttribute("data-id", id);
    }
    var who = make("p", "note__who");
    who.appendChild(make("span", "note__author", str(note.author) || "Staff"));
    var at = clock(note.at);
    if (at) {
      who.appendChild(make("span", "note__time", at));
    }
    li.appendChild(who);
    li.appendChild(make("p", "note__text", str(note.text)));
    conv.notesList.appendChild(li);
  }

  function showNotesEmpty(conv) {
    conv.notesEmpty.hidden = conv.notesList.children.length > 0;
  }

  function onNote(frame) {
    var conv = convs.get(str(frame.conversation));
    if (!conv || !frame.item) {
      return;
    }
    addNote(conv, frame.item);
    showNotesEmpty(conv);
    if (conv.noteSent && str(frame.item.author) === me.name && str(frame.item.text) === conv.noteSent) {
      if (conv.noteInput.value.trim() === conv.noteSent) {
        conv.noteInput.value = "";
      }
      conv.noteSent = "";
    }
  }

  function onState(frame) {
    var conv = convs.get(str(frame.conversation));
    if (!conv) {
      return;
    }
    var state = str(frame.state);
    var handler = str(frame.handler);
    conv.state = state;
    if (str(frame.level)) {
      conv.level = str(frame.level);
    }
    conv.handler = handler;
    var ours = state === "with_handler" && handler === me.name;
    if (ours) {
      // Taken by us (a supervisor who was reading it, or transferred to us while open).
      var wasMine = conv.mine && conv.active;
      conv.mine = true;
      conv.active = true;
      conv.notice.hidden = true;
      refreshPanelTools(conv);
      if (!wasMine && openingExpected()) {
        focusUntil = 0;
        selectTab(conv.id, true);
      }
      updateHeld();
      return;
    }
    if (conv.mine && conv.active) {
      endMine(conv, frame);
      return;
    }
    if (!conv.mine && conv.active) {
      // Someone else's conversation we were reading: the server stops sending its updates.
      conv.active = false;
      hideTyping(conv);
      refreshPanelTools(conv);
      showNotice(conv, describeState(conv, frame, false) +
        " This read-only view has stopped updating; view it again to follow it.");
      return;
    }
    refreshPanelTools(conv);
  }

  function describeState(conv, frame, wasMine) {
    var state = str(frame.state);
    var handler = str(frame.handler);
    if (state === "closed") {
      var outcome = str(frame.outcome);
      return "Closed" + (outcome ? " with the outcome “" + outcomeLabel(outcome) + "”" : "") + ".";
    }
    if (state === "bot") {
      return wasMine && conv.lastAction === "hand_back"
        ? "You handed this conversation back to the bot."
        : "Handed back to the bot.";
    }
    if (state === "queued") {
      return wasMine && conv.lastAction === "release"
        ? "You released this conversation to the queue."
        : "This conversation went back to the queue.";
    }
    if (state === "with_handler" && handler) {
      return (wasMine ? "Transferred to " : "Now with ") + handler + ".";
    }
    return "This conversation has changed.";
  }

  function endMine(conv, frame, text) {
    if (!text) {
      text = describeState(conv, frame, true) + " It is no longer yours.";
    }
    var hadFocus = conv.panel.contains(doc.activeElement);
    conv.active = false;
    hideTyping(conv);
    conv.pending.forEach(function (entry) {
      if (!entry.id) {
        setEntryState(entry, "failed", "The conversation is no longer yours.");
      }
    });
    refreshPanelTools(conv);
    showNotice(conv, text);
    if (hadFocus && selected === conv.id) {
      conv.notice.focus();
    }
    if (selected !== conv.id) {
      announce("Conversation " + shortId(conv.id) + ": " + text);
    }
    updateHeld();
  }

  function showNotice(conv, text) {
    conv.noticeText.textContent = text;
    conv.notice.hidden = false;
    conv.closeTab.hidden = conv.active && conv.mine;
  }

  function onError(frame) {
    var code = str(frame.code);
    var clientId = str(frame.client_id);
    var text = ERROR_TEXT[code] || str(frame.message) || "That was not done (" + (code || "error") + ").";
    if (code === "limit" && lastSent.type === "transfer" && Date.now() - lastSent.at < 10000) {
      text = "They already hold as many conversations as they may. Choose someone else.";
    } else if (code === "limit" && me.limit) {
      text = "You already hold " + me.limit + " conversations, your limit. Close, hand back or release one first.";
    }
    if (clientId) {
      var entry = findPending(clientId);
      if (entry && !entry.id) {
        setEntryState(entry, "failed", text);
      }
    }
    if (code === "taken" || code === "queue_empty" || code === "limit" || code === "gone") {
      focusUntil = 0;
    }
    showError(text);
  }

  // ---------------------------------------------------------------- start

  // Come back at once when the network returns, rather than waiting out the backoff.
  window.addEventListener("online", function () {
    if (!ws && !stopped) {
      attempt = 0;
      connect();
    }
  });

  updateRows();
  updateHeld();
  renderQueue();
  connect();
})();
