/**
 * The extension's internal message bus (`runtime.sendMessage({type, payload})`): who may send what,
 * dispatched through a handler table (docs/house-style.md §9, keepassxc `messageHandlers`).
 * Senders are sorted into roles: `page` (this extension's own pages) and `content` (our content script
 * in a tab of a configured CRM site). Anything else is refused before a handler runs.
 */
import {ErrorCode, makeError} from '../shared/errors.js';

export const Role = Object.freeze({page: 'page', content: 'content'});

/**
 * Works out the role of a `runtime.onMessage` sender, or `null` when it is not allowed.
 * @param {{id?: string, url?: string, origin?: string, tab?: object}} sender
 * @param {{extensionId: string, extensionOrigin: string, isSite: (origin: string) => boolean}} self
 * @returns {string | null}
 */
export function senderRole(sender, self) {
  if (!sender || sender.id !== self.extensionId) return null;
  const url = typeof sender.url === 'string' ? sender.url : '';
  if (url.startsWith(self.extensionOrigin)) return Role.page;
  if (sender.tab) {
    let origin = sender.origin;
    if (typeof origin !== 'string') {
      try { origin = new URL(url).origin; } catch { return null; }
    }
    if (self.isSite(origin)) return Role.content;
  }
  return null;
}

/**
 * @typedef {{roles: string[], handle: (payload: any, context: {role: string, sender: object}) => Promise<unknown> | unknown}} Handler
 */

/**
 * Routes one message through the handler table and always answers with
 * `{ok: true, result}` or `{ok: false, error}` (plain data).
 * @param {Record<string, Handler>} handlers
 * @param {unknown} message
 * @param {object} sender
 * @param {{extensionId: string, extensionOrigin: string, isSite: (origin: string) => boolean}} self
 */
export async function route(handlers, message, sender, self) {
  const role = senderRole(sender, self);
  if (role === null) return {ok: false, error: makeError(ErrorCode.senderNotAllowed)};
  if (!message || typeof message !== 'object' || typeof message.type !== 'string') {
    return {ok: false, error: makeError(ErrorCode.unknownMessage)};
  }
  const handler = Object.hasOwn(handlers, message.type) ? handlers[message.type] : undefined;
  if (!handler) return {ok: false, error: makeError(ErrorCode.unknownMessage, {detail: message.type.slice(0, 64)})};
  if (!handler.roles.includes(role)) return {ok: false, error: makeError(ErrorCode.senderNotAllowed)};
  try {
    const result = await handler.handle(message.payload ?? {}, {role, sender});
    return {ok: true, result: result ?? null};
  } catch (e) {
    const info = e && typeof e === 'object' && e.info && typeof e.info.code === 'string'
      ? e.info
      : makeError(ErrorCode.unexpected, {detail: String(e?.message ?? e).slice(0, 200)});
    return {ok: false, error: info};
  }
}

/** An error thrown by a handler, carrying plain-data `info` that `route` answers with. */
export class HandlerError extends Error {
  /** @param {{code: string, message: string}} info */
  constructor(info) {
    super(info.message);
    this.info = info;
  }
}
