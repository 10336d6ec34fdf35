/**
 * What the extension knows about the WhatsApp engine inside the host: the engine status object
 * (PROTOCOL.md `engine.state`; the same object is the result of `engine.status`, `link.start`,
 * `link.cancel`, `engine.logout` and the `engine` member of `host.hello`), the current QR (`link.qr`),
 * the current pairing code (`link.pairingCode`) and the recent `contact.identityChanged` events.
 * Also the status shown to the CRM page (docs/original-contract.md §6: "connected" / "connecting" / "disconnected").
 * Pure: every function returns a new value; time comes in as an argument. Everything read from the host is
 * checked and bounded here, so the pages only ever see well-formed values.
 */
import {EventType} from '../shared/protocol.js';

/** Engine states of the linking contract, plus `unknown` before the host has said anything. */
export const EngineState = Object.freeze({
  unknown: 'unknown',
  unavailable: 'unavailable',
  unlinked: 'unlinked',
  linking: 'linking',
  connecting: 'connecting',
  connected: 'connected',
  disconnected: 'disconnected',
  stopped: 'stopped',
  loggedOut: 'loggedOut',
});

/** States in which no account is linked: the phone number and name are forgotten. */
const NO_ACCOUNT = new Set([EngineState.unlinked, EngineState.loggedOut, EngineState.linking]);
/** States in which a QR or pairing code cannot be current any more. */
const LINKED = new Set([EngineState.connected, EngineState.connecting, EngineState.disconnected]);

/** States the CRM page sees as "connecting": on the way, nothing for the user to do (see `pageStatus`). */
const ON_THE_WAY = new Set([EngineState.linking, EngineState.connecting, EngineState.disconnected, EngineState.unknown]);

/** How many identity changes the UI keeps (newest first). */
export const MAX_IDENTITY_CHANGES = 10;
/** A QR PNG of a ~200-character text is a few KiB; anything near Chrome's 1 MiB frame limit is refused. */
const MAX_PNG_BASE64 = 512 * 1024;
const MAX_QR_TEXT = 2048;

/**
 * @typedef {{code: string, pngBase64: string | null, expiresAt: number | null, index: number | null}} QrCode
 * @typedef {{code: string, expiresAt: number | null}} PairingCode
 * @typedef {{jid: string, phone: string | null, at: number}} IdentityChange
 * @typedef {{state: string, reason: string | null, method: string | null, retryAt: number | null,
 *   until: number | null, code: number | null, message: string | null, phoneNumber: string | null,
 *   pushName: string | null, jid: string | null, qr: QrCode | null, pairingCode: PairingCode | null,
 *   identityChanges: IdentityChange[], unavailable: boolean}} Engine
 */

/** @returns {Engine} */
export function initialEngine() {
  return {
    state: EngineState.unknown, reason: null, method: null, retryAt: null, until: null, code: null, message: null,
    phoneNumber: null, pushName: null, jid: null, qr: null, pairingCode: null, identityChanges: [], unavailable: false,
  };
}

const word = (v) => (typeof v === 'string' && /^[A-Za-z][A-Za-z0-9]{0,63}$/.test(v) ? v : null);
const time = (v) => (Number.isSafeInteger(v) && v > 0 ? v : null);
const digits = (v) => (typeof v === 'string' && /^\d{6,20}$/.test(v) ? v : null);

/** The phone digits of a user JID (`15551234567:3@s.whatsapp.net` → `15551234567`), or null. */
export function phoneOfJid(jid) {
  if (typeof jid !== 'string' || !/@s\.whatsapp\.net$/.test(jid)) return null;
  return digits(jid.split(/[@:.]/)[0]);
}

/**
 * Reads an engine status object. A payload that is not an object, or whose `state` is not a word,
 * changes nothing. Fields that do not belong to the new state are cleared.
 * @param {Engine} engine @param {unknown} payload @returns {Engine}
 */
export function engineFromStatus(engine, payload) {
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return engine;
  const p = /** @type {Record<string, any>} */ (payload);
  const state = word(p.state);
  if (state === null) return engine;

  let {phoneNumber, pushName, jid} = engine;
  const account = p.account && typeof p.account === 'object' ? p.account : null;
  if (account) {
    jid = typeof account.jid === 'string' && account.jid.length <= 128 ? account.jid : null;
    phoneNumber = digits(account.phone) ?? phoneOfJid(jid);
    pushName = typeof account.pushName === 'string' ? account.pushName.trim().slice(0, 128) || null : null;
  }
  if (NO_ACCOUNT.has(state)) {
    phoneNumber = null;
    pushName = null;
    jid = null;
  }
  const method = state === EngineState.linking && (p.method === 'qr' || p.method === 'phone') ? p.method : null;
  const linking = state === EngineState.linking;
  return {
    ...engine,
    state,
    reason: word(p.reason),
    method,
    retryAt: state === EngineState.disconnected ? time(p.retryAt) : null,
    until: time(p.until),
    code: Number.isSafeInteger(p.code) ? p.code : null,
    message: typeof p.message === 'string' ? p.message.slice(0, 300) : null,
    phoneNumber,
    pushName,
    jid,
    qr: linking && method !== 'phone' ? engine.qr : null,
    pairingCode: linking && method !== 'qr' ? engine.pairingCode : null,
    unavailable: state === EngineState.unavailable,
  };
}

/**
 * Applies one host event. `now` (ms) stamps identity changes.
 * @param {Engine} engine @param {string} type @param {unknown} payload @param {number} [now]
 * @returns {Engine}
 */
export function engineFromEvent(engine, type, payload, now = 0) {
  const p = payload && typeof payload === 'object' ? /** @type {Record<string, any>} */ (payload) : null;
  switch (type) {
    case EventType.engineState:
      return engineFromStatus(engine, payload);
    case EventType.linkQr: {
      if (!p || typeof p.code !== 'string' || p.code === '' || p.code.length > MAX_QR_TEXT) return engine;
      if (LINKED.has(engine.state)) return engine;
      const png = typeof p.pngBase64 === 'string' && p.pngBase64.length <= MAX_PNG_BASE64 &&
        /^[A-Za-z0-9+/]+={0,2}$/.test(p.pngBase64) ? p.pngBase64 : null;
      const index = Number.isSafeInteger(p.index) && p.index >= 1 ? p.index : null;
      return {...engine, qr: {code: p.code, pngBase64: png, expiresAt: time(p.expiresAt), index}, pairingCode: null};
    }
    case EventType.linkPairingCode: {
      if (!p || typeof p.code !== 'string' || !/^[A-Za-z0-9]{8}$/.test(p.code)) return engine;
      if (LINKED.has(engine.state)) return engine;
      return {...engine, pairingCode: {code: p.code.toUpperCase(), expiresAt: time(p.expiresAt)}, qr: null};
    }
    case EventType.contactIdentityChanged: {
      const jid = p && typeof p.jid === 'string' && p.jid.length <= 128 && /^[^\s<>"'&]+@[a-z.]+$/.test(p.jid) ? p.jid : null;
      if (jid === null) return engine;
      const rest = engine.identityChanges.filter((c) => c.jid !== jid);
      const change = {jid, phone: phoneOfJid(jid), at: now};
      return {...engine, identityChanges: [change, ...rest].slice(0, MAX_IDENTITY_CHANGES)};
    }
    default:
      return engine;
  }
}

/** The user has seen the identity changes. @param {Engine} engine */
export function dismissIdentityChanges(engine) {
  return engine.identityChanges.length === 0 ? engine : {...engine, identityChanges: []};
}

/**
 * The native port closed: whatever the old host process said about its engine is stale, and its QR or
 * code can no longer complete. The account stays known until the next host says otherwise.
 * @param {Engine} engine
 */
export function engineHostLost(engine) {
  if (engine.state === EngineState.unknown && engine.qr === null && engine.pairingCode === null) return engine;
  return {...engine, state: EngineState.unknown, reason: null, method: null, retryAt: null, qr: null, pairingCode: null};
}

/** The host answered `engineUnavailable`: linking is not served by this host version. */
export function engineUnavailable(engine) {
  return {...engine, state: EngineState.unavailable, reason: null, method: null, unavailable: true, qr: null, pairingCode: null};
}

/**
 * The status of the CRM page contract (`crm-whatsapp-status` detail), plus our extra fields.
 * Mapping to the original contract's three values (the CRM enables its Send button on "connected" only
 * and shows "connecting" as "initialising"):
 *   - "connected":    the engine is `connected` (linked and online);
 *   - "connecting":   nothing for the user to do, it is on its way: the helper app is starting, or the engine
 *                     is `connecting`, `linking` (a QR or code is showing), or `disconnected` (it retries by
 *                     itself at `retryAt`);
 *   - "disconnected": the user has to act: the helper app is missing or down, or the engine is `unlinked`,
 *                     `loggedOut`, `stopped` (replaced, in use elsewhere, outdated, banned) or `unavailable`.
 * `engineState` and `engineReason` carry the exact engine state for pages that want it.
 * @param {{state: string, lastError: object | null}} connection
 * @param {Engine} engine
 */
export function pageStatus(connection, engine) {
  let status = 'disconnected';
  if (connection.state === 'connected') {
    if (engine.state === EngineState.connected) status = 'connected';
    else if (ON_THE_WAY.has(engine.state)) status = 'connecting';
  } else if (connection.state === 'connecting') {
    status = 'connecting';
  }
  return {
    status,
    phoneNumber: status === 'connected' ? engine.phoneNumber : null,
    qrCodeAvailable: status !== 'connected' && engine.qr !== null,
    hostState: connection.state,
    engineState: engine.state,
    engineReason: engine.reason,
    retryAt: engine.state === EngineState.disconnected ? engine.retryAt : null,
    problem: connection.state === 'disconnected' ? connection.lastError?.message ?? null : null,
  };
}

