/* The keyboard shortcut that checks a page (manifest "commands"), for the popup and the options page.
 * The browser owns the key: the user can change or remove it, so it is read, never assumed. */
"use strict";

globalThis.CORROBORATE_SHORTCUT = {
  command: "check-page",

  /** The key as the browser shows it ("Alt+Shift+K"), or "" when none is set. */
  async get() {
    const all = await chrome.commands.getAll();
    const cmd = all.find((c) => c.name === this.command);
    return (cmd && cmd.shortcut) || "";
  },

  /** Fill ``el`` with "<kbd>key</kbd> + ``after``", or say that no shortcut is set. */
  async show(el, after) {
    const key = await this.get().catch(() => "");
    el.replaceChildren();
    if (key) {
      const kbd = document.createElement("kbd");
      kbd.textContent = key;
      el.append(kbd, document.createTextNode(` ${after}`));
    } else {
      el.textContent = "No keyboard shortcut is set (you can set one in the browser's extension shortcuts).";
    }
    el.dataset.shortcut = key;
    return key;
  },

  /** Open the browser's page for extension shortcuts. */
  async openSettings() {
    if (chrome.commands.openShortcutSettings) return chrome.commands.openShortcutSettings(); // Firefox 137+
    return chrome.tabs.create({ url: "chrome://extensions/shortcuts" });
  },
};
