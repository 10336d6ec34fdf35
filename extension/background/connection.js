/**
 * The native port's connection state machine (docs/house-style.md §3 / §9): an explicit state,
 * pure transitions, and the actions the caller must perform. No chrome.* calls, no clock, no timers.
 *
 * disconnected --connect--> connecting --helloSucceeded (same protocol version)--> connected
 * connecting --helloFailed / portClosed--> disconnected (+ scheduleRetry with backoff)
 * connected --portClosed--> disconnected (+ failPending, scheduleRetry)
 * Errors that need the user (host not installed, wrong version...) still retry, but only at the slowest pace,
 * so that installing the host while the browser runs is picked up without a reload.
 */
import {PROTOCOL_VERSION} from '../shared/protocol.js';
import {ErrorCode, makeError, needsUserAction} from '../shared/errors.js';
import {DEFAULT_BACKOFF, reconnectDelay} from './backoff.js';

export const ConnectionState = Object.freeze({
  disconnected: 'disconnected',
  connecting: 'connecting',
  connected: 'connected',
});

/** @typedef {{state: string, attempt: number, host: object | null, lastError: object | null}} Connection */

/** @returns {Connection} */
export function initialConnection() {
  return {state: ConnectionState.disconnected, attempt: 0, host: null, lastError: null};
}

/**
 * Applies one event.
 * Events: `{type: 'connect'}`, `{type: 'retryDue'}`, `{type: 'helloSucceeded', hello}`,
 * `{type: 'helloFailed', error, random}`, `{type: 'portClosed', error, random}`.
 * Actions: `openPort`, `sendHello`, `closePort`, `cancelRetry`, `scheduleRetry {delayMs}`,
 * `failPending {error}`, `publish`.
 * @param {Connection} conn
 * @param {{type: string, [k: string]: any}} event
 * @param {{baseMs: number, maxMs: number}} [policy]
 * @returns {{conn: Connection, actions: Array<{type: string, [k: string]: any}>}}
 */
export function reduceConnection(conn, event, policy = DEFAULT_BACKOFF) {
  switch (event.type) {
    case 'connect':
    case 'retryDue':
      if (conn.state !== ConnectionState.disconnected) return {conn, actions: []};
      return {
        conn: {...conn, state: ConnectionState.connecting},
        actions: [{type: 'cancelRetry'}, {type: 'openPort'}, {type: 'sendHello'}, {type: 'publish'}],
      };

    case 'helloSucceeded': {
      if (conn.state !== ConnectionState.connecting) return {conn, actions: []};
      const hello = event.hello;
      const version = hello && typeof hello === 'object' ? hello.protocolVersion : undefined;
      if (version !== PROTOCOL_VERSION) {
        const error = makeError(ErrorCode.hostIncompatible, {
          detail: `host protocol ${JSON.stringify(version)}, extension protocol ${PROTOCOL_VERSION}`,
        });
        return fail(conn, error, 1, policy, [{type: 'closePort'}]);
      }
      return {
        conn: {state: ConnectionState.connected, attempt: 0, host: hello, lastError: null},
        actions: [{type: 'publish'}],
      };
    }

    case 'helloFailed':
      if (conn.state !== ConnectionState.connecting) return {conn, actions: []};
      return fail(conn, event.error, event.random, policy, [{type: 'closePort'}]);

    case 'portClosed':
      if (conn.state === ConnectionState.disconnected) return {conn, actions: []};
      return fail(conn, event.error, event.random, policy, []);

    default:
      return {conn, actions: []};
  }
}

function fail(conn, error, random, policy, first) {
  const delayMs = needsUserAction(error)
    ? policy.maxMs
    : reconnectDelay(conn.attempt, random, policy);
  return {
    conn: {state: ConnectionState.disconnected, attempt: conn.attempt + 1, host: null, lastError: error},
    actions: [...first, {type: 'failPending', error}, {type: 'scheduleRetry', delayMs}, {type: 'publish'}],
  };
}
