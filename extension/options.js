/* Options: API URL, token, sites checked automatically. Stored in storage.local. */
"use strict";

const DEFAULT_API = "http://127.0.0.1:8000";
const $ = (sel) => document.querySelector(sel);

function say(text, kind) {
  const s = $("#status");
  s.textContent = text;
  s.className = kind || "";
}

function parseApi(raw) {
  const url = new URL((raw || "").trim() || DEFAULT_API);
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("The API URL must start with http:// or https://");
  return url.href.replace(/\/+$/, "");
}

function parseSites(raw) {
  return (raw || "")
    .split(/[\s,]+/)
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean)
    .map((s) => {
      try {
        return new URL(s.includes("://") ? s : `https://${s}`).hostname.replace(/^\*\./, "");
      } catch {
        return "";
      }
    })
    .filter(Boolean);
}

function isIpAddress(host) {
  return /^\d+\.\d+\.\d+\.\d+$/.test(host) || host.includes(":") || host.startsWith("[");
}

async function load() {
  const { apiUrl, token, autoSites } = await chrome.storage.local.get(["apiUrl", "token", "autoSites"]);
  $("#apiUrl").value = apiUrl || DEFAULT_API;
  $("#token").value = token || "";
  $("#autoSites").value = (autoSites || []).join("\n");
}

async function save(ev) {
  ev.preventDefault();
  let apiUrl;
  try {
    apiUrl = parseApi($("#apiUrl").value);
  } catch (e) {
    say(`Not saved: ${e.message || "the API URL is not a valid URL"}.`, "error");
    return;
  }
  const token = $("#token").value.trim();
  const autoSites = parseSites($("#autoSites").value);
  // Ask for the hosts in the same click (permissions.request needs a user gesture).
  // Patterns without a port: Firefox does not accept ports in match patterns.
  // The default API's host permission is in the manifest: nothing to ask for it.
  // permissions.request stays the first await: Firefox needs it inside the click.
  const api = new URL(apiUrl);
  const origins = apiUrl === DEFAULT_API ? [] : [`${api.protocol}//${api.hostname}/*`];
  for (const host of autoSites) {
    origins.push(`*://${host}/*`);
    if (!isIpAddress(host)) origins.push(`*://*.${host}/*`);
  }
  let granted = true;
  if (origins.length) {
    try {
      granted = await chrome.permissions.request({ origins });
    } catch {
      granted = false;
    }
  }
  await chrome.storage.local.set({ apiUrl, token, autoSites });
  $("#autoSites").value = autoSites.join("\n");
  say(
    granted
      ? "Saved."
      : "Saved. Permission was not granted: the API is reached through CORS, and automatic checks stay off for those sites.",
    granted ? "ok" : "error"
  );
}

async function testConnection() {
  let apiUrl;
  try {
    apiUrl = parseApi($("#apiUrl").value);
  } catch (e) {
    say(e.message, "error");
    return;
  }
  say("Testing…");
  const token = $("#token").value.trim();
  try {
    const resp = await fetch(`${apiUrl}/api/v1/health`, {
      headers: token ? { Authorization: `Bearer ${token}` } : {},
      cache: "no-store",
    });
    const data = await resp.json().catch(() => null);
    if (resp.status === 401) say("The API rejected the token (401).", "error");
    else if (!resp.ok) say(`The API answered ${resp.status}${data && data.error ? `: ${data.error.message}` : ""}`, "error");
    else say(`Connected to ${apiUrl}.`, "ok");
  } catch {
    say(`Cannot reach the Corroborate API at ${apiUrl}. Is it running?`, "error");
  }
}

$("#form").addEventListener("submit", save);
$("#test").addEventListener("click", testConnection);
$("#change-shortcut").addEventListener("click", () => globalThis.CORROBORATE_SHORTCUT.openSettings());
globalThis.CORROBORATE_SHORTCUT.show($("#shortcut"), "checks the page you are reading, as the toolbar button does.");
load();
