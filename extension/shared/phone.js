/**
 * Phone numbers as the CRM page sends them (raw, as typed: "98765 43210", "+91-98765-43210",
 * "098765 43210") turned into the international digits WhatsApp addresses (docs/original-contract.md §6,
 * "Phone rule the CRM depends on"): strip everything but digits, drop one leading 0 trunk prefix,
 * add the default country code only when exactly 10 national digits remain.
 */

/** The country code the original system added to 10-digit numbers. */
export const DEFAULT_COUNTRY_CODE = '91';

/** E.164: at most 15 digits; shorter than 8 cannot be a reachable mobile number. */
const MIN_DIGITS = 8;
const MAX_DIGITS = 15;
/** Longer input is not a phone number; refuse it before looking at it. */
const MAX_INPUT_LENGTH = 64;

/**
 * @param {unknown} raw
 * @param {{defaultCountryCode?: string}} [options]
 * @returns {{ok: true, digits: string} | {ok: false, reason: 'notText' | 'tooLong' | 'empty' | 'tooShort' | 'tooManyDigits'}}
 */
export function normalizePhone(raw, {defaultCountryCode = DEFAULT_COUNTRY_CODE} = {}) {
  if (typeof raw !== 'string' && typeof raw !== 'number') return {ok: false, reason: 'notText'};
  const text = String(raw).trim();
  if (text.length > MAX_INPUT_LENGTH) return {ok: false, reason: 'tooLong'};
  const international = text.startsWith('+') || text.startsWith('00');
  let digits = text.replace(/\D/g, '');
  if (digits === '') return {ok: false, reason: 'empty'};
  if (text.startsWith('00')) {
    digits = digits.slice(2);
  } else if (!international && digits.startsWith('0')) {
    digits = digits.slice(1);
  }
  if (!international && digits.length === 10) digits = defaultCountryCode + digits;
  if (digits.length < MIN_DIGITS) return {ok: false, reason: 'tooShort'};
  if (digits.length > MAX_DIGITS) return {ok: false, reason: 'tooManyDigits'};
  return {ok: true, digits};
}

/**
 * Checks a default country code typed on the options page ("+44", "44"): 1–3 digits, no leading 0.
 * @param {unknown} input
 * @returns {string | null} the digits, or null when it is not a country code
 */
export function parseCountryCode(input) {
  if (typeof input !== 'string') return null;
  const text = input.trim().replace(/^\+/, '');
  return /^[1-9]\d{0,2}$/.test(text) ? text : null;
}
