/**
 * What the extension knows about the WhatsApp engine inside the host, built from `host.hello`,
 * `engine.status` answers and host events (PROTOCOL.md `## Messages`), and the status shown to pages
 * and to the CRM page contract (original-system.md §6: "connected" / "connecting" / "disconnected").
 * Pure: every function returns a new value.
 */
import {EventType} from '../shared/protocol.js';

/** Engine states that mean "linked and online" / "on the way" for the CRM page. */
const LINKED = new Set(['connected', 'loggedIn', 'online', 'open', 'ready']);
const ON_THE_WAY = new Set(['connecting', 'pairing', 'linking', 'waitingForQr', 'qr', 'authenticating', 'reconnecting', 'syncing']);

/** @returns {{state: string, phoneNumber: string | null, pushName: string | null, qr: object | null, pairingCode: string | null, unavailable: boolean}} */
export function initialEngine() {
  return {state: 'unknown', phoneNumber: null, pushName: null, qr: null, pairingCode: null, unavailable: false};
}

/** Reads `{state, phoneNumber?|phone?|jid?, pushName?}` from an engine status payload. */
export function engineFromStatus(engine, payload) {
  if (!payload || typeof payload !== 'object') return engine;
  const state = typeof payload.state === 'string' ? payload.state.slice(0, 64) : engine.state;
  let phone = engine.phoneNumber;
  if (typeof payload.phoneNumber === 'string') phone = payload.phoneNumber;
  else if (typeof payload.phone === 'string') phone = payload.phone;
  else if (typeof payload.jid === 'string') phone = payload.jid.split(/[@:.]/)[0];
  const pushName = typeof payload.pushName === 'string' ? payload.pushName.slice(0, 128) : engine.pushName;
  const linked = LINKED.has(state);
  return {
    ...engine,
    state,
    phoneNumber: linked ? phone : (state === 'loggedOut' ? null : phone),
    pushName,
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
