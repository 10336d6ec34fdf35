/**
 * Background service worker: wires browser listeners to the native host, the router and the
 * site registry. Owns the only native port (background/native-host.js).
 */
import {EventType, RequestType} from '../shared/protocol.js';
import {ErrorCode, isEngineUnavailable, makeError} from '../shared/errors.js';
import {NativeHost} from './native-host.js';
import {HandlerError, Role, route, senderRole} from './router.js';
import {SitesRegistry} from './sites-registry.js';
import {
  dismissIdentityChanges, engineFromEvent, engineFromStatus, engineHostLost, engineUnavailable, initialEngine, pageStatus,
} from './engine-view.js';
import {describeStatus, formatPhone, phonePrefill} from '../shared/status-text.js';
import {linkStartPayload, messageSendPayload, payloadProblemText} from './payloads.js';
import {isSiteOrigin} from '../shared/sites.js';
import {DEFAULT_COUNTRY_CODE, parseCountryCode} from '../shared/phone.js';

/** Runtime port name pages and the content script use to receive status pushes. */
const STATUS_PORT = 'crm-whatsapp.status';

const sites = new SitesRegistry();
/** User settings (chrome.storage.local `settings`). */
let settings = {defaultCountryCode: DEFAULT_COUNTRY_CODE};
const settingsLoaded = chrome.storage.local.get('settings').then((stored) => {
  const code = parseCountryCode(stored.settings?.defaultCountryCode ?? '');
  if (code) settings = {...settings, defaultCountryCode: code};
}).catch(() => {});
const sitesLoaded = sites.load().catch((e) => console.warn('crm-whatsapp: loading sites failed:', e?.message));
let engine = initialEngine();
/** @type {Set<{port: chrome.runtime.Port, role: string}>} */
const subscribers = new Set();
/** The number last used to link by phone (international digits, memory only), to prefill "Get a new code". */
let lastLinkPhone = null;
/** Which tab sent which message (`clientMessageId` → tab id), so only that tab hears its delivery. */
const messageTabs = new Map();
const MAX_TRACKED_MESSAGES = 500;

const host = new NativeHost({
  runtime: chrome.runtime,
  extensionVersion: chrome.runtime.getManifest().version,
  onChange: (status) => {
    if (status.state === 'connected' && status.host?.engine) engine = engineFromStatus(engine, status.host.engine);
    if (status.state !== 'connected') engine = engineHostLost(engine);
    broadcast();
  },
  onEvent: (type, payload) => {
    if (type === EventType.messageStatus) {
      forwardMessageStatus(payload);
      return;
    }
    const before = engine;
    engine = engineFromEvent(engine, type, payload, Date.now());
    if (engine !== before) broadcast();
  },
});

const self = {
  extensionId: chrome.runtime.id,
  extensionOrigin: chrome.runtime.getURL(''),
  isSite: (origin) => isSiteOrigin(sites.sites, origin),
};

/**
 * Everything pages show; the content script gets the CRM-facing part only: the page status, the
 * plain-words view (worded here, so the content script needs no module) and the current QR and code.
 */
function snapshot(role) {
  const connection = host.status;
  const page = pageStatus(connection, engine);
  if (role === Role.content) {
    const view = describeStatus({connection, engine});
    const prefill = lastLinkPhone ? formatPhone(lastLinkPhone) : phonePrefill(settings.defaultCountryCode);
    return {page, view, qr: engine.qr, pairingCode: engine.pairingCode, phonePrefill: prefill};
  }
  return {
    connection: {state: connection.state, host: connection.host, lastError: connection.lastError, attempt: connection.attempt},
    engine,
    page,
    linkPhone: lastLinkPhone,
    version: chrome.runtime.getManifest().version,
  };
}

/** Re-sends the status when a pairing code expires, so the in-page dialog offers a new one on time. */
let expiryTimer = null;

function broadcast() {
  for (const sub of subscribers) {
    try {
      sub.port.postMessage({type: 'status', payload: snapshot(sub.role)});
    } catch {
      subscribers.delete(sub);
    }
  }
  if (expiryTimer !== null) clearTimeout(expiryTimer);
  expiryTimer = null;
  const left = (engine.pairingCode?.expiresAt ?? 0) - Date.now();
  if (left > 0 && left < 3_600_000) expiryTimer = setTimeout(() => { expiryTimer = null; broadcast(); }, left + 50);
}

/** Passes a `message.status` event to the tab that sent the message (no message text is involved). */
function forwardMessageStatus(payload) {
  const tabId = messageTabs.get(payload?.clientMessageId);
  if (tabId === undefined) return;
  for (const sub of subscribers) {
    if (sub.role !== Role.content || sub.port.sender?.tab?.id !== tabId) continue;
    try {
      sub.port.postMessage({type: 'messageStatus', payload});
    } catch {
      subscribers.delete(sub);
    }
  }
}

/** Sends an engine request; remembers when the host says the engine is not served yet. */
async function engineRequest(type, payload) {
  try {
    const result = await host.request(type, payload);
    // Every engine request answers with the engine status object (PROTOCOL.md `engine.status`).
    if (type !== RequestType.messageSend) engine = engineFromStatus(engine, result);
    broadcast();
    return result;
  } catch (e) {
    // A refused send says nothing about the engine (sending is served later than linking): only the
    // linking requests' engineUnavailable means the engine itself is not there.
    if (type !== RequestType.messageSend && isEngineUnavailable(e.info)) {
      engine = engineUnavailable(engine);
      broadcast();
    }
    throw e;
  }
}

function invalid(reason) {
  return new HandlerError(makeError(ErrorCode.invalidPayload, {message: payloadProblemText(reason), detail: reason}));
}

const both = [Role.page, Role.content];
const pagesOnly = [Role.page];

/** Handler table of the internal message bus, keyed by message type. */
const handlers = {
  'status.get': {roles: both, handle: (_p, {role}) => snapshot(role)},
  [RequestType.hostHello]: {roles: both, handle: () => host.request(RequestType.hostHello)},
  [RequestType.hostPing]: {roles: both, handle: () => host.request(RequestType.hostPing)},
  [RequestType.hostDiagnostics]: {
    roles: pagesOnly,
    handle: async () => {
      let hostDiagnostics = null;
      let hostError = null;
      try {
        hostDiagnostics = await host.request(RequestType.hostDiagnostics);
      } catch (e) {
        hostError = e.info ?? makeError(ErrorCode.unexpected);
      }
      return {host: hostDiagnostics, hostError, extension: {...host.status, engineState: engine.state, sites: sites.sites}};
    },
  },
  // "Use here" / "Try again": a fresh host process says hello and its engine starts again.
  'host.reconnect': {roles: both, handle: (_p, {role}) => { host.reconnect(); return snapshot(role); }},
  [RequestType.engineStatus]: {roles: pagesOnly, handle: () => engineRequest(RequestType.engineStatus)},
  [RequestType.linkStart]: {
    roles: both,
    handle: (payload) => {
      const checked = linkStartPayload(payload, settings);
      if (!checked.ok) throw invalid(checked.reason);
      if (checked.payload.method === 'phone') lastLinkPhone = checked.payload.phone;
      return engineRequest(RequestType.linkStart, checked.payload);
    },
  },
  [RequestType.linkCancel]: {roles: both, handle: () => engineRequest(RequestType.linkCancel)},
  [RequestType.engineLogout]: {
    roles: pagesOnly,
    handle: async () => {
      // Unlink: the host tells WhatsApp and wipes its keys and data; we forget what we kept about the account.
      const result = await engineRequest(RequestType.engineLogout);
      engine = dismissIdentityChanges(engine);
      messageTabs.clear();
      lastLinkPhone = null;
      broadcast();
      return result;
    },
  },
  'identity.dismiss': {roles: pagesOnly, handle: () => { engine = dismissIdentityChanges(engine); broadcast(); return null; }},
  [RequestType.messageSend]: {
    roles: both,
    handle: (payload, {sender}) => {
      const checked = messageSendPayload(payload, () => crypto.randomUUID(), settings);
      if (!checked.ok) throw invalid(checked.reason);
      const tabId = sender.tab?.id;
      if (typeof tabId === 'number') {
        messageTabs.set(checked.payload.clientMessageId, tabId);
        if (messageTabs.size > MAX_TRACKED_MESSAGES) messageTabs.delete(messageTabs.keys().next().value);
      }
      return engineRequest(RequestType.messageSend, checked.payload);
    },
  },
  'settings.get': {roles: pagesOnly, handle: async () => { await settingsLoaded; return settings; }},
  'settings.set': {
    roles: pagesOnly,
    handle: async (payload) => {
      await settingsLoaded;
      const code = parseCountryCode(payload?.defaultCountryCode);
      if (!code) throw invalid('countryCode');
      settings = {...settings, defaultCountryCode: code};
      await chrome.storage.local.set({settings});
      return settings;
    },
  },
  'sites.list': {roles: pagesOnly, handle: async () => { await sitesLoaded; return {sites: sites.sites}; }},
  'sites.add': {roles: pagesOnly, handle: async (payload) => { await sitesLoaded; return sites.add(payload?.origin); }},
  'sites.remove': {roles: pagesOnly, handle: async (payload) => { await sitesLoaded; return sites.remove(payload?.origin); }},
};

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  sitesLoaded.then(() => route(handlers, message, sender, self)).then(sendResponse);
  return true; // answered asynchronously
});

chrome.runtime.onConnect.addListener((port) => {
  sitesLoaded.then(() => {
    const role = senderRole(port.sender, self);
    if (port.name !== STATUS_PORT || role === null) {
      port.disconnect();
      return;
    }
    const sub = {port, role};
    subscribers.add(sub);
    port.onDisconnect.addListener(() => subscribers.delete(sub));
    port.postMessage({type: 'status', payload: snapshot(role)});
  });
});

chrome.permissions.onRemoved.addListener((removed) => {
  sites.forgetPatterns(removed.origins ?? []).catch(() => {});
});

// Wake with the browser (and after an install or update) so the linked WhatsApp stays online
// without the user opening the popup first.
chrome.runtime.onStartup.addListener(() => host.connect());
chrome.runtime.onInstalled.addListener(() => host.connect());

host.connect();

/** Debugging handle for DevTools (and the end-to-end tests): the live objects, read-only use. */
globalThis.crmWhatsApp = Object.freeze({host, sites, snapshot, engine: () => engine});
