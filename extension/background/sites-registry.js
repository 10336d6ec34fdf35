/**
 * The CRM sites the content script runs on (IO edge around `shared/sites.js`): the list lives in
 * `chrome.storage.local`, each origin must have been granted by the user through
 * `chrome.permissions.request` (done by the options page, which has the user gesture), and one
 * registration of `chrome.scripting.registerContentScripts` covers all of them.
 */
import {CONTENT_SCRIPT_FILES, CONTENT_SCRIPT_ID, addSite, parseSite, removeSite} from '../shared/sites.js';
import {ErrorCode, makeError} from '../shared/errors.js';
import {HandlerError} from './router.js';

const STORAGE_KEY = 'sites';

export class SitesRegistry {
  /** @type {string[]} */
  #sites = [];

  /** Origins currently configured (in memory, loaded by `load`). */
  get sites() {
    return [...this.#sites];
  }

  /** Loads the list, drops origins whose permission was withdrawn, and re-registers the content script. */
  async load() {
    const stored = await chrome.storage.local.get(STORAGE_KEY);
    const list = Array.isArray(stored[STORAGE_KEY]) ? stored[STORAGE_KEY].filter((s) => typeof s === 'string') : [];
    const kept = [];
    for (const origin of list) {
      const parsed = parseSite(origin);
      if (parsed.ok && await chrome.permissions.contains({origins: [parsed.pattern]})) kept.push(parsed.origin);
    }
    this.#sites = kept;
    await this.#save();
    await this.#register();
  }

  /**
   * Adds a site whose permission the options page has just obtained, and injects the content script
   * into tabs of that site that are already open.
   * @param {unknown} input
   */
  async add(input) {
    const parsed = parseSite(input);
    if (!parsed.ok) throw new HandlerError(makeError(ErrorCode.invalidPayload, {detail: parsed.reason}));
    if (!await chrome.permissions.contains({origins: [parsed.pattern]})) {
      throw new HandlerError(makeError(ErrorCode.permissionDenied));
    }
    this.#sites = addSite(this.#sites, parsed.origin);
    await this.#save();
    await this.#register();
    await this.#injectIntoOpenTabs(parsed.pattern);
    return {sites: this.sites, added: parsed.origin};
  }

  /** Removes a site, its content script registration and the host permission. @param {unknown} input */
  async remove(input) {
    const parsed = parseSite(input);
    if (!parsed.ok) throw new HandlerError(makeError(ErrorCode.invalidPayload, {detail: parsed.reason}));
    this.#sites = removeSite(this.#sites, parsed.origin);
    await this.#save();
    await this.#register();
    try {
      await chrome.permissions.remove({origins: [parsed.pattern]});
    } catch {
      // Permissions declared in the manifest cannot be removed; the site is still off the list.
    }
    return {sites: this.sites};
  }

  /** The user withdrew permissions in the browser's own UI. @param {string[]} origins patterns */
  async forgetPatterns(origins) {
    const gone = new Set(origins.map((p) => p.replace(/\/\*$/, '')));
    const next = this.#sites.filter((s) => !gone.has(s));
    if (next.length === this.#sites.length) return;
    this.#sites = next;
    await this.#save();
    await this.#register();
  }

  async #save() {
    await chrome.storage.local.set({[STORAGE_KEY]: this.#sites});
  }

  async #register() {
    const existing = await chrome.scripting.getRegisteredContentScripts({ids: [CONTENT_SCRIPT_ID]});
    if (existing.length > 0) await chrome.scripting.unregisterContentScripts({ids: [CONTENT_SCRIPT_ID]});
    if (this.#sites.length === 0) return;
    await chrome.scripting.registerContentScripts([{
      id: CONTENT_SCRIPT_ID,
      matches: this.#sites.map((s) => s + '/*'),
      js: [...CONTENT_SCRIPT_FILES],
      runAt: 'document_idle',
      allFrames: false,
      persistAcrossSessions: true,
    }]);
  }

  async #injectIntoOpenTabs(pattern) {
    let tabs = [];
    try {
      tabs = await chrome.tabs.query({url: pattern});
    } catch {
      return;
    }
    for (const tab of tabs) {
      if (typeof tab.id !== 'number') continue;
      try {
        await chrome.scripting.executeScript({target: {tabId: tab.id}, files: [...CONTENT_SCRIPT_FILES]});
      } catch {
        // The tab may be closing or showing an error page; the registration covers its next load.
      }
    }
  }
}
