/* The label vocabulary of ../shared/LABELS.md, shared by the content script and the popup
 * (the service worker injects it before content.js; popup.html loads it before popup.js).
 * tests/browser/test_extension_lint.py checks it against workers/labels.py and content.css. */
"use strict";
globalThis.CORROBORATE_LABELS = Object.freeze({
  // Display order: the popup lists its counts in this order.
  order: Object.freeze(["corroborated", "contradicted", "mixed", "unverified"]),
  names: Object.freeze({
    corroborated: "Corroborated",
    contradicted: "Contradicted",
    mixed: "Mixed",
    unverified: "Unverified",
  }),
});
