/* Small helpers shared by the young person's chat page (chat.js) and the call handlers'
   console (console.js). Loaded before either, with defer, from its own file (the pages' CSP
   allows scripts from the gateway only, never inline).

   Only what both pages do in the same way lives here; each page keeps its own connection,
   queue and rendering logic. Nothing here writes HTML: text goes on the page as textContent.
*/
(function () {
  "use strict";

  var doc = document;

  // A string, or "" for anything else (what the server sent may be missing or of another type).
  function str(value) {
    return typeof value === "string" ? value : "";
  }

  // A new element, with a class and text (as textContent, never as HTML) when given.
  function make(tag, className, text) {
    var node = doc.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }

  function clearChildren(node) {
    while (node.firstChild) {
      node.removeChild(node.firstChild);
    }
  }

  // The client_id of a message: lets the server drop a message sent twice (after a reconnect).
  function newClientId() {
    var c = window.crypto;
    if (c && typeof c.randomUUID === "function") {
      try {
        return c.randomUUID();
      } catch (e) {
        /* not a secure context */
      }
    }
    if (c && typeof c.getRandomValues === "function") {
      var bytes = new Uint8Array(16);
      c.getRandomValues(bytes);
      return Array.prototype.map.call(bytes, function (b) {
        return (b < 16 ? "0" : "") + b.toString(16);
      }).join("");
    }
    return "c" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }

  // The WebSocket address of a path on this page's own host (wss: when the page is https:).
  function socketUrl(path) {
    var scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    return scheme + "//" + window.location.host + path;
  }

  // A text frame's JSON object, or null (binary data, broken JSON, or not an object). Both
  // pages ignore such frames.
  function parseFrame(data) {
    if (typeof data !== "string") {
      return null;
    }
    var frame;
    try {
      frame = JSON.parse(data);
    } catch (e) {
      return null;
    }
    return frame && typeof frame === "object" && !Array.isArray(frame) ? frame : null;
  }

  // Stop listening to a socket and close it, without waiting for a close event that a
  // half-open connection may never deliver.
  function silenceAndClose(sock) {
    sock.onopen = sock.onmessage = sock.onclose = sock.onerror = null;
    try {
      sock.close(1000);
    } catch (e) {
      /* already closed */
    }
  }

  window.HelplineCommon = Object.freeze({
    str: str,
    make: make,
    clearChildren: clearChildren,
    newClientId: newClientId,
    socketUrl: socketUrl,
    parseFrame: parseFrame,
    silenceAndClose: silenceAndClose
  });
})();
