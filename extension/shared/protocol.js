/**
 * Host protocol constants: the extension's copy of PROTOCOL.md (protocol version 1).
 *
 * Checked against PROTOCOL.md by `tests/extension/protocol.test.js`: the `## Error codes` table and the
 * `### \`type\`` headings of `## Messages` must match what is declared here.
 * Error codes are append-only: never renumber one.
 */

/** Native messaging host name registered by `install-host.sh` (host manifest `name`). */
export const HOST_NAME = 'io.crm_whatsapp.host';

/** Version of the host protocol this extension speaks (`host.hello` → `protocolVersion`). */
export const PROTOCOL_VERSION = 1;

/** Chrome closes the port when the host sends a frame above 1 MiB (docs/native-messaging.md §1.1). */
export const MAX_HOST_TO_BROWSER_BYTES = 1024 * 1024;

/** Chrome refuses `port.postMessage` above 64 MiB; we stay far below and cap our requests at 1 MiB too. */
export const MAX_BROWSER_TO_HOST_BYTES = 1024 * 1024;

/** Requests the extension sends to the host (`{id, type, payload}`). */
export const RequestType = Object.freeze({
  hostHello: 'host.hello',
  hostPing: 'host.ping',
  hostDiagnostics: 'host.diagnostics',
  engineStatus: 'engine.status',
  linkStart: 'link.start',
  linkCancel: 'link.cancel',
  engineLogout: 'engine.logout',
  messageSend: 'message.send',
});

/** Events the host sends on its own (`{type, payload}`, no `id`). */
export const EventType = Object.freeze({
  engineState: 'engine.state',
  linkQr: 'link.qr',
  linkPairingCode: 'link.pairingCode',
  messageStatus: 'message.status',
  messageIncoming: 'message.incoming',
  contactIdentityChanged: 'contact.identityChanged',
});

/** Host error codes (`{id, error: {code, message, data?}}`), PROTOCOL.md `## Error codes`. */
export const HostErrorCode = Object.freeze({
  parseError: 1,
  invalidRequest: 2,
  unknownType: 3,
  invalidPayload: 4,
  frameTooLarge: 5,
  responseTooLarge: 6,
  internalError: 7,
  originNotAllowed: 8,
  engineUnavailable: 20,
  notLinked: 21,
  alreadyLinked: 22,
  engineConfiguration: 24,
  engineBusy: 25,
});

const requestTypes = new Set(Object.values(RequestType));
const eventTypes = new Set(Object.values(EventType));
const codeNames = new Map(Object.entries(HostErrorCode).map(([name, code]) => [code, name]));

/**
 * Name of a host error code, or `undefined` for a code this version does not know.
 * @param {number} code
 * @returns {string | undefined}
 */
export function hostErrorName(code) {
  return codeNames.get(code);
}

/** @param {string} type @returns {boolean} */
export function isRequestType(type) {
  return requestTypes.has(type);
}

/** @param {string} type @returns {boolean} */
export function isEventType(type) {
  return eventTypes.has(type);
}

/**
 * Sorts one decoded host message into a response, an event or something invalid.
 * Chrome has already parsed the JSON; this checks the envelope shape only.
 * @param {unknown} message
 * @returns {{kind: 'response', id: number, result: unknown}
 *   | {kind: 'failure', id: number, error: {code: number, name: string | undefined, message: string, data?: unknown}}
 *   | {kind: 'event', type: string, payload: unknown}
 *   | {kind: 'invalid', reason: string}}
 */
export function classifyHostMessage(message) {
  if (message === null || typeof message !== 'object' || Array.isArray(message)) {
    return {kind: 'invalid', reason: 'notAnObject'};
  }
  const m = /** @type {Record<string, unknown>} */ (message);
  if ('id' in m && m.id !== null) {
    if (!Number.isSafeInteger(m.id)) return {kind: 'invalid', reason: 'badId'};
    const id = /** @type {number} */ (m.id);
    if ('error' in m) {
      const e = m.error;
      if (e === null || typeof e !== 'object' || !Number.isSafeInteger(e.code) || typeof e.message !== 'string') {
        return {kind: 'invalid', reason: 'badError'};
      }
      const error = {code: e.code, name: hostErrorName(e.code), message: e.message};
      if ('data' in e) error.data = e.data;
      return {kind: 'failure', id, error};
    }
    if ('result' in m) return {kind: 'response', id, result: m.result};
    return {kind: 'invalid', reason: 'noResultOrError'};
  }
  if (typeof m.type === 'string') {
    return {kind: 'event', type: m.type, payload: 'payload' in m ? m.payload : null};
  }
  return {kind: 'invalid', reason: 'noIdOrType'};
}

/**
 * Builds a request envelope.
 * @param {number} id @param {string} type @param {unknown} [payload]
 */
export function makeRequest(id, type, payload) {
  return {id, type, payload: payload ?? {}};
}

/**
 * UTF-8 size of a message as JSON, the unit of Chrome's frame limits.
 * @param {unknown} message
 * @returns {number}
 */
export function encodedSize(message) {
  return new TextEncoder().encode(JSON.stringify(message)).length;
}
