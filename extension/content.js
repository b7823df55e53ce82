/* Corroborate content script: extract the article text with a map back to DOM text
 * nodes, mark claims in place, show the evidence popover, and restore the page.
 *
 * Injected on demand by the service worker (scripting.executeScript), which then
 * calls globalThis.__corroborate.extract() / .apply(result) / .clear() / .scrollTo(i).
 * Server text reaches the page only through textContent / createTextNode.
 */
(() => {
  "use strict";
  if (globalThis.__corroborate) return;

  const LABELS = globalThis.CORROBORATE_LABELS.order; // labels.js, injected first
  const LABEL_NAMES = globalThis.CORROBORATE_LABELS.names;
  const SKIP_TAGS = new Set([
    "SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "SVG", "CANVAS", "IFRAME", "OBJECT", "EMBED",
    "TEXTAREA", "INPUT", "SELECT", "OPTION", "BUTTON", "VIDEO", "AUDIO", "MATH", "NAV", "ASIDE",
    "CORROBORATE-POPOVER",
  ]);
  const SKIP_ROLES = new Set(["navigation", "complementary", "search", "banner", "contentinfo"]);
  const CONTEXT = 32; // characters of prefix/suffix kept for re-anchoring (TextQuoteSelector)

  /* ---------------- text extraction ---------------- */

  function visibleTextLength(el) {
    return (el.innerText || el.textContent || "").trim().length;
  }

  /** The element holding the article: <article>, articleBody, <main>, or the parent
   *  of the most paragraph text (a readability-style choice), else <body>. */
  function chooseRoot() {
    const pick = (sel) => {
      let best = null;
      let bestLen = 0;
      for (const el of document.querySelectorAll(sel)) {
        const len = visibleTextLength(el);
        if (len > bestLen) {
          best = el;
          bestLen = len;
        }
      }
      return bestLen >= 200 ? best : null;
    };
    const found = pick("article") || pick('[itemprop="articleBody"]') || pick('main, [role="main"]');
    if (found) return found;
    const scores = new Map();
    for (const p of document.querySelectorAll("p")) {
      const len = (p.textContent || "").trim().length;
      if (len < 40) continue;
      const parent = p.parentElement;
      if (!parent) continue;
      scores.set(parent, (scores.get(parent) || 0) + len);
      const grand = parent.parentElement;
      if (grand && grand !== document.documentElement) scores.set(grand, (scores.get(grand) || 0) + len / 2);
    }
    let best = null;
    let bestScore = 0;
    for (const [el, score] of scores) {
      if (score > bestScore) {
        best = el;
        bestScore = score;
      }
    }
    return bestScore >= 200 ? best : document.body;
  }

  function isWs(code) {
    return code === 32 || code === 9 || code === 10 || code === 13 || code === 12;
  }

  /** Walk `root` and build the text the reader sees, whitespace collapsed as HTML
   *  renders it, blocks separated by blank lines. For every UTF-16 code unit of the
   *  text we keep the text node it came from and the offset in that node
   *  (separators map to nothing). JS strings are UTF-16, so the API's start_utf16 /
   *  end_utf16 index this text directly. */
  function buildText(root) {
    const chars = [];
    const nodeOf = []; // index into nodes, or -1
    const offOf = [];
    const nodes = [];
    const datas = [];
    let pendingSpace = null; // [nodeIndex, offset]
    let pendingBreak = 0;

    const push = (ch, ni, off) => {
      chars.push(ch);
      nodeOf.push(ni);
      offOf.push(off);
    };
    const flush = () => {
      if (pendingBreak) {
        if (chars.length) for (let k = 0; k < pendingBreak; k++) push("\n", -1, -1);
        pendingBreak = 0;
        pendingSpace = null;
      } else if (pendingSpace) {
        if (chars.length) push(" ", pendingSpace[0], pendingSpace[1]);
        pendingSpace = null;
      }
    };
    const brk = (n) => {
      pendingBreak = Math.max(pendingBreak, n);
    };

    const walk = (el, visible) => {
      for (let child = el.firstChild; child; child = child.nextSibling) {
        if (child.nodeType === Node.TEXT_NODE) {
          if (!visible) continue;
          const d = child.data;
          if (!d) continue;
          const ni = nodes.length;
          nodes.push(child);
          datas.push(d);
          for (let i = 0; i < d.length; i++) {
            const code = d.charCodeAt(i);
            if (isWs(code)) {
              if (!pendingSpace && !pendingBreak && chars.length) pendingSpace = [ni, i];
            } else {
              flush();
              push(d[i], ni, i);
            }
          }
        } else if (child.nodeType === Node.ELEMENT_NODE) {
          const tag = child.tagName.toUpperCase();
          if (SKIP_TAGS.has(tag)) continue;
          if (child.hidden || child.getAttribute("aria-hidden") === "true") continue;
          const role = child.getAttribute("role");
          if (role && SKIP_ROLES.has(role)) continue;
          if (tag === "BR") {
            brk(1);
            continue;
          }
          const style = getComputedStyle(child);
          if (style.display === "none") continue;
          const inline = style.display.startsWith("inline") || style.display === "contents";
          const childVisible = style.visibility === "visible" || style.visibility === "";
          if (!inline) brk(2);
          walk(child, childVisible);
          if (!inline) brk(2);
        }
      }
    };
    if (root) walk(root, true);
    return { text: chars.join(""), nodeOf, offOf, nodes, datas };
  }

  /* ---------------- anchoring ---------------- */

  function commonSuffixLen(a, b) {
    let n = 0;
    while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
    return n;
  }
  function commonPrefixLen(a, b) {
    let n = 0;
    while (n < a.length && n < b.length && a[n] === b[n]) n++;
    return n;
  }
  function escapeRegExp(s) {
    return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  /** Find where a quote (exact + prefix/suffix, as a W3C TextQuoteSelector) sits in
   *  `text`; `hint` is the old position, used to break ties. */
  function findQuote(text, quote, hint) {
    const candidates = [];
    const exact = quote.exact;
    if (!exact) return null;
    for (let at = text.indexOf(exact); at !== -1; at = text.indexOf(exact, at + 1)) {
      candidates.push([at, at + exact.length]);
      if (candidates.length > 200) break;
    }
    if (!candidates.length) {
      // Whitespace may have changed (a line break added, two spaces collapsed).
      const words = exact.trim().split(/\s+/).filter(Boolean);
      if (!words.length) return null;
      const re = new RegExp(words.map(escapeRegExp).join("\\s+"), "g");
      let m;
      while ((m = re.exec(text)) && candidates.length <= 200) {
        candidates.push([m.index, m.index + m[0].length]);
      }
    }
    if (!candidates.length) return null;
    let best = null;
    let bestScore = -Infinity;
    for (const [s, e] of candidates) {
      const score =
        commonSuffixLen(text.slice(Math.max(0, s - CONTEXT), s), quote.prefix || "") +
        commonPrefixLen(text.slice(e, e + CONTEXT), quote.suffix || "") -
        Math.abs(s - hint) / 1e6;
      if (score > bestScore) {
        bestScore = score;
        best = [s, e];
      }
    }
    return best;
  }

  /* ---------------- state ---------------- */

  const state = {
    sent: null, // { text, root } of the last extract()
    annotations: [],
    records: [], // { node, data, inserted: [] } for every text node split
    marks: new Map(), // index -> [mark elements]
    markSet: new WeakSet(),
    popover: null, // { host, root, card }
    open: null, // { index, anchor, pinned }
    hideTimer: 0,
    listening: false,
  };

  function extract() {
    clear();
    const root = chooseRoot();
    const built = buildText(root);
    state.sent = { text: built.text, root };
    return {
      text: built.text,
      url: location.href,
      title: document.title || "",
    };
  }

  function quoteFor(ann, sent) {
    const s = Number.isInteger(ann.start_utf16) ? ann.start_utf16 : 0;
    const e = Number.isInteger(ann.end_utf16) ? ann.end_utf16 : 0;
    const exact = typeof ann.text === "string" ? ann.text : sent && e > s ? sent.slice(s, e) : "";
    return {
      exact,
      prefix: sent ? sent.slice(Math.max(0, s - CONTEXT), s) : "",
      suffix: sent ? sent.slice(e, e + CONTEXT) : "",
    };
  }

  /** Mark every claim. Offsets are used as they are when the page still has the
   *  text that was sent; otherwise each claim is re-anchored by its quote. */
  function apply(result) {
    clear();
    // Indices stay those of the result (the popup and data-corroborate-index use them).
    const annotations = (result && Array.isArray(result.annotations) ? result.annotations : []).map((a) =>
      a && typeof a === "object" ? a : {}
    );
    state.annotations = annotations;
    const root = state.sent && state.sent.root && state.sent.root.isConnected ? state.sent.root : chooseRoot();
    const sent = state.sent ? state.sent.text : null;
    const built = buildText(root);
    const fresh = built.text;

    const missing = [];
    const reanchored = [];
    const byNode = new Map(); // text node index -> [{start, end, index, label}]
    annotations.forEach((ann, index) => {
      const label = LABELS.includes(ann.label) ? ann.label : "unverified";
      const quote = quoteFor(ann, sent);
      let s = Number(ann.start_utf16);
      let e = Number(ann.end_utf16);
      let ok = Number.isInteger(s) && Number.isInteger(e) && s >= 0 && e > s && e <= fresh.length;
      // Fast path: the text at the offsets is still the claim (always so when sameText).
      if (ok && fresh.slice(s, e) !== quote.exact) ok = false;
      if (!ok) {
        const found = findQuote(fresh, quote, Number.isFinite(s) ? s : 0);
        if (!found) {
          missing.push(index);
          return;
        }
        [s, e] = found;
        reanchored.push(index);
      }
      // Split [s, e) into runs of consecutive code units of one text node.
      let run = null;
      let part = 0;
      const flushRun = () => {
        if (!run) return;
        const data = built.datas[run.ni];
        if (data.slice(run.start, run.end).trim()) {
          if (!byNode.has(run.ni)) byNode.set(run.ni, []);
          byNode.get(run.ni).push({ start: run.start, end: run.end, index, label, part: part++ });
        }
        run = null;
      };
      for (let k = s; k < e; k++) {
        const ni = built.nodeOf[k];
        const off = built.offOf[k];
        if (ni < 0) {
          flushRun();
          continue;
        }
        if (run && run.ni === ni && run.end === off) run.end = off + 1;
        else {
          flushRun();
          run = { ni, start: off, end: off + 1 };
        }
      }
      flushRun();
      if (!part) missing.push(index);
    });

    // Wrap: the original text node keeps the text before the first mark (so the
    // page's references to it stay valid); marks and gaps are inserted after it.
    for (const [ni, pieces] of byNode) {
      const node = built.nodes[ni];
      const data = built.datas[ni];
      if (!node.isConnected || node.data !== data || !node.parentNode) {
        for (const p of pieces) if (!missing.includes(p.index)) missing.push(p.index);
        continue;
      }
      pieces.sort((a, b) => a.start - b.start);
      const parent = node.parentNode;
      const ref = node.nextSibling;
      const inserted = [];
      let cursor = pieces[0].start;
      node.data = data.slice(0, cursor);
      for (const p of pieces) {
        const start = Math.max(p.start, cursor);
        if (start >= p.end) continue;
        if (start > cursor) {
          const gap = document.createTextNode(data.slice(cursor, start));
          parent.insertBefore(gap, ref);
          inserted.push(gap);
        }
        const mark = makeMark(p);
        mark.appendChild(document.createTextNode(data.slice(start, p.end)));
        parent.insertBefore(mark, ref);
        inserted.push(mark);
        cursor = p.end;
      }
      if (cursor < data.length) {
        const tail = document.createTextNode(data.slice(cursor));
        parent.insertBefore(tail, ref);
        inserted.push(tail);
      }
      state.records.push({ node, data, inserted });
    }
    // Keyboard: one tab stop per claim, on its first piece in document order.
    for (const [, list] of state.marks) {
      list.sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
      list.forEach((m, i) => m.setAttribute("tabindex", i === 0 ? "0" : "-1"));
    }
    listen();
    const placed = annotations.length - new Set(missing).size;
    return { placed, missing: [...new Set(missing)].sort((a, b) => a - b), reanchored, total: annotations.length };
  }

  function makeMark(p) {
    const mark = document.createElement("mark");
    mark.className = `corroborate-mark corroborate-${p.label}`;
    mark.setAttribute("data-corroborate-label", p.label);
    mark.setAttribute("data-corroborate-index", String(p.index));
    mark.setAttribute("aria-haspopup", "dialog");
    mark.setAttribute("aria-expanded", "false");
    state.markSet.add(mark);
    if (!state.marks.has(p.index)) state.marks.set(p.index, []);
    state.marks.get(p.index).push(mark);
    return mark;
  }

  /** Remove every mark and the popover; every split text node gets its text back. */
  function clear() {
    hidePopover(false);
    let removed = 0;
    for (let i = state.records.length - 1; i >= 0; i--) {
      const { node, data, inserted } = state.records[i];
      for (const n of inserted) {
        if (n.parentNode) n.parentNode.removeChild(n);
        if (n.nodeType === Node.ELEMENT_NODE) removed++;
      }
      node.data = data;
    }
    state.records = [];
    state.marks = new Map();
    state.markSet = new WeakSet();
    if (state.popover) {
      state.popover.host.remove();
      state.popover = null;
    }
    unlisten();
    return removed;
  }

  function scrollTo(index) {
    const list = state.marks.get(Number(index));
    if (!list || !list.length) return false;
    const first = list[0];
    first.scrollIntoView({ block: "center", behavior: "smooth" });
    first.focus({ preventScroll: true });
    showPopover(Number(index), first, true);
    for (const m of list) {
      m.classList.remove("corroborate-flash");
      void m.offsetWidth;
      m.classList.add("corroborate-flash");
    }
    return true;
  }

  /* ---------------- popover (Shadow DOM) ---------------- */

  const POPOVER_CSS = `
    :host { all: initial; }
    .card {
      box-sizing: border-box; width: min(420px, calc(100vw - 16px)); max-height: 60vh; overflow: auto;
      background: #ffffff; color: #1f1f1f; border: 1px solid #c4c7c5; border-radius: 10px;
      box-shadow: 0 6px 24px rgba(0,0,0,.22); padding: 12px 14px 10px;
      font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; text-align: left;
    }
    .card:focus { outline: 2px solid #1a4fd6; outline-offset: 2px; }
    .head { display: flex; align-items: flex-start; gap: 8px; }
    .chip { flex: none; font-size: 12px; font-weight: 700; padding: 2px 8px; border-radius: 999px; }
    .chip.corroborated { background: #d5f5dc; color: #0b5323; }
    .chip.contradicted { background: #fde0de; color: #8c1d18; }
    .chip.mixed { background: #ffe9bf; color: #6b3f00; }
    .chip.unverified { background: #ececec; color: #3c3c3c; }
    .summary { flex: 1; font-weight: 600; margin: 0; font-size: 14px; }
    .close {
      flex: none; border: 0; background: transparent; color: #444; font: inherit; font-size: 18px;
      line-height: 1; cursor: pointer; padding: 0 4px; border-radius: 4px;
    }
    .close:hover, .close:focus-visible { background: #eee; outline: 2px solid #1a4fd6; }
    .diff { margin: 6px 0 0; color: #3c3c3c; }
    h3 { margin: 10px 0 4px; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: #555; }
    ul { list-style: none; margin: 0; padding: 0; }
    li { margin: 0 0 8px; padding: 0 0 0 8px; border-left: 3px solid #c4c7c5; }
    li.support { border-left-color: #1a7f37; }
    li.conflict { border-left-color: #b3261e; }
    .title { font-weight: 600; color: #1f1f1f; }
    .sentence { margin: 2px 0 0; color: #333; font-style: italic; }
    .values { margin: 3px 0 0; font-size: 13px; color: #333; }
    .values b { font-weight: 700; }
    .val-page { background: #ffe9bf; padding: 0 3px; border-radius: 3px; }
    .val-report { background: #fde0de; padding: 0 3px; border-radius: 3px; }
    .empty { color: #555; margin: 6px 0 0; }
    .foot { margin-top: 6px; font-size: 11px; color: #666; }
  `;

  function ensurePopover() {
    if (state.popover && state.popover.host.isConnected) return state.popover;
    const host = document.createElement("corroborate-popover");
    host.setAttribute("data-corroborate-popover", "");
    const hostStyle = {
      position: "absolute", top: "0px", left: "0px", "z-index": "2147483647", display: "none",
      margin: "0", padding: "0", border: "0", width: "auto", height: "auto", transform: "none",
    };
    for (const [k, v] of Object.entries(hostStyle)) host.style.setProperty(k, v, "important");
    const root = host.attachShadow({ mode: "open" });
    let styled = false;
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(POPOVER_CSS);
      root.adoptedStyleSheets = [sheet];
      styled = true;
    } catch {
      styled = false;
    }
    if (!styled) {
      const style = document.createElement("style");
      style.textContent = POPOVER_CSS;
      root.appendChild(style);
    }
    const card = document.createElement("div");
    card.className = "card";
    card.setAttribute("role", "dialog");
    card.setAttribute("aria-label", "Corroborate: evidence for this claim");
    card.tabIndex = -1;
    root.appendChild(card);
    host.addEventListener("mouseenter", () => clearTimeout(state.hideTimer));
    host.addEventListener("mouseleave", () => {
      if (state.open && !state.open.pinned) scheduleHide();
    });
    root.addEventListener("keydown", (ev) => {
      if (ev.key === "Escape") {
        ev.stopPropagation();
        hidePopover(true);
      }
    });
    document.documentElement.appendChild(host);
    state.popover = { host, root, card };
    return state.popover;
  }

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function uniqueReports(list) {
    const seen = new Map();
    for (const item of Array.isArray(list) ? list : []) {
      if (!item || typeof item !== "object") continue;
      const key = String(item.doc || item.title || seen.size);
      if (!seen.has(key)) seen.set(key, []);
      seen.get(key).push(item);
    }
    return seen;
  }

  function plural(n, word) {
    return `${n} ${word}${n === 1 ? "" : "s"}`;
  }

  function summaryFor(label, nSupport, nConflict) {
    switch (label) {
      case "corroborated":
        return `Corroborated by ${plural(nSupport, "report")}` + (nConflict ? `; ${plural(nConflict, "report")} ${nConflict === 1 ? "differs" : "differ"}` : "");
      case "contradicted":
        return `Contradicted by ${plural(nConflict, "report")}` + (nSupport ? `; ${nSupport} agree${nSupport === 1 ? "s" : ""}` : "");
      case "mixed":
        return `Mixed: ${plural(nSupport, "report")} ${nSupport === 1 ? "agrees" : "agree"}, ${nConflict} ${nConflict === 1 ? "differs" : "differ"}`;
      default:
        return "Unverified: no other report addresses this claim";
    }
  }

  function renderCard(card, ann) {
    card.replaceChildren();
    const label = LABELS.includes(ann.label) ? ann.label : "unverified";
    const support = uniqueReports(ann.support);
    const conflict = uniqueReports(ann.conflict);
    // Every report counts, also those the answer does not list (only the strongest are listed).
    const count = (n, listed) => (Number.isInteger(n) && n > listed ? n : listed);
    const nSupport = count(ann.supporting_reports, support.size);
    const nConflict = count(ann.differing_reports, conflict.size);
    const head = el("div", "head");
    head.appendChild(el("span", `chip ${label}`, LABEL_NAMES[label]));
    const summary = el("p", "summary", summaryFor(label, nSupport, nConflict));
    summary.id = "corroborate-summary";
    head.appendChild(summary);
    const close = el("button", "close", "\u00d7");
    close.type = "button";
    close.setAttribute("aria-label", "Close");
    close.addEventListener("click", () => hidePopover(true));
    head.appendChild(close);
    card.appendChild(head);
    card.setAttribute("aria-describedby", "corroborate-summary");

    const firstValues = (Array.isArray(ann.conflict) ? ann.conflict : []).find((c) => c && c.values);
    if (firstValues && firstValues.values && (firstValues.values.page || firstValues.values.report)) {
      const diff = el("p", "diff");
      diff.appendChild(document.createTextNode("This page says "));
      diff.appendChild(el("b", "val-page", `\u201c${firstValues.values.page ?? ""}\u201d`));
      diff.appendChild(document.createTextNode(", another report says "));
      diff.appendChild(el("b", "val-report", `\u201c${firstValues.values.report ?? ""}\u201d`));
      card.appendChild(diff);
    }

    const section = (title, groups, kind) => {
      if (!groups.size) return;
      card.appendChild(el("h3", null, title));
      const ul = el("ul");
      for (const [doc, items] of groups) {
        const li = el("li", kind);
        li.appendChild(el("div", "title", items[0].title || doc));
        for (const item of items.slice(0, 3)) {
          if (item.sentence) li.appendChild(el("p", "sentence", `\u201c${item.sentence}\u201d`));
          if (kind === "conflict" && item.values && typeof item.values === "object") {
            const v = el("p", "values");
            v.appendChild(document.createTextNode("This page: "));
            v.appendChild(el("b", "val-page", item.values.page ?? ""));
            v.appendChild(document.createTextNode(" \u00b7 this report: "));
            v.appendChild(el("b", "val-report", item.values.report ?? ""));
            li.appendChild(v);
          }
        }
        ul.appendChild(li);
      }
      card.appendChild(ul);
    };
    section(support.size === 1 ? "The report that agrees" : "Reports that agree", support, "support");
    section(conflict.size === 1 ? "The report that differs" : "Reports that differ", conflict, "conflict");
    const more = nSupport + nConflict - support.size - conflict.size;
    if (more > 0) card.appendChild(el("p", "more", `and ${plural(more, "more report")}`));
    if (!support.size && !conflict.size) {
      card.appendChild(el("p", "empty", "None of the other reports in the corpus states this fact."));
    }
    card.appendChild(el("div", "foot", "Corroborate \u00b7 Esc to close"));
  }

  function positionPopover(anchor) {
    const pop = state.popover;
    if (!pop) return;
    const rects = anchor.getClientRects();
    const r = rects.length ? rects[0] : anchor.getBoundingClientRect();
    const host = pop.host;
    host.style.setProperty("display", "block", "important");
    const width = pop.card.offsetWidth || 420;
    const height = pop.card.offsetHeight || 200;
    const vw = document.documentElement.clientWidth || window.innerWidth;
    const vh = window.innerHeight;
    let left = Math.min(Math.max(8, r.left), Math.max(8, vw - width - 8));
    let top = r.bottom + 6;
    if (top + height > vh - 8 && r.top - height - 6 > 8) top = r.top - height - 6;
    // Absolute, in document coordinates of the initial containing block.
    const htmlRect = document.documentElement.getBoundingClientRect();
    const positioned = getComputedStyle(document.documentElement).position !== "static";
    const ox = positioned ? htmlRect.left : -window.scrollX;
    const oy = positioned ? htmlRect.top : -window.scrollY;
    host.style.setProperty("left", `${Math.round(left - ox)}px`, "important");
    host.style.setProperty("top", `${Math.round(top - oy)}px`, "important");
  }

  function showPopover(index, anchor, pinned) {
    const ann = state.annotations[index];
    if (!ann) return;
    clearTimeout(state.hideTimer);
    const pop = ensurePopover();
    if (!state.open || state.open.index !== index) {
      renderCard(pop.card, ann);
      setExpanded(state.open && state.open.index, false);
    }
    state.open = { index, anchor, pinned: Boolean(pinned) || Boolean(state.open && state.open.index === index && state.open.pinned) };
    setExpanded(index, true);
    positionPopover(anchor);
  }

  function setExpanded(index, on) {
    if (index === null || index === undefined) return;
    for (const m of state.marks.get(index) || []) {
      m.setAttribute("aria-expanded", on ? "true" : "false");
      m.classList.toggle("corroborate-active", on);
    }
  }

  function hidePopover(returnFocus) {
    clearTimeout(state.hideTimer);
    if (!state.open) return;
    const { index, anchor } = state.open;
    state.open = null;
    setExpanded(index, false);
    if (state.popover) state.popover.host.style.setProperty("display", "none", "important");
    if (returnFocus && anchor && anchor.isConnected) anchor.focus({ preventScroll: true });
  }

  function scheduleHide() {
    clearTimeout(state.hideTimer);
    state.hideTimer = setTimeout(() => {
      if (state.open && !state.open.pinned) hidePopover(false);
    }, 300);
  }

  /* ---------------- events ---------------- */

  function markOf(target) {
    const m = target && target.closest ? target.closest("mark[data-corroborate-index]") : null;
    return m && state.markSet.has(m) ? m : null;
  }
  function inPopover(target) {
    return Boolean(state.popover && target && (target === state.popover.host || state.popover.host.contains(target)));
  }
  function indexOf(mark) {
    return Number(mark.getAttribute("data-corroborate-index"));
  }

  const handlers = {
    mouseover(ev) {
      const m = markOf(ev.target);
      if (m) showPopover(indexOf(m), m, false);
    },
    mouseout(ev) {
      const m = markOf(ev.target);
      if (!m || !state.open || state.open.pinned) return;
      if (markOf(ev.relatedTarget) || inPopover(ev.relatedTarget)) return;
      scheduleHide();
    },
    focusin(ev) {
      const m = markOf(ev.target);
      if (m) showPopover(indexOf(m), m, true);
    },
    focusout(ev) {
      if (!state.open || !markOf(ev.target)) return;
      const to = ev.relatedTarget;
      if (markOf(to) || inPopover(to)) return;
      hidePopover(false);
    },
    click(ev) {
      const m = markOf(ev.target);
      if (m) {
        // Inside a link the link still works: the popover opens, navigation goes on.
        showPopover(indexOf(m), m, true);
        return;
      }
      if (state.open && !inPopover(ev.target)) hidePopover(false);
    },
    keydown(ev) {
      if (ev.key === "Escape" && state.open) {
        hidePopover(true);
        return;
      }
      const m = markOf(ev.target);
      if (m && (ev.key === "Enter" || ev.key === " ") && !m.closest("a[href]")) {
        ev.preventDefault();
        showPopover(indexOf(m), m, true);
        state.popover.card.focus({ preventScroll: true });
      }
    },
    reposition() {
      if (state.open && state.open.anchor.isConnected) positionPopover(state.open.anchor);
    },
  };

  function listen() {
    if (state.listening) return;
    state.listening = true;
    for (const type of ["mouseover", "mouseout", "focusin", "focusout", "click", "keydown"]) {
      document.addEventListener(type, handlers[type], true);
    }
    window.addEventListener("resize", handlers.reposition, { passive: true });
    window.addEventListener("scroll", handlers.reposition, { passive: true, capture: true });
  }
  function unlisten() {
    if (!state.listening) return;
    state.listening = false;
    for (const type of ["mouseover", "mouseout", "focusin", "focusout", "click", "keydown"]) {
      document.removeEventListener(type, handlers[type], true);
    }
    window.removeEventListener("resize", handlers.reposition);
    window.removeEventListener("scroll", handlers.reposition, { capture: true });
  }

  globalThis.__corroborate = {
    extract,
    apply,
    clear,
    scrollTo,
    // For tests and debugging: the text of the last extract().
    lastText: () => (state.sent ? state.sent.text : null),
  };
})();
