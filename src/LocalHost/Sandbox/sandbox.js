"use strict";
// The sandbox page: polls the in-memory chat and posts as the customer. DOM is built with textContent only,
// because every string shown here was typed by someone.
(function () {
  const $ = (id) => document.getElementById(id);
  const notice = (text) => { $("notice").textContent = text; };
  const rendered = new Map();
  let current = null;

  async function call(method, url, body) {
    const response = await fetch(url, {
      method,
      headers: body ? { "Content-Type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!response.ok) {
      let detail = response.status + " " + response.statusText;
      try { const p = await response.json(); detail = p.detail || (p.errors && Object.values(p.errors).flat().join(" ")) || p.title || detail; } catch { /* not JSON */ }
      throw new Error(detail);
    }
    return response.status === 204 ? null : response.json();
  }

  function tickText(status, errorCode) {
    switch (status) {
      case "accepted": return ["🕓", "accepted by the Cloud API"];
      case "sent": return ["✓", "sent"];
      case "delivered": return ["✓✓", "delivered"];
      case "read": return ["✓✓", "read"];
      case "failed": return ["✗ " + (errorCode || ""), "failed" + (errorCode ? " with error " + errorCode : "")];
      default: return ["", ""];
    }
  }

  function renderTicks(span, message) {
    const [symbol, words] = tickText(message.status, message.errorCode);
    span.className = "ticks " + (message.status || "");
    span.textContent = symbol;
    span.title = words;
    span.setAttribute("aria-label", "Status: " + words);
  }

  function buildItem(message) {
    const li = document.createElement("li");
    li.className = message.from;
    const who = document.createElement("div");
    who.className = "meta";
    who.textContent = (message.from === "business" ? "Business" : "Customer") + " · " + new Date(message.at).toLocaleTimeString();
    li.append(who);

    const body = document.createElement("div");
    if (message.type === "template") {
      const name = document.createElement("div");
      name.className = "template";
      name.textContent = "Template " + message.templateName + " (" + message.templateLanguage + ")";
      body.append(name);
      if (message.bodyParameters && message.bodyParameters.length) {
        const params = document.createElement("div");
        params.textContent = "Parameters: " + message.bodyParameters.join(" · ");
        body.append(params);
      }
    } else if (message.type === "button") {
      body.textContent = "Tapped: " + message.text;
    } else {
      body.textContent = message.text;
    }
    li.append(body);

    for (const reply of message.quickReplies || []) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "secondary";
      // The label lives in the approved template at Meta; the send only carries the payload.
      button.textContent = reply.payload;
      button.setAttribute("aria-label", "Tap quick reply " + reply.payload);
      button.addEventListener("click", () => tap(message.id, reply.payload));
      li.append(" ", button);
    }

    if (message.from === "business") {
      const ticks = document.createElement("span");
      renderTicks(ticks, message);
      li.append(ticks);
      li.ticks = ticks;
    }
    return li;
  }

  async function refresh() {
    if (!current) { return; }
    let conversation;
    try {
      conversation = await call("GET", "/sandbox/api/conversations/" + current);
    } catch (e) { notice("Could not load the chat: " + e.message); return; }
    if (conversation.waId !== current) { return; }
    const list = $("messages");
    for (const message of conversation.messages) {
      const known = rendered.get(message.id);
      if (!known) {
        const li = buildItem(message);
        rendered.set(message.id, { li, status: message.status });
        list.append(li);
      } else if (known.status !== message.status && known.li.ticks) {
        known.status = message.status;
        renderTicks(known.li.ticks, message);
      }
    }
    $("chat-hint").textContent = conversation.messages.length ? "" : "No messages yet. Send one as the customer, or let the app send.";
    $("marketing-state").textContent = "Marketing messages: " + (conversation.marketingStopped ? "stopped" : "allowed");
  }

  async function refreshKnown() {
    try {
      const list = await call("GET", "/sandbox/api/conversations");
      const datalist = $("known");
      datalist.replaceChildren(...list.map((c) => { const o = document.createElement("option"); o.value = c.waId; return o; }));
    } catch { /* the chat poll reports errors */ }
  }

  function open(waId) {
    current = waId;
    rendered.clear();
    $("messages").replaceChildren();
    $("chat-heading").textContent = "Chat with " + waId;
    refresh();
  }

  async function tap(contextMessageId, payload) {
    try {
      await call("POST", "/sandbox/api/customers/" + current + "/messages", { buttonPayload: payload, buttonText: payload, contextMessageId, name: $("name").value });
      notice("Tapped " + payload + ".");
      refresh();
    } catch (e) { notice("The tap was not delivered: " + e.message); }
  }

  $("pick").addEventListener("submit", (e) => {
    e.preventDefault();
    if (!$("waId").checkValidity()) { $("waId").reportValidity(); return; }
    open($("waId").value);
  });

  $("compose").addEventListener("submit", async (e) => {
    e.preventDefault();
    if (!current) { notice("Open a chat first."); $("waId").focus(); return; }
    const text = $("text").value.trim();
    if (!text) { return; }
    try {
      await call("POST", "/sandbox/api/customers/" + current + "/messages", { text, name: $("name").value });
      $("text").value = "";
      notice("Sent as the customer.");
      refresh();
      refreshKnown();
    } catch (e2) { notice("Not sent: " + e2.message); }
  });

  async function preference(value) {
    if (!current) { notice("Open a chat first."); return; }
    try {
      await call("POST", "/sandbox/api/customers/" + current + "/marketing-preference", { value });
      notice(value === "stop" ? "The customer stopped marketing messages." : "The customer resumed marketing messages.");
      refresh();
    } catch (e) { notice("Not changed: " + e.message); }
  }
  $("stop").addEventListener("click", () => preference("stop"));
  $("resume").addEventListener("click", () => preference("resume"));

  $("arm").addEventListener("click", async () => {
    try {
      const failure = await call("POST", "/sandbox/api/next-send-failure", { code: Number($("code").value) });
      notice("The next send fails with " + failure.error.code + (failure.asStatus ? " (as a failed status)." : " (refused)."));
    } catch (e) { notice("Not armed: " + e.message); }
  });
  $("disarm").addEventListener("click", async () => {
    await call("DELETE", "/sandbox/api/next-send-failure");
    notice("No failure armed.");
  });

  call("GET", "/sandbox/api/status").then((s) => {
    $("config").textContent = "Outbound goes to " + s.graphApiBaseUrl + "/" + s.graphApiVersion + "/" + s.phoneNumberId +
      "/messages · webhooks go to " + s.webhookUrl + " · statuses after " + s.statusDelaysMilliseconds.join("/") + " ms.";
  }).catch((e) => { $("config").textContent = "Sandbox status unavailable: " + e.message; });

  refreshKnown();
  setInterval(() => { refresh(); }, 1000);
  setInterval(() => { refreshKnown(); }, 5000);
}());
