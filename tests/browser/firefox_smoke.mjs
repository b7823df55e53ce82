// Firefox run of the extension over WebDriver BiDi (Firefox's own remote protocol; Node's WebSocket).
// Usage: node --experimental-websocket firefox_smoke.mjs <firefox> <extension dir> <article url> <port>
//          <baseline url> <extension uuid>
// Installs the extension as a temporary add-on (its moz-extension:// UUID fixed by a pref), loads
// the article at <baseline url> (a host the extension never checks) to record the page as it
// was, then at <article url> (the extension checks it automatically: the test build lists its
// host), waits for the marks, opens every claim's popover, and then, from the extension's own
// popup page opened in a tab, reads the tab's state, badge, shortcut and the text that was sent,
// and clicks "Clear highlights". Prints one JSON line with what it found; the Python test judges.
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [firefox, extensionDir, articleUrl, portArg, baselineUrl, uuid] = process.argv.slice(2);
const port = Number(portArg);
const profile = mkdtempSync(join(tmpdir(), "corroborate-firefox-"));
const uuids = JSON.stringify({ "corroborate@corroborate.invalid": uuid });
writeFileSync(join(profile, "user.js"), [
  'user_pref("extensions.originControls.grantByDefault", true);',
  `user_pref("extensions.webextensions.uuids", ${JSON.stringify(uuids)});`,
  'user_pref("browser.shell.checkDefaultBrowser", false);',
  'user_pref("datareporting.policy.dataSubmissionEnabled", false);',
  'user_pref("app.update.enabled", false);',
].join("\n"));
const child = spawn(firefox, ["--headless", "--no-remote", "--profile", profile, "--remote-debugging-port", String(port)],
  { stdio: ["ignore", "ignore", "pipe"] });
let stderr = "";
child.stderr.on("data", (d) => { stderr += d; });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const out = { ok: false };

function finish(code) {
  child.kill();
  setTimeout(() => { try { rmSync(profile, { recursive: true, force: true }); } catch {} }, 500);
  console.log(JSON.stringify(out));
  setTimeout(() => process.exit(code), 600);
}

// The article as the tests compare it before marking and after clearing.
const ARTICLE_STATE = `JSON.stringify((() => {
  const root = document.querySelector('article, main');
  let textNodes = 0;
  const w = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  while (w.nextNode()) textNodes++;
  return { html: root.innerHTML, text: document.body.innerText, nodes: root.querySelectorAll('*').length, textNodes };
})())`;

let ws = null;
for (let i = 0; i < 150 && !ws; i++) {
  try {
    const s = new WebSocket(`ws://127.0.0.1:${port}/session`);
    await new Promise((resolve, reject) => { s.onopen = resolve; s.onerror = reject; });
    ws = s;
  } catch {
    await sleep(200);
  }
}
if (!ws) {
  out.error = "Firefox's WebDriver BiDi did not answer: " + stderr.slice(-500);
  finish(1);
} else {
  let nextId = 1;
  const pending = new Map();
  ws.onmessage = (m) => {
    const d = JSON.parse(m.data);
    if (d.id && pending.has(d.id)) { pending.get(d.id)(d); pending.delete(d.id); }
  };
  const send = (method, params = {}) => new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, (d) => (d.type === "error" ? reject(new Error(`${method}: ${d.error} ${d.message}`)) : resolve(d.result)));
    ws.send(JSON.stringify({ id, method, params }));
  });
  const value = async (context, expression) => {
    const r = await send("script.evaluate", { expression, target: { context }, awaitPromise: true, resultOwnership: "none" });
    if (r.type === "exception") throw new Error("evaluate: " + JSON.stringify(r.exceptionDetails).slice(0, 400));
    return r.result.value;
  };
  const until = async (context, expression, what, tries = 300) => {
    for (let i = 0; i < tries; i++) {
      if (await value(context, expression)) return;
      await sleep(100);
    }
    throw new Error(`timed out waiting for ${what}`);
  };
  try {
    out.version = (await send("session.new", { capabilities: {} })).capabilities.browserVersion;
    out.extension = (await send("webExtension.install", { extensionData: { type: "path", path: extensionDir } })).extension;
    const context = (await send("browsingContext.getTree", {})).contexts[0].context;

    // The page as it was: the same article from a host the extension does not check.
    await send("browsingContext.navigate", { context, url: baselineUrl, wait: "complete" });
    out.before = JSON.parse(await value(context, ARTICLE_STATE));
    out.baselineMarks = await value(context, 'document.querySelectorAll("[data-corroborate-index]").length');

    const t0 = Date.now();
    await send("browsingContext.navigate", { context, url: articleUrl, wait: "complete" });
    out.title = await value(context, "document.title");
    await until(context, 'document.querySelectorAll("mark[data-corroborate-index][tabindex=\'0\']").length', "the marks");
    out.ms = Date.now() - t0;
    out.marks = JSON.parse(await value(context, `JSON.stringify([...document.querySelectorAll("mark[data-corroborate-index]")]
      .map((m) => [Number(m.getAttribute("data-corroborate-index")), m.getAttribute("data-corroborate-label"), m.textContent,
                   m.getAttribute("tabindex")]))`));
    out.markBackground = await value(context, `(() => { const m = document.querySelector("mark.corroborate-corroborated");
      return m ? getComputedStyle(m).backgroundColor : null; })()`);
    // Every claim's popover, opened as a hover opens it.
    out.popovers = JSON.parse(await value(context, `(async () => {
      const found = {};
      for (const m of document.querySelectorAll("mark[data-corroborate-index][tabindex='0']")) {
        m.dispatchEvent(new MouseEvent("mouseover", { bubbles: true }));
        await new Promise((r) => requestAnimationFrame(() => r()));
        const h = document.querySelector("[data-corroborate-popover]");
        if (!h || !h.shadowRoot) continue;
        const card = h.shadowRoot.querySelector("[role=dialog]") || h.shadowRoot.querySelector(".card");
        found[m.getAttribute("data-corroborate-index")] = {
          display: getComputedStyle(h).display, visible: !!card && card.offsetHeight > 0,
          text: h.shadowRoot.textContent, imgs: h.shadowRoot.querySelectorAll("img").length,
          elements: [...h.shadowRoot.querySelectorAll("*")].map((e) => e.tagName.toLowerCase()),
          background: card ? getComputedStyle(card).backgroundColor : null };
        m.dispatchEvent(new MouseEvent("mouseout", { bubbles: true }));
      }
      return JSON.stringify(found);
    })()`));
    await sleep(300); // give any onerror handler from the evidence every chance to run
    out.afterPopovers = JSON.parse(await value(context,
      'JSON.stringify({pwned: window.__pwned === undefined ? null : window.__pwned, title: document.title, imgs: document.querySelectorAll("img").length})'));

    // The extension's own pages, in the tab the test build opened (BiDi may not navigate to moz-extension:
    // URLs): first the options page (to find the article's tab), then the popup.
    let ext = null;
    for (let i = 0; i < 100 && !ext; i++) {
      const tree = (await send("browsingContext.getTree", {})).contexts;
      const found = tree.find((c) => c.url.startsWith(`moz-extension://${uuid}/options.html`));
      if (found) ext = found.context;
      else await sleep(100);
    }
    if (!ext) throw new Error("the test build's options tab did not open");
    await until(ext, 'document.readyState === "complete"', "the options page", 50);
    const host = new URL(articleUrl).host;
    out.tabId = await value(ext, `chrome.tabs.query({}).then((tabs) => {
      const t = tabs.find((t) => t.url && new URL(t.url).host === ${JSON.stringify(host)});
      return t ? t.id : null; })`);
    await until(ext, 'document.querySelector("#shortcut kbd") || /No keyboard shortcut/.test(document.querySelector("#shortcut").textContent)', "the options' shortcut", 50);
    out.optionsShortcut = await value(ext, 'document.querySelector("#shortcut").dataset.shortcut');
    await value(ext, `location.href = "popup.html?tab=${out.tabId}", true`);
    await until(ext, 'location.pathname === "/popup.html" && document.readyState === "complete"', "the popup page", 50);
    await until(ext, 'document.querySelectorAll("#claims li").length', "the popup's claims", 100);
    await until(ext, 'document.querySelector("#shortcut").dataset.shortcut !== undefined', "the popup's shortcut", 50);
    out.popup = JSON.parse(await value(ext, `JSON.stringify({
      counts: Object.fromEntries([...document.querySelectorAll("[data-count]")].map((e) => [e.dataset.count, Number(e.textContent)])),
      claims: document.querySelectorAll("#claims li").length,
      status: document.querySelector("#status-text").textContent,
      shortcut: document.querySelector("#shortcut").dataset.shortcut,
      shortcutText: document.querySelector("#shortcut").textContent })`));
    out.state = await value(ext, `chrome.runtime.sendMessage({ type: "getState", tabId: ${out.tabId} }).then((r) => JSON.stringify(r.value))`)
      .then(JSON.parse);
    out.badge = await value(ext, `chrome.action.getBadgeText({ tabId: ${out.tabId} })`);
    out.sentText = await value(ext, `chrome.scripting.executeScript({ target: { tabId: ${out.tabId} },
      func: () => globalThis.__corroborate.lastText() }).then(([r]) => r.result)`);

    // "Clear highlights" in the popup gives the page back as it was.
    await value(ext, 'document.querySelector("#clear").click(), true');
    await until(context, '!document.querySelector("[data-corroborate-index], [data-corroborate-popover]")', "the marks to go");
    out.after = JSON.parse(await value(context, ARTICLE_STATE));
    // The badge is cleared just after the marks: wait for it rather than race it.
    const badge = `chrome.action.getBadgeText({ tabId: ${out.tabId} })`;
    for (let i = 0; i < 50 && (await value(ext, badge)) !== ""; i++) await sleep(100);
    out.badgeAfterClear = await value(ext, badge);
    out.ok = true;
    finish(0);
  } catch (err) {
    out.error = String(err.message || err);
    finish(1);
  }
}
