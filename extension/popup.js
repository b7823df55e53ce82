/* Toolbar popup: progress, errors, counts per label, the list of claims. */
"use strict";

const LABELS = globalThis.CORROBORATE_LABELS.order; // labels.js, loaded first
const STATUS_TEXT = {
  idle: "Ready. Check this page to mark its claims.",
  cleared: "Highlights cleared.",
  extracting: "Reading the article…",
  sending: "Sending the article to the API…",
  queued: "Queued: waiting for a worker…",
  started: "Checking claims against the other reports…",
};
const $ = (sel) => document.querySelector(sel);
const params = new URLSearchParams(location.search);
let tabId = null;
let tabUrl = "";

function send(msg) {
  return chrome.runtime.sendMessage(msg).then((r) => {
    if (!r || !r.ok) throw new Error((r && r.error) || "no answer from the extension");
    return r.value;
  });
}

function render(st) {
  st = st || { status: "idle" };
  const busy = ["extracting", "sending", "queued", "started"].includes(st.status);
  $("#progress").hidden = !busy;
  $("#check").disabled = busy;
  const err = $("#error");
  err.hidden = st.status !== "error";
  err.textContent = st.status === "error" ? st.message || "Something went wrong." : "";
  let text = STATUS_TEXT[st.status] || "";
  if (st.status === "finished") {
    const n = (st.claims || []).length;
    const secs = (st.elapsedMs || 0) / 1000;
    text = `${n} claim${n === 1 ? "" : "s"} checked in ${secs.toFixed(secs < 1 ? 2 : 1)} s.`;
    if (st.missing && st.missing.length) text += ` ${st.missing.length} could not be found on the page.`;
  } else if (st.status === "error") {
    text = "The check did not complete.";
  }
  $("#status-text").textContent = text;

  const finished = st.status === "finished";
  $("#counts").hidden = !finished;
  $("#claims").hidden = !finished;
  for (const label of LABELS) {
    $(`[data-count="${label}"]`).textContent = String(finished && st.counts ? st.counts[label] : 0);
  }
  const list = $("#claims");
  list.replaceChildren();
  if (finished) {
    for (const claim of st.claims || []) {
      const li = document.createElement("li");
      const b = document.createElement("button");
      b.type = "button";
      const label = LABELS.includes(claim.label) ? claim.label : "unverified";
      b.className = label + (claim.placed ? "" : " missing");
      b.dataset.index = String(claim.index);
      const tag = document.createElement("span");
      tag.className = "label";
      tag.textContent = label + (claim.placed ? "" : " (not found on page)");
      b.appendChild(tag);
      b.appendChild(document.createTextNode(claim.text.length > 160 ? claim.text.slice(0, 157) + "…" : claim.text));
      b.disabled = !claim.placed;
      b.addEventListener("click", () => send({ type: "scrollTo", tabId, index: claim.index }).catch(showError));
      li.appendChild(b);
      list.appendChild(li);
    }
  }
}

function showError(e) {
  render({ status: "error", message: String((e && e.message) || e) });
}

async function refresh() {
  render(await send({ type: "getState", tabId }));
}

async function main() {
  if (params.has("tab")) {
    tabId = Number(params.get("tab"));
  } else {
    const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
    tabId = tab ? tab.id : null;
    tabUrl = tab ? tab.url || "" : "";
  }
  $("#options").addEventListener("click", () => chrome.runtime.openOptionsPage());
  globalThis.CORROBORATE_SHORTCUT.show($("#shortcut"), "checks the page, no click needed.");
  if (tabId === null) {
    showError("No tab to check.");
    return;
  }
  $("#check").addEventListener("click", () => send({ type: "check", tabId }).catch(showError));
  $("#clear").addEventListener("click", () => send({ type: "clear", tabId }).then(refresh, showError));
  chrome.storage.onChanged.addListener((changes, area) => {
    const ch = changes[`tab:${tabId}`];
    if (area === "session" && ch) render(ch.newValue);
  });
  const st = await send({ type: "getState", tabId });
  render(st);
  // Opening the popup from the toolbar checks the page, unless it already has a
  // result (or a check is running) for this very page.
  const fresh = st && st.url && tabUrl && st.url === tabUrl && !["idle", "cleared", "error"].includes(st.status);
  if (!params.has("tab") && !fresh) send({ type: "check", tabId }).catch(showError);
}

main().catch(showError);
