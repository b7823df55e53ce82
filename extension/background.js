/* Corroborate service worker (Chromium) / event page (Firefox).
 *
 * checkTab(tabId): read the article text of the tab (content.js), send it to the
 * Corroborate API, poll the job until it finishes, then have content.js mark every
 * claim in place. Progress and results live in storage.session under "tab:<id>",
 * which the popup renders. globalThis.checkTab is a stable hook for automation.
 */
"use strict";

const DEFAULTS = Object.freeze({
  apiUrl: "http://127.0.0.1:8000",
  token: "",
  autoSites: [],
});
const MENU_ID = "corroborate-check";
const COMMAND = "check-page"; // manifest "commands": the keyboard shortcut
const POLL_TIMEOUT_MS = 120000;
const REQUEST_TIMEOUT_MS = 15000;

class UserError extends Error {}

const runs = new Map(); // tabId -> run number; a newer check cancels an older one

async function getSettings() {
  const stored = await chrome.storage.local.get(Object.keys(DEFAULTS));
  return { ...DEFAULTS, ...stored };
}

function apiBase(raw) {
  let url;
  try {
    url = new URL(String(raw || DEFAULTS.apiUrl).trim());
  } catch {
    throw new UserError(`The API URL "${raw}" is not a valid URL. Fix it in Options.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UserError(`The API URL must start with http:// or https:// (got "${raw}").`);
  }
  return url.href.replace(/\/+$/, "");
}

/* ---------- per-tab state (read by the popup) ---------- */

function stateKey(tabId) {
  return `tab:${tabId}`;
}

async function getState(tabId) {
  const key = stateKey(tabId);
  const got = await chrome.storage.session.get(key);
  return got[key] || { status: "idle" };
}

async function setState(tabId, state) {
  await chrome.storage.session.set({ [stateKey(tabId)]: { ...state, tabId, updated: Date.now() } });
  await updateBadge(tabId, state).catch(() => {});
}

/** The badge: "…" while checking, "!" on an error, and when done the number of claims in
 *  conflict with other reports (contradicted + mixed), red when any is contradicted. */
async function updateBadge(tabId, state) {
  let text = "";
  let color = "#5f6368";
  let title = "Check claims on this page";
  if (["extracting", "sending", "queued", "started"].includes(state.status)) {
    text = "…";
    title = "Corroborate: checking this page…";
  } else if (state.status === "error" || state.status === "failed") {
    text = "!";
    color = "#b3261e";
    title = `Corroborate: ${state.message || "the check did not complete"}`;
  } else if (state.status === "finished" && state.counts) {
    const c = state.counts;
    const conflicts = c.contradicted + c.mixed;
    const total = c.corroborated + c.contradicted + c.mixed + c.unverified;
    text = String(conflicts);
    color = c.contradicted ? "#b3261e" : c.mixed ? "#9a5b00" : "#1a7f37";
    title =
      `Corroborate: ${conflicts} of ${total} claim${total === 1 ? "" : "s"} in conflict with other reports ` +
      `(${c.contradicted} contradicted, ${c.mixed} mixed)`;
  }
  await chrome.action.setBadgeText({ tabId, text });
  if (text) await chrome.action.setBadgeBackgroundColor({ tabId, color });
  await chrome.action.setTitle({ tabId, title });
}

/* ---------- talking to the page ---------- */

async function injectContent(tabId) {
  try {
    await chrome.scripting.insertCSS({ target: { tabId }, files: ["content.css"], origin: "USER" });
    await chrome.scripting.executeScript({ target: { tabId }, files: ["labels.js", "content.js"] });
  } catch (err) {
    const msg = String((err && err.message) || err);
    if (/cannot be scripted|chrome:\/\/|extensions gallery|webstore|about:|moz-extension|Missing host permission|Cannot access/i.test(msg)) {
      throw new UserError(
        "Corroborate cannot read this page. Click the toolbar button on the article itself " +
          "(browser pages and extension stores cannot be checked)."
      );
    }
    throw new UserError(`Corroborate could not read this page: ${msg}`);
  }
}

async function callContent(tabId, method, arg) {
  const [res] = await chrome.scripting.executeScript({
    target: { tabId },
    func: (m, a) => {
      const c = globalThis.__corroborate;
      if (!c) return { error: "content script missing" };
      try {
        return { value: c[m](a) };
      } catch (e) {
        return { error: String((e && e.message) || e) };
      }
    },
    args: [method, arg === undefined ? null : arg],
  });
  const out = res && res.result;
  if (!out) throw new UserError("The page did not answer (it may still be loading).");
  if (out.error) throw new UserError(`Could not ${method} on this page: ${out.error}`);
  return out.value;
}

/* ---------- talking to the API ---------- */

async function apiFetch(base, path, { method = "GET", body, token } = {}) {
  const url = /^https?:/.test(path) ? path : base + path;
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), REQUEST_TIMEOUT_MS);
  let resp;
  try {
    resp = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: ctrl.signal,
      credentials: "omit",
      cache: "no-store",
    });
  } catch (err) {
    const why = err && err.name === "AbortError" ? "it did not answer in time" : "the connection failed";
    throw new UserError(
      `Cannot reach the Corroborate API at ${base} (${why}). Is it running? Check the API URL in Options.`
    );
  } finally {
    clearTimeout(timer);
  }
  let data = null;
  try {
    data = await resp.json();
  } catch {
    data = null;
  }
  if (!resp.ok) {
    const apiMsg = errorMessage(data);
    if (resp.status === 401) {
      throw new UserError(
        `The API rejected the token (401${apiMsg ? `: ${apiMsg}` : ""}). Set the right token in Options.`
      );
    }
    throw new UserError(
      `The API answered ${resp.status}${apiMsg ? `: ${apiMsg}` : ` ${resp.statusText || "error"}`}`
    );
  }
  if (!data || typeof data !== "object") {
    throw new UserError(`The API at ${base} did not answer with JSON. Is the API URL right?`);
  }
  return { status: resp.status, data };
}

/** The message of an API error body {"error": {"status", "message", "fields"?}}, fields included. */
function errorMessage(data) {
  const err = data && data.error;
  if (!err) return "";
  if (typeof err === "string") return err;
  let msg = String(err.message || "");
  if (err.fields && typeof err.fields === "object") {
    const parts = Object.entries(err.fields).map(
      ([field, problems]) => `${field}: ${Array.isArray(problems) ? problems.join(" ") : String(problems)}`
    );
    if (parts.length) msg += ` (${parts.join("; ")})`;
  }
  return msg;
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

function countLabels(annotations) {
  const counts = { corroborated: 0, contradicted: 0, mixed: 0, unverified: 0 };
  for (const a of annotations) if (a && a.label in counts) counts[a.label] += 1;
  return counts;
}

/* ---------- the check ---------- */

const inflight = new Map(); // tabId -> promise of the running check

/** Check a tab. A check already running on that tab is joined, not restarted
 *  (the popup opening while the context menu's check runs, say). */
function checkTab(tabId) {
  tabId = Number(tabId);
  if (inflight.has(tabId)) return inflight.get(tabId);
  const work = runCheck(tabId).finally(() => {
    if (inflight.get(tabId) === work) inflight.delete(tabId);
  });
  inflight.set(tabId, work);
  return work;
}

async function runCheck(tabId) {
  const run = (runs.get(tabId) || 0) + 1;
  runs.set(tabId, run);
  const current = () => runs.get(tabId) === run;
  const t0 = Date.now();
  let tab = null;
  try {
    tab = await chrome.tabs.get(tabId);
  } catch {
    return { status: "error", message: "That tab no longer exists." };
  }
  const base0 = { url: tab.url, startedAt: t0 };
  await setState(tabId, { ...base0, status: "extracting" });
  try {
    const settings = await getSettings();
    const base = apiBase(settings.apiUrl);
    await injectContent(tabId);
    const tExtract = Date.now();
    const page = await callContent(tabId, "extract");
    const timings = { extractMs: Date.now() - tExtract };
    const tApi = Date.now();
    if (!page || !page.text || !page.text.trim()) {
      throw new UserError("No article text found on this page.");
    }
    if (!current()) return { status: "cancelled" };
    await setState(tabId, { ...base0, status: "sending", api: base });
    let { status, data } = await apiFetch(base, "/api/v1/annotations", {
      method: "POST",
      body: { text: page.text, url: page.url, title: page.title },
      token: settings.token,
    });
    let result = data.result;
    const jobId = data.id;
    let delay = 50;
    while (!(data.status === "finished" && data.result)) {
      if (data.status === "failed") {
        throw new UserError(`The check failed on the server: ${data.error || "no reason given"}`);
      }
      if (status === 200 && data.result) break;
      if (!jobId) throw new UserError("The API answered without a job id.");
      if (Date.now() - t0 > POLL_TIMEOUT_MS) {
        throw new UserError("The check is taking too long (over two minutes). Is a worker running?");
      }
      if (!current()) return { status: "cancelled" };
      await setState(tabId, { ...base0, status: data.status === "started" ? "started" : "queued", api: base, jobId });
      await sleep(delay);
      delay = Math.min(750, Math.round(delay * 1.3));
      const self = (data.links && data.links.self) || `/api/v1/annotations/${encodeURIComponent(jobId)}`;
      ({ status, data } = await apiFetch(base, new URL(self, base + "/").href, { token: settings.token }));
    }
    result = data.result;
    if (!current()) return { status: "cancelled" };
    const annotations = Array.isArray(result.annotations) ? result.annotations : [];
    timings.apiMs = Date.now() - tApi;
    const tApply = Date.now();
    const applied = await callContent(tabId, "apply", { annotations });
    timings.applyMs = Date.now() - tApply;
    const elapsedMs = Date.now() - t0;
    const counts = countLabels(annotations);
    const claims = annotations.map((a, index) => ({
      index,
      label: a.label,
      text: String(a.text || "").slice(0, 300),
      placed: !applied.missing.includes(index),
      support: (a.support || []).length,
      conflict: (a.conflict || []).length,
    }));
    const state = {
      ...base0,
      status: "finished",
      api: base,
      jobId,
      counts,
      claims,
      placed: applied.placed,
      missing: applied.missing,
      reanchored: applied.reanchored,
      corpus: result.corpus || null,
      elapsedMs,
      timings,
    };
    await setState(tabId, state);
    return state;
  } catch (err) {
    const message = err instanceof UserError ? err.message : `Unexpected error: ${(err && err.message) || err}`;
    if (!(err instanceof UserError)) console.error(err);
    if (current()) await setState(tabId, { ...base0, status: "error", message, elapsedMs: Date.now() - t0 });
    return { status: "error", message };
  }
}

async function clearTab(tabId) {
  tabId = Number(tabId);
  runs.set(tabId, (runs.get(tabId) || 0) + 1); // a running check stops before marking
  inflight.delete(tabId);
  let removed = 0;
  try {
    removed = await callContent(tabId, "clear");
    await chrome.scripting.removeCSS({ target: { tabId }, files: ["content.css"], origin: "USER" }).catch(() => {});
  } catch {
    // No content script on the page: nothing to clear.
  }
  await setState(tabId, { status: "cleared" });
  return { removed };
}

async function scrollToClaim(tabId, index) {
  return callContent(Number(tabId), "scrollTo", Number(index));
}

/** The keyboard shortcut: check the tab it was pressed in (the shortcut grants activeTab, as a click does). */
async function onCommand(command, tab) {
  if (command !== COMMAND) return null;
  if (!tab || tab.id === undefined) [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  return tab && tab.id !== undefined ? checkTab(tab.id) : null;
}

globalThis.checkTab = checkTab;
globalThis.clearTab = clearTab;
globalThis.onCommand = onCommand;

/* ---------- entry points ---------- */

function createMenu() {
  chrome.contextMenus.removeAll(() => {
    chrome.contextMenus.create({
      id: MENU_ID,
      title: "Check claims on this page",
      contexts: ["page", "selection", "link"],
    });
  });
}

chrome.runtime.onInstalled.addListener(createMenu);
chrome.runtime.onStartup.addListener(createMenu);

chrome.commands.onCommand.addListener((command, tab) => {
  onCommand(command, tab);
});

chrome.contextMenus.onClicked.addListener((info, tab) => {
  if (info.menuItemId === MENU_ID && tab && tab.id !== undefined) checkTab(tab.id);
});

chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  if (!msg || typeof msg !== "object" || sender.id !== chrome.runtime.id) return false;
  // Only extension pages (popup, options) send commands; content scripts do not.
  if (sender.tab && sender.url && !sender.url.startsWith(chrome.runtime.getURL(""))) return false;
  let work;
  switch (msg.type) {
    case "check":
      work = checkTab(msg.tabId);
      break;
    case "clear":
      work = clearTab(msg.tabId);
      break;
    case "scrollTo":
      work = scrollToClaim(msg.tabId, msg.index);
      break;
    case "getState":
      work = getState(Number(msg.tabId));
      break;
    default:
      return false;
  }
  work.then(
    (value) => sendResponse({ ok: true, value }),
    (err) => sendResponse({ ok: false, error: String((err && err.message) || err) })
  );
  return true;
});

/* A new page in the tab: forget the old result; auto-check chosen sites. */
function hostMatches(host, sites) {
  host = host.toLowerCase();
  return sites.some((s) => {
    s = String(s).trim().toLowerCase().replace(/^\*\./, "");
    return s && (host === s || host.endsWith("." + s));
  });
}

chrome.tabs.onUpdated.addListener(async (tabId, info, tab) => {
  if (info.status === "loading" && info.url) {
    // Another page: a running check for the old one stops, its result is forgotten.
    if (inflight.has(tabId)) {
      runs.set(tabId, (runs.get(tabId) || 0) + 1);
      inflight.delete(tabId);
    }
    await chrome.storage.session.remove(stateKey(tabId));
    return;
  }
  if (info.status !== "complete" || !tab.url || !/^https?:/.test(tab.url)) return;
  const { autoSites } = await getSettings();
  if (!autoSites || !autoSites.length) return;
  let host;
  try {
    host = new URL(tab.url).hostname;
  } catch {
    return;
  }
  if (!hostMatches(host, autoSites)) return;
  const url = new URL(tab.url);
  const pattern = `${url.protocol}//${url.hostname}/*`; // no port: Firefox does not accept one
  if (await chrome.permissions.contains({ origins: [pattern] })) checkTab(tabId);
});

chrome.tabs.onRemoved.addListener((tabId) => {
  runs.delete(tabId);
  inflight.delete(tabId);
  chrome.storage.session.remove(stateKey(tabId));
});

