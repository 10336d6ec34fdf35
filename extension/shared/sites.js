/**
 * CRM sites the user adds on the options page: turns what they type into an origin and the match
 * pattern used for `chrome.permissions.request` and `chrome.scripting.registerContentScripts`.
 * Pure; the chrome.* calls live in `background/sites-registry.js` and `options/options.js`.
 */

const MAX_INPUT_LENGTH = 2048;
/** Registered content script id (one registration covers every site). */
export const CONTENT_SCRIPT_ID = 'crm-whatsapp-page-bridge';
/** Files of the content script, in load order (classic scripts; the first defines the pure helpers). */
export const CONTENT_SCRIPT_FILES = Object.freeze(['content/page-contract.js', 'content/content.js']);

/**
 * Parses a CRM address. Accepts "crm.example.com", "https://crm.example.com/app/leads",
 * "http://localhost:8000". Only http and https; plain http only for local addresses.
 * @param {unknown} input
 * @returns {{ok: true, origin: string, pattern: string} | {ok: false, reason: string}}
 */
export function parseSite(input) {
  if (typeof input !== 'string') return {ok: false, reason: 'notText'};
  let text = input.trim();
  if (text === '') return {ok: false, reason: 'empty'};
  if (text.length > MAX_INPUT_LENGTH) return {ok: false, reason: 'tooLong'};
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) text = 'https://' + text;
  let url;
  try {
    url = new URL(text);
  } catch {
    return {ok: false, reason: 'notAnAddress'};
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return {ok: false, reason: 'notWeb'};
  if (url.username !== '' || url.password !== '') return {ok: false, reason: 'hasCredentials'};
  if (url.hostname === '' || url.hostname.includes('*')) return {ok: false, reason: 'notAnAddress'};
  if (url.protocol === 'http:' && !isLocalHost(url.hostname)) return {ok: false, reason: 'insecure'};
  return {ok: true, origin: url.origin, pattern: url.origin + '/*'};
}

/** @param {string} hostname */
function isLocalHost(hostname) {
  return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]' ||
    hostname.endsWith('.localhost');
}

/** Plain-language text for a `parseSite` failure. */
export function siteProblemText(reason) {
  switch (reason) {
    case 'empty': return 'Type the address of your CRM, for example crm.example.com.';
    case 'insecure': return 'Use the https:// address of your CRM (plain http only works for local test sites).';
    case 'notWeb': return 'Only web addresses (https://…) can be added.';
    case 'hasCredentials': return 'Leave the user name and password out of the address.';
    case 'tooLong': return 'That address is too long.';
    default: return 'That does not look like a web address.';
  }
}

/**
 * The site list after adding one origin (kept sorted, no duplicates).
 * @param {string[]} sites @param {string} origin
 */
export function addSite(sites, origin) {
  return [...new Set([...sites, origin])].sort();
}

/** @param {string[]} sites @param {string} origin */
export function removeSite(sites, origin) {
  return sites.filter((s) => s !== origin);
}

/**
 * True when a sender origin is one of the configured sites.
 * @param {string[]} sites @param {string | undefined} origin
 */
export function isSiteOrigin(sites, origin) {
  return typeof origin === 'string' && sites.includes(origin);
}
