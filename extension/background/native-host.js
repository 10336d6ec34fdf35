/**
 * The one native messaging port to `io.crm_whatsapp.host` (IO edge around the pure `connection.js`
 * state machine and `request-table.js`): opens the port, checks `host.hello`, correlates responses,
 * times requests out and reconnects with backoff. Only the service worker creates one of these.
 */
import {
  HOST_NAME, MAX_BROWSER_TO_HOST_BYTES, PROTOCOL_VERSION, RequestType, classifyHostMessage, encodedSize, makeRequest,
} from '../shared/protocol.js';
import {ErrorCode, errorFromHost, errorFromPortClose, makeError} from '../shared/errors.js';
import {ConnectionState, initialConnection, reduceConnection} from './connection.js';
import {RequestTable} from './request-table.js';

export const HELLO_TIMEOUT_MS = 5_000;
export const REQUEST_TIMEOUT_MS = 20_000;

/** An error value carried by a rejected promise (`error.info` is the plain-data error). */
export class HostRequestError extends Error {
  /** @param {{code: string, message: string}} info */
  constructor(info) {
    super(info.message);
    this.info = info;
  }
}

export class NativeHost {
  #runtime;
  #hostName;
  #onChange;
  #onEvent;
  #extensionVersion;
  #conn = initialConnection();
  /** @type {chrome.runtime.Port | null} */
  #port = null;
  #table = new RequestTable();
  #retryTimer = null;
  #expiryTimer = null;
  /** @type {Array<{resolve: () => void, reject: (e: Error) => void}>} */
  #waiters = [];
  #counters = {portsOpened: 0, requests: 0, responses: 0, events: 0, invalidMessages: 0, timeouts: 0};
  /** Recent connection changes, newest last (no message bodies, no secrets). */
  #history = [];

  /**
   * @param {{runtime: typeof chrome.runtime, hostName?: string, extensionVersion?: string,
   *   onChange?: (status: object) => void, onEvent?: (type: string, payload: unknown) => void}} options
   */
  constructor({runtime, hostName = HOST_NAME, extensionVersion = '', onChange = () => {}, onEvent = () => {}}) {
    this.#extensionVersion = extensionVersion;
    this.#runtime = runtime;
    this.#hostName = hostName;
    this.#onChange = onChange;
    this.#onEvent = onEvent;
  }

  /** Plain-data snapshot for pages: state, host hello, last error, counters and recent history. */
  get status() {
    return {
      state: this.#conn.state,
      hostName: this.#hostName,
      host: this.#conn.host,
      lastError: this.#conn.lastError,
      attempt: this.#conn.attempt,
      pending: this.#table.size,
      counters: {...this.#counters},
      history: [...this.#history],
    };
  }

  /** Starts connecting when disconnected (no-op otherwise). */
  connect() {
    this.#dispatch({type: 'connect'});
  }

  /** Closes the port and connects again at once (the "Check again" button). */
  reconnect() {
    if (this.#port) {
      this.#dispatch({type: 'portClosed', error: makeError(ErrorCode.hostDisconnected), random: 0});
      this.#closePort();
    }
    this.#dispatch({type: 'connect'});
  }

  /** Resolves once connected; rejects with the error of the attempt in progress if it fails. */
  ready() {
    if (this.#conn.state === ConnectionState.connected) return Promise.resolve();
    this.connect();
    return new Promise((resolve, reject) => this.#waiters.push({resolve, reject}));
  }

  /**
   * Sends a request once connected and resolves with its `result`; rejects with a `HostRequestError`.
   * @param {string} type @param {unknown} [payload] @param {{timeoutMs?: number}} [options]
   */
  async request(type, payload, {timeoutMs = REQUEST_TIMEOUT_MS} = {}) {
    await this.ready();
    return this.#send(type, payload, timeoutMs);
  }

  #send(type, payload, timeoutMs) {
    return new Promise((resolve, reject) => {
      const port = this.#port;
      if (!port) {
        reject(new HostRequestError(makeError(ErrorCode.hostDisconnected)));
        return;
      }
      const id = this.#table.begin(type, Date.now(), timeoutMs, {resolve, reject});
      const message = makeRequest(id, type, payload);
      if (encodedSize(message) > MAX_BROWSER_TO_HOST_BYTES) {
        this.#table.settle(id);
        reject(new HostRequestError(makeError(ErrorCode.requestTooLarge)));
        return;
      }
      try {
        port.postMessage(message);
        this.#counters.requests += 1;
        this.#armExpiry();
      } catch (e) {
        this.#table.settle(id);
        reject(new HostRequestError(makeError(ErrorCode.hostDisconnected, {detail: String(e?.message ?? e)})));
      }
    });
  }

  #dispatch(event) {
    const before = this.#conn.state;
    const {conn, actions} = reduceConnection(this.#conn, event);
    this.#conn = conn;
    if (conn.state !== before) {
      this.#history.push({at: Date.now(), state: conn.state, error: conn.lastError?.code ?? null});
      if (this.#history.length > 20) this.#history.shift();
    }
    for (const action of actions) this.#perform(action);
  }

  #perform(action) {
    switch (action.type) {
      case 'openPort': this.#openPort(); break;
      case 'sendHello': this.#sendHello(); break;
      case 'closePort': this.#closePort(); break;
      case 'cancelRetry':
        if (this.#retryTimer !== null) clearTimeout(this.#retryTimer);
        this.#retryTimer = null;
        break;
      case 'scheduleRetry':
        if (this.#retryTimer !== null) clearTimeout(this.#retryTimer);
        this.#retryTimer = setTimeout(() => {
          this.#retryTimer = null;
          this.#dispatch({type: 'retryDue'});
        }, action.delayMs);
        break;
      case 'failPending': this.#failPending(action.error); break;
      case 'publish': this.#publish(); break;
    }
  }

  #openPort() {
    this.#counters.portsOpened += 1;
    let port;
    try {
      port = this.#runtime.connectNative(this.#hostName);
    } catch (e) {
      // Thrown synchronously for an invalid host name in some browsers.
      queueMicrotask(() => this.#dispatch({type: 'portClosed', error: errorFromPortClose(String(e?.message ?? e)), random: Math.random()}));
      return;
    }
    this.#port = port;
    port.onMessage.addListener((message) => {
      if (this.#port === port) this.#receive(message);
    });
    port.onDisconnect.addListener((p) => {
      // Chrome reports the reason in runtime.lastError, Firefox on port.error (docs/native-messaging.md §4).
      const reason = this.#runtime.lastError?.message ?? p?.error?.message ?? null;
      if (this.#port !== port) return;
      this.#port = null;
      this.#dispatch({type: 'portClosed', error: errorFromPortClose(reason), random: Math.random()});
    });
  }

  #closePort() {
    const port = this.#port;
    this.#port = null;
    if (port) {
      try { port.disconnect(); } catch { /* already closed */ }
    }
  }

  #sendHello() {
    // PROTOCOL.md `host.hello`: the first request on every port.
    const payload = {extensionVersion: this.#extensionVersion.slice(0, 64), protocolVersion: PROTOCOL_VERSION};
    this.#send(RequestType.hostHello, payload, HELLO_TIMEOUT_MS).then(
      (hello) => this.#dispatch({type: 'helloSucceeded', hello}),
      (e) => this.#dispatch({type: 'helloFailed', error: e.info ?? makeError(ErrorCode.unexpected), random: Math.random()}),
    );
  }

  #receive(message) {
    const m = classifyHostMessage(message);
    switch (m.kind) {
      case 'response': {
        const entry = this.#table.settle(m.id);
        if (!entry) { this.#counters.invalidMessages += 1; return; }
        this.#counters.responses += 1;
        entry.context.resolve(m.result);
        return;
      }
      case 'failure': {
        const entry = this.#table.settle(m.id);
        if (!entry) { this.#counters.invalidMessages += 1; return; }
        this.#counters.responses += 1;
        entry.context.reject(new HostRequestError(errorFromHost(m.error)));
        return;
      }
      case 'event':
        this.#counters.events += 1;
        this.#onEvent(m.type, m.payload);
        return;
      default:
        this.#counters.invalidMessages += 1;
    }
  }

  #failPending(error) {
    for (const entry of this.#table.drain()) entry.context.reject(new HostRequestError(error));
    this.#armExpiry();
  }

  #armExpiry() {
    if (this.#expiryTimer !== null) clearTimeout(this.#expiryTimer);
    this.#expiryTimer = null;
    const deadline = this.#table.nextDeadline();
    if (deadline === null) return;
    this.#expiryTimer = setTimeout(() => {
      this.#expiryTimer = null;
      for (const entry of this.#table.expire(Date.now())) {
        this.#counters.timeouts += 1;
        entry.context.reject(new HostRequestError(makeError(ErrorCode.timeout, {detail: entry.type})));
      }
      this.#armExpiry();
    }, Math.max(0, deadline - Date.now()));
  }

  #publish() {
    const state = this.#conn.state;
    if (state === ConnectionState.connected) {
      for (const w of this.#waiters.splice(0)) w.resolve();
    } else if (state === ConnectionState.disconnected) {
      const error = new HostRequestError(this.#conn.lastError ?? makeError(ErrorCode.hostDisconnected));
      for (const w of this.#waiters.splice(0)) w.reject(error);
    }
    this.#onChange(this.status);
  }
}
