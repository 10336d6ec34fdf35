/**
 * What the extension knows about the WhatsApp engine inside the host, built from `host.hello`,
 * `engine.status` answers and host events (PROTOCOL.md `## Messages`), and the status shown to pages
 * and to the CRM page contract (docs/original-contract.md §6: "connected" / "connecting" / "disconnected").
 * Pure: every function returns a new value.
 */
import {EventType} from '../shared/protocol.js';

/**
 * Engine states (PROTOCOL.md `engine.state`): `unlinked`, `linking`, `connecting`, `connected`,
 * `disconnected`, `loggedOut`, and `unavailable` when the host has no engine. For the CRM page,
 * `connected` is "connected" and `linking`/`connecting` are "connecting".
 */
const LINKED = new Set(['connected']);
const ON_THE_WAY = new Set(['linking', 'connecting']);

/** @returns {{state: string, phoneNumber: string | null, pushName: string | null, qr: object | null, pairingCode: string | null, unavailable: boolean}} */
export function initialEngine() {
  return {state: 'unknown', phoneNumber: null, pushName: null, qr: null, pairingCode: null, unavailable: false};
}

/**
 * Reads an engine status payload (`engine.status` result, `engine.state` event, `host.hello` engine):
 * `{state, account?: {jid, pushName?}, reason?}`. The phone is the user part of the account JID.
 */
export function engineFromStatus(engine, payload) {
  if (!payload || typeof payload !== 'object') return engine;
  const state = typeof payload.state === 'string' ? payload.state.slice(0, 64) : engine.state;
  const account = payload.account && typeof payload.account === 'object' ? payload.account : null;
  let phone = engine.phoneNumber;
  let pushName = engine.pushName;
  if (account && typeof account.jid === 'string') {
    const user = account.jid.split(/[@:.]/)[0];
    phone = /^\d{1,20}$/.test(user) ? user : null;
  }
  if (account && typeof account.pushName === 'string') pushName = account.pushName.slice(0, 128);
  const linked = LINKED.has(state);
  return {
    ...engine,
    state,
    phoneNumber: state === 'loggedOut' || state === 'unlinked' ? null : phone,
    pushName: state === 'loggedOut' || state === 'unlinked' ? null : pushName,
    qr: linked ? null : engine.qr,
    pairingCode: linked ? null : engine.pairingCode,
    unavailable: state === 'unavailable',
  };
}

/**
 * Applies one host event.
 * @param {ReturnType<typeof initialEngine>} engine @param {string} type @param {any} payload
 */
export function engineFromEvent(engine, type, payload) {
  switch (type) {
    case EventType.engineState:
      return engineFromStatus(engine, payload);
    case EventType.linkQr:
      if (!payload || typeof payload.code !== 'string') return engine;
      return {
        ...engine,
        qr: {
          code: payload.code,
          pngBase64: typeof payload.pngBase64 === 'string' ? payload.pngBase64 : null,
          expiresAt: payload.expiresAt ?? null,
        },
      };
    case EventType.linkPairingCode:
      if (!payload || typeof payload.code !== 'string') return engine;
      return {...engine, pairingCode: payload.code.slice(0, 32)};
    default:
      return engine;
  }
}

/** The host answered `engineUnavailable`: linking is not served by this host version. */
export function engineUnavailable(engine) {
  return {...engine, state: 'unavailable', unavailable: true, qr: null, pairingCode: null};
}

/**
 * The status of the CRM page contract (`crm-whatsapp-status` detail), plus our extra fields.
 * @param {{state: string, lastError: object | null}} connection
 * @param {ReturnType<typeof initialEngine>} engine
 */
export function pageStatus(connection, engine) {
  let status = 'disconnected';
  if (connection.state === 'connected') {
    if (LINKED.has(engine.state)) status = 'connected';
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
    problem: connection.state === 'disconnected' ? connection.lastError?.message ?? null : null,
  };
}
