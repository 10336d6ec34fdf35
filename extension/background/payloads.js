/**
 * Checks and shapes what pages and the CRM page ask for into host request payloads
 * (PROTOCOL.md `link.start`, `message.send`). Pure: ids come in as arguments.
 */
import {normalizePhone} from '../shared/phone.js';

/** WhatsApp rejects longer texts; we refuse them before they reach the host. */
export const MAX_TEXT_LENGTH = 65_536;
const MAX_CLIENT_ID_LENGTH = 128;

/**
 * `link.start`: `{method: "qr"}` or `{method: "phone", phone}` (phone as international digits).
 * @param {any} payload
 * @param {{defaultCountryCode?: string}} [options]
 * @returns {{ok: true, payload: object} | {ok: false, reason: string}}
 */
export function linkStartPayload(payload, options = {}) {
  const method = payload?.method;
  if (method === 'qr') return {ok: true, payload: {method: 'qr'}};
  if (method === 'phone') {
    const phone = normalizePhone(payload.phone, options);
    if (!phone.ok) return {ok: false, reason: 'phone:' + phone.reason};
    return {ok: true, payload: {method: 'phone', phone: phone.digits}};
  }
  return {ok: false, reason: 'method'};
}

/**
 * `message.send` from the CRM page contract `{phone, message, requestId?}` (or our own pages'
 * `{to, text}`) to the host's `{to, text, clientMessageId}`.
 * @param {any} payload
 * @param {() => string} newId  makes a client message id when the caller gave none
 * @param {{defaultCountryCode?: string}} [options]
 * @returns {{ok: true, payload: {to: string, text: string, clientMessageId: string}} | {ok: false, reason: string}}
 */
export function messageSendPayload(payload, newId, options = {}) {
  if (!payload || typeof payload !== 'object') return {ok: false, reason: 'notAnObject'};
  const rawPhone = payload.phone ?? payload.to;
  const text = payload.message ?? payload.text;
  if (rawPhone === undefined || rawPhone === null || rawPhone === '' || typeof text !== 'string' || text.trim() === '') {
    return {ok: false, reason: 'phoneAndMessageRequired'};
  }
  if (text.length > MAX_TEXT_LENGTH) return {ok: false, reason: 'messageTooLong'};
  const phone = normalizePhone(rawPhone, options);
  if (!phone.ok) return {ok: false, reason: 'phone:' + phone.reason};
  let clientMessageId = payload.clientMessageId ?? payload.requestId;
  if (typeof clientMessageId !== 'string' || clientMessageId === '' || clientMessageId.length > MAX_CLIENT_ID_LENGTH) {
    clientMessageId = newId();
  }
  return {ok: true, payload: {to: phone.digits, text, clientMessageId}};
}

/** Plain-language text for a payload problem. @param {string} reason */
export function payloadProblemText(reason) {
  if (reason === 'phoneAndMessageRequired') return 'Phone and message are required.';
  if (reason === 'messageTooLong') return 'The message is too long for WhatsApp.';
  if (reason.startsWith('phone:')) return 'That phone number does not look right: use the full number with country code.';
  if (reason === 'method') return 'Choose how to link: QR code or phone number.';
  if (reason === 'countryCode') return 'A country code is 1 to 3 digits, for example 91 or +44.';
  return 'The request is missing something or has a wrong value.';
}
