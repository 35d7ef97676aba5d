// The live share page: one WebSocket, server-rendered (already escaped) HTML, reconnect with backoff.
"use strict";

(() => {
  const LABELS = { user: "You", assistant: "Copilot", notice: "Notice" };
  const CLOSE_STOPPED = 4000; // the app stopped sharing: do not reconnect
  const CLOSE_LAN_ENDED = 4001; // the app shares with its own machine only now: do not reconnect
  const CLOSE_FULL = 4002; // too many viewers: say so (the app's reason) and try again later
  const MIN_DELAY = 500;
  const MAX_DELAY = 10000;

  const conversation = document.getElementById("conversation");
  const titleElement = document.getElementById("title");
  const status = document.getElementById("status");
  const announcer = document.getElementById("announcer");
  const base = location.pathname.replace(/\/+$/, "");
  const socketUrl = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + base + "/ws";

  let socket = null;
  let delay = MIN_DELAY;
  let retryTimer = null;
  let ended = false;
  let wasLive = false;

  function setStatus(state, text) {
    status.dataset.state = state;
    status.textContent = text;
  }

  // Said once per change (a reply starts, a reply completes), never token by token.
  function announce(text) {
    announcer.textContent = "";
    window.setTimeout(() => { announcer.textContent = text; }, 50);
  }

  function setTitle(title) {
    const text = title || "Shared conversation";
    titleElement.textContent = text;
    document.title = text;
  }

  function nearBottom() {
    return window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 120;
  }

  function keepBottom(wasAtBottom) {
    if (wasAtBottom) window.scrollTo(0, document.documentElement.scrollHeight);
  }

  function setDone(article, done) {
    article.dataset.done = done ? "true" : "false";
    article.setAttribute("aria-busy", done ? "false" : "true");
    article.querySelector(".marker").textContent = done ? "✓ Reply complete" : "Replying…";
  }

  function buildMessage(role, html, done) {
    const known = Object.prototype.hasOwnProperty.call(LABELS, role) ? role : "notice";
    const article = document.createElement("article");
    article.className = "message " + known;
    const label = document.createElement("div");
    label.className = "label";
    label.textContent = LABELS[known];
    const body = document.createElement("div");
    body.className = "body";
    body.innerHTML = html; // rendered by the app: raw HTML in replies is escaped there
    article.append(label, body);
    if (known === "assistant") {
      const marker = document.createElement("div");
      marker.className = "marker";
      article.append(marker);
      setDone(article, done);
    }
    return article;
  }

  function streamingReply() {
    const last = conversation.lastElementChild;
    return last && last.classList.contains("assistant") && last.dataset.done === "false" ? last : null;
  }

  function onSnapshot(data) {
    setTitle(data.title);
    const messages = Array.isArray(data.messages) ? data.messages : [];
    conversation.replaceChildren(...messages.map((m) => buildMessage(m.role, m.html, m.done !== false)));
    conversation.setAttribute("aria-busy", "false");
    window.scrollTo(0, document.documentElement.scrollHeight);
  }

  function onMessage(data) {
    const atBottom = nearBottom();
    conversation.append(buildMessage(data.role, data.html, true));
    keepBottom(atBottom);
  }

  function onReply(data) {
    const atBottom = nearBottom();
    let article = streamingReply();
    if (article) {
      article.querySelector(".body").innerHTML = data.html;
    } else {
      article = buildMessage("assistant", data.html, false);
      conversation.append(article);
      if (!data.done) announce("Copilot is replying");
    }
    if (data.done) {
      setDone(article, true);
      announce("Reply complete");
    }
    keepBottom(atBottom);
  }

  const HANDLERS = { snapshot: onSnapshot, message: onMessage, reply: onReply, title: (d) => setTitle(d.title) };

  function connect() {
    retryTimer = null;
    if (ended) return;
    socket = new WebSocket(socketUrl);
    socket.addEventListener("message", (event) => {
      let data;
      try {
        data = JSON.parse(event.data);
      } catch (error) {
        return;
      }
      const handler = HANDLERS[data.type];
      if (!handler) return;
      handler(data);
      if (data.type === "snapshot") {
        delay = MIN_DELAY; // a working connection: the next drop retries quickly again
        wasLive = true;
        setStatus("live", "● Live");
      }
    });
    socket.addEventListener("close", (event) => {
      socket = null;
      if (event.code === CLOSE_STOPPED || event.code === CLOSE_LAN_ENDED) {
        const why = event.code === CLOSE_STOPPED ? "Sharing has ended" : "Sharing on the network has ended";
        ended = true;
        setStatus("ended", why);
        announce(why);
        return;
      }
      if (event.code === CLOSE_FULL) {
        const why = event.reason || "This share has as many viewers as it takes. Trying again shortly.";
        wasLive = false;
        setStatus("full", why);
        announce(why);
        delay = MAX_DELAY;
        scheduleReconnect();
        return;
      }
      if (wasLive) announce("Connection lost, reconnecting");
      wasLive = false;
      setStatus("reconnecting", "Reconnecting…");
      scheduleReconnect();
    });
  }

  function scheduleReconnect() {
    if (retryTimer !== null || ended) return;
    const wait = delay * (0.75 + Math.random() * 0.5);
    delay = Math.min(delay * 2, MAX_DELAY);
    retryTimer = window.setTimeout(connect, wait);
  }

  // Back on the network: try at once rather than at the end of a long back-off.
  window.addEventListener("online", () => {
    if (socket === null && retryTimer !== null) {
      window.clearTimeout(retryTimer);
      delay = MIN_DELAY;
      connect();
    }
  });

  connect();
})();
