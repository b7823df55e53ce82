// Firefox run of the extension over WebDriver BiDi (Firefox's own remote protocol; Node's WebSocket).
// Usage: node --experimental-websocket firefox_smoke.mjs <firefox> <extension dir> <article url> <port>
// Installs the extension as a temporary add-on, loads the article (the extension checks it
// automatically: the test build lists the article's host), waits for the marks, opens one
// popover, and prints one JSON line with what it found.
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [firefox, extensionDir, articleUrl, portArg] = process.argv.slice(2);
const port = Number(portArg);
const profile = mkdtempSync(join(tmpdir(), "corroborate-firefox-"));
writeFileSync(join(profile, "user.js"), [
  'user_pref("extensions.originControls.grantByDefault", true);',
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
  try {
    out.version = (await send("session.new", { capabilities: {} })).capabilities.browserVersion;
    out.extension = (await send("webExtension.install", { extensionData: { type: "path", path: extensionDir } })).extension;
    const context = (await send("browsingContext.getTree", {})).contexts[0].context;
    const t0 = Date.now();
    await send("browsingContext.navigate", { context, url: articleUrl, wait: "complete" });
    const claims = 'document.querySelectorAll("mark[data-corroborate-index][tabindex=\'0\']").length';
    for (let i = 0; i < 300 && !(await value(context, claims)); i++) await sleep(100);
    out.ms = Date.now() - t0;
    out.marks = JSON.parse(await value(context, `JSON.stringify([...document.querySelectorAll("mark[data-corroborate-index]")]
      .map((m) => [Number(m.getAttribute("data-corroborate-index")), m.getAttribute("data-corroborate-label"), m.textContent]))`));
    out.markBackground = await value(context, `(() => { const m = document.querySelector("mark.corroborate-corroborated");
      return m ? getComputedStyle(m).backgroundColor : null; })()`);
    out.popover = JSON.parse(await value(context, `(() => {
      const m = document.querySelector("mark.corroborate-mixed[tabindex='0'], mark.corroborate-corroborated[tabindex='0']");
      if (!m) return "null";
      m.dispatchEvent(new MouseEvent("mouseover", { bubbles: true }));
      const h = document.querySelector("[data-corroborate-popover]");
      if (!h || !h.shadowRoot) return "null";
      return JSON.stringify({ display: getComputedStyle(h).display, text: h.shadowRoot.textContent,
        background: getComputedStyle(h.shadowRoot.querySelector(".card")).backgroundColor });
    })()`));
    out.ok = true;
    finish(0);
  } catch (err) {
    out.error = String(err.message || err);
    finish(1);
  }
}
