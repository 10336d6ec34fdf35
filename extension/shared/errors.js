/**
 * The extension's error model: a small closed set of error codes, each with a plain-language
 * message a salesperson can act on. Chrome's native messaging error strings
 * (docs/native-messaging.md §1.1, "Error strings") and the host's error codes (PROTOCOL.md `## Error codes`)
 * are mapped onto it here.
 */
import {HostErrorCode, hostErrorName} from './protocol.js';

/** Every error code the extension reports to its pages and to the CRM page. */
export const ErrorCode = Object.freeze({
  hostNotInstalled: 'hostNotInstalled',
  hostForbidden: 'hostForbidden',
  hostNameInvalid: 'hostNameInvalid',
  hostExited: 'hostExited',
  hostCommunication: 'hostCommunication',
  hostFailedToStart: 'hostFailedToStart',
  hostDisconnected: 'hostDisconnected',
  hostIncompatible: 'hostIncompatible',
  hostError: 'hostError',
  timeout: 'timeout',
  requestTooLarge: 'requestTooLarge',
  senderNotAllowed: 'senderNotAllowed',
  unknownMessage: 'unknownMessage',
  invalidPayload: 'invalidPayload',
  notLinked: 'notLinked',
  permissionDenied: 'permissionDenied',
  unexpected: 'unexpected',
});

const INSTALL_HINT = 'run ./install-host.sh install in the crm-whatsapp folder. The extension finds it by itself within half a minute';

/** Plain-language text per error code (host errors are worded per host code below). */
const TEXT = Object.freeze({
  hostNotInstalled: `The CRM WhatsApp helper app is not installed for this browser yet. To install it, ${INSTALL_HINT}.`,
  hostForbidden: `The helper app is installed, but for another copy of this extension. To fix it, ${INSTALL_HINT}.`,
  hostNameInvalid: 'The extension asked for the helper app by an invalid name. Please report this.',
  hostExited: 'The helper app stopped. Reconnecting…',
  hostCommunication: 'The helper app sent something the browser could not read. Reconnecting…',
  hostFailedToStart: `The helper app could not be started. To reinstall it, ${INSTALL_HINT}.`,
  hostDisconnected: 'The connection to the helper app was closed. Reconnecting…',
  hostIncompatible: 'The helper app and the extension are different versions: update both, then reload.',
  hostError: 'The helper app reported an error.',
  timeout: 'The helper app did not answer in time.',
  requestTooLarge: 'That message is too large to send.',
  senderNotAllowed: 'This page is not allowed to use CRM WhatsApp.',
  unknownMessage: 'The extension does not know that request.',
  invalidPayload: 'The request is missing something or has a wrong value.',
  notLinked: 'WhatsApp is not linked yet: open the CRM WhatsApp extension and link your phone.',
  permissionDenied: 'The browser did not grant access to that site.',
  unexpected: 'Something unexpected happened.',
});

/** Plain-language text per host error code name. */
const HOST_TEXT = Object.freeze({
  parseError: 'The helper app could not read a request from the extension.',
  invalidRequest: 'The helper app rejected a malformed request.',
  unknownType: 'The helper app does not know this request: update the helper app.',
  invalidPayload: 'The helper app rejected the request: a value is missing or wrong.',
  frameTooLarge: 'That request is too large for the helper app.',
  responseTooLarge: 'The answer was too large for the browser.',
  internalError: 'The helper app hit an internal error.',
  originNotAllowed: `The helper app does not accept this copy of the extension. To fix it, ${INSTALL_HINT}.`,
  engineUnavailable: 'This is not available in this version of the helper app yet (sending messages comes with the next version).',
  notLinked: 'WhatsApp is not linked yet: open CRM WhatsApp in the browser toolbar and link your phone.',
  alreadyLinked: 'WhatsApp is already linked on this computer. Unlink it first to link another phone.',
  engineConfiguration: 'The helper app\'s WhatsApp settings are not right: open Setup and diagnostics for details.',
  engineBusy: 'Another browser on this computer is using this WhatsApp link. Close it there; this browser takes over by itself.',
});

/** Errors after which reconnecting by itself cannot help: the user has to act. */
const NEEDS_USER = new Set([
  ErrorCode.hostNotInstalled, ErrorCode.hostForbidden, ErrorCode.hostNameInvalid,
  ErrorCode.hostFailedToStart, ErrorCode.hostIncompatible,
]);

/**
 * Builds an error value (plain data, safe to send through `runtime.sendMessage`).
 * @param {string} code  one of `ErrorCode`
 * @param {{message?: string, detail?: string, hostCode?: number, hostName?: string}} [extra]
 * @returns {{code: string, message: string, detail?: string, hostCode?: number, hostName?: string}}
 */
export function makeError(code, extra = {}) {
  const error = {code, message: extra.message ?? TEXT[code] ?? TEXT.unexpected};
  if (extra.detail !== undefined) error.detail = extra.detail;
  if (extra.hostCode !== undefined) error.hostCode = extra.hostCode;
  if (extra.hostName !== undefined) error.hostName = extra.hostName;
  return error;
}

/**
 * Maps Chrome's `runtime.lastError.message` (or Firefox's `port.error.message`) after a native port
 * closed to an extension error. `detail` keeps the browser's own words for the diagnostics view.
 * @param {string | null | undefined} browserMessage
 */
export function errorFromPortClose(browserMessage) {
  const text = typeof browserMessage === 'string' ? browserMessage : '';
  const detail = text === '' ? undefined : text;
  if (text === 'Specified native messaging host not found.') return makeError(ErrorCode.hostNotInstalled, {detail});
  if (/^Native messaging host .* is not registered\.?$/.test(text)) return makeError(ErrorCode.hostNotInstalled, {detail});
  if (/^No such native application /.test(text)) return makeError(ErrorCode.hostNotInstalled, {detail});
  if (text === 'Access to the specified native messaging host is forbidden.') return makeError(ErrorCode.hostForbidden, {detail});
  if (text === 'Invalid native messaging host name specified.') return makeError(ErrorCode.hostNameInvalid, {detail});
  if (text === 'Native host has exited.') return makeError(ErrorCode.hostExited, {detail});
  if (text === 'Error when communicating with the native messaging host.') return makeError(ErrorCode.hostCommunication, {detail});
  if (/^Native application tried to send a message of /.test(text)) return makeError(ErrorCode.hostCommunication, {detail});
  if (text === 'Failed to start native messaging host.') return makeError(ErrorCode.hostFailedToStart, {detail});
  return makeError(ErrorCode.hostDisconnected, {detail});
}

/**
 * Maps a host error response (`{code, message, data?}`) to an extension error.
 * The host's own message goes to `detail`; the plain text comes from the code.
 * @param {{code: number, message: string}} hostError
 */
export function errorFromHost(hostError) {
  const name = hostErrorName(hostError.code);
  const message = (name && HOST_TEXT[name]) || `${TEXT.hostError} (code ${hostError.code})`;
  return makeError(ErrorCode.hostError, {message, detail: hostError.message, hostCode: hostError.code, hostName: name});
}

/**
 * True when waiting and reconnecting cannot fix this error (the user has to install or update something).
 * @param {{code: string}} error
 */
export function needsUserAction(error) {
  return NEEDS_USER.has(error.code) ||
    (error.code === ErrorCode.hostError && error.hostCode === HostErrorCode.originNotAllowed);
}

/** True when the host said the WhatsApp engine is not served yet. */
export function isEngineUnavailable(error) {
  return error?.code === ErrorCode.hostError && error.hostCode === HostErrorCode.engineUnavailable;
}
