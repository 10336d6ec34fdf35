/**
 * Plain-language wording of the extension's state for the popup, the options page and the in-page
 * dialog: every engine state and reason of the linking contract (PROTOCOL.md `engine.state`) with what
 * the user should do about it. Pure: takes the background's status snapshot (and the time), returns
 * what to show. Live countdowns are returned as a target time; the page formats them every second.
 */
import {normalizePhone} from './phone.js';

/**
 * Country calling codes of two digits (ITU-T E.164 assignments); `1` and `7` are the one-digit codes,
 * every other code has three digits. Used to put a space after the calling code when showing a number.
 */
const TWO_DIGIT_CODES = new Set([
  '20', '27', '30', '31', '32', '33', '34', '36', '39', '40', '41', '43', '44', '45', '46', '47', '48', '49',
  '51', '52', '53', '54', '55', '56', '57', '58', '60', '61', '62', '63', '64', '65', '66', '81', '82', '84',
  '86', '90', '91', '92', '93', '94', '95', '98',
]);

/**
 * Splits international digits into calling code and national number.
 * @param {string} d digits only @returns {[string, string]}
 */
function splitCallingCode(d) {
  const n = d[0] === '1' || d[0] === '7' ? 1 : TWO_DIGIT_CODES.has(d.slice(0, 2)) ? 2 : 3;
  return [d.slice(0, n), d.slice(n)];
}

/** National digits in groups of three, the last group taking a leftover digit ("301234567" → "301 234 567"). */
function groupNational(n) {
  const groups = [];
  for (let i = 0; i < n.length; i += 3) groups.push(n.slice(i, i + 3));
  if (groups.length > 1 && groups[groups.length - 1].length === 1) groups[groups.length - 2] += groups.pop();
  return groups.join(' ');
}

/**
 * Formats international digits for display: "+91 98765 43210", "+1 415 555 0100", "+44 7700 900123",
 * "+49 301 234 567". Never shows anything but digits, spaces and "+".
 * @param {string | null | undefined} digits
 */
export function formatPhone(digits) {
  if (typeof digits !== 'string') return '';
  const d = digits.replace(/\D/g, '').slice(0, 20);
  if (d === '') return '';
  if (d.length < 8) return '+' + d;
  const [cc, n] = splitCallingCode(d);
  if ((cc === '1') && n.length === 10) return `+1 ${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`;
  if (cc === '91' && n.length === 10) return `+91 ${n.slice(0, 5)} ${n.slice(5)}`;
  if (cc === '44' && n.length === 10) return `+44 ${n.slice(0, 4)} ${n.slice(4)}`;
  return `+${cc} ${groupNational(n)}`;
}

/** The 8-character pairing code as the phone shows it: "ABCD1234" → "ABCD-1234" ("" when malformed). */
export function formatPairingCode(code) {
  if (typeof code !== 'string' || !/^[A-Za-z0-9]{8}$/.test(code)) return '';
  return code.slice(0, 4).toUpperCase() + '-' + code.slice(4).toUpperCase();
}

/**
 * Time left as "m:ss" ("0:45", "2:05"), or "h:mm:ss" from one hour on; "0:00" when over or unknown.
 * Rounds up, so "0:01" shows until the moment it is over.
 * @param {number} ms
 */
export function formatCountdown(ms) {
  if (!Number.isFinite(ms) || ms <= 0) return '0:00';
  const total = Math.ceil(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/**
 * A moment as the user reads it: "14:05" today, "5 Dec, 14:05" on another day.
 * @param {number} at ms since epoch @param {number} now @param {string} [timeZone] (tests pass "UTC")
 */
export function formatClock(at, now, timeZone) {
  const zone = timeZone ? {timeZone} : {};
  const day = (t) => new Intl.DateTimeFormat('en-GB', {year: 'numeric', month: 'numeric', day: 'numeric', ...zone}).format(t);
  const clock = new Intl.DateTimeFormat('en-GB', {hour: '2-digit', minute: '2-digit', hourCycle: 'h23', ...zone}).format(at);
  if (day(at) === day(now)) return clock;
  const date = new Intl.DateTimeFormat('en-GB', {day: 'numeric', month: 'short', ...zone}).format(at);
  return `${date}, ${clock}`;
}

/** Plain words for a `normalizePhone` failure when the user types their own number to link. */
export function phoneProblemText(reason) {
  switch (reason) {
    case 'empty': return 'Type your WhatsApp number, with the country code.';
    case 'tooShort': return 'That number is too short: type the full number with the country code, for example +91 98765 43210.';
    case 'tooManyDigits': return 'That number has too many digits: a phone number has at most 15.';
    default: return 'That does not look like a phone number.';
  }
}

/**
 * Checks the number typed into "Link with phone number".
 * @param {string} input @param {string} defaultCountryCode
 * @returns {{ok: true, digits: string, display: string} | {ok: false, problem: string}}
 */
export function checkLinkPhone(input, defaultCountryCode) {
  // The field starts with the calling code ("+91 "): that alone is an empty field, not a short number.
  if (typeof input === 'string' && input.replace(/\D/g, '').length <= 3) return {ok: false, problem: phoneProblemText('empty')};
  const r = normalizePhone(input, {defaultCountryCode});
  if (!r.ok) return {ok: false, problem: phoneProblemText(r.reason)};
  return {ok: true, digits: r.digits, display: formatPhone(r.digits)};
}

/** The phone number field's starting text: the calling code of the country setting ("+91 "). */
export function phonePrefill(defaultCountryCode) {
  return typeof defaultCountryCode === 'string' && /^[1-9]\d{0,2}$/.test(defaultCountryCode) ? `+${defaultCountryCode} ` : '+';
}

const QR_STEPS = 'On your phone open WhatsApp → Settings → Linked devices → Link a device, then point the camera at this code.';
const CODE_STEPS = 'On your phone open WhatsApp → Settings → Linked devices → Link a device → Link with phone number instead, then type this code.';

/** Buttons the pages may show, with their default labels. */
export const ActionLabel = Object.freeze({
  linkQr: 'Link with QR code',
  linkPhone: 'Link with phone number',
  cancelLink: 'Cancel',
  unlink: 'Unlink WhatsApp from this computer',
  reconnectHost: 'Try again',
  openOptions: 'Open setup and diagnostics',
});

/**
 * @typedef {{tone: 'ok' | 'wait' | 'problem' | 'idle', headline: string, detail: string, hostLine: string,
 *   engineLine: string, linked: boolean, account: {phone: string, name: string | null} | null,
 *   link: 'qr' | 'phone' | null, qr: {src: string, index: number | null} | null, pairingCode: string | null,
 *   countdown: {at: number, label: string, done: string} | null, actions: Record<string, string>,
 *   primary: string | null, canLink: boolean, canLogout: boolean, sendProblem: string | null}} StatusView
 */

/**
 * What to show for a status snapshot `{connection: {state, host, lastError}, engine}` (background
 * `snapshot()`); `null` means nothing was heard yet.
 * @param {any} snapshot
 * @param {{now?: number, timeZone?: string}} [options]
 * @returns {StatusView}
 */
export function describeStatus(snapshot, {now = Date.now(), timeZone} = {}) {
  const connection = snapshot?.connection ?? {state: 'connecting', host: null, lastError: null};
  const engine = snapshot?.engine ?? {state: 'unknown'};
  const base = {
    tone: 'idle', headline: '', detail: '', hostLine: '', engineLine: '—', linked: false, account: null,
    link: null, qr: null, pairingCode: null, countdown: null, actions: {}, primary: null,
  };

  if (connection.state === 'connecting') {
    return finish({...base, tone: 'wait', headline: 'Connecting to the helper app…', detail: 'This takes a second.', hostLine: 'Connecting…'});
  }
  if (connection.state !== 'connected') {
    const notInstalled = connection.lastError?.code === 'hostNotInstalled';
    return finish({
      ...base, tone: 'problem',
      headline: notInstalled ? 'Helper app not installed' : 'Helper app not reachable',
      detail: connection.lastError?.message ?? 'Waiting for the helper app…',
      hostLine: notInstalled ? 'Not installed' : 'Not connected',
      actions: {openOptions: ActionLabel.openOptions}, primary: 'openOptions',
    });
  }

  const hostVersion = connection.host?.hostVersion;
  const v = {...base, hostLine: hostVersion ? `Connected · version ${hostVersion}` : 'Connected'};
  const phone = formatPhone(engine.phoneNumber);
  const name = typeof engine.pushName === 'string' && engine.pushName !== '' ? engine.pushName : null;
  if (phone) v.account = {phone, name};
  const linkActions = (qrLabel = ActionLabel.linkQr) => ({linkQr: qrLabel, linkPhone: ActionLabel.linkPhone});
  const reason = engine.reason ?? null;

  switch (engine.state) {
    case 'unknown':
      return finish({...v, tone: 'wait', headline: 'Checking WhatsApp…', detail: 'The helper app is starting WhatsApp.', engineLine: 'Checking…'});

    case 'unavailable':
      if (reason === 'configuration') {
        const message = typeof engine.message === 'string' && engine.message !== '' ? engine.message : 'The helper app\'s WhatsApp settings are not right.';
        return finish({
          ...v, tone: 'problem', headline: 'WhatsApp settings need fixing',
          detail: `${sentence(message)} Open Setup and diagnostics to see what is wrong, then press Try again.`,
          engineLine: 'Settings need fixing',
          actions: {openOptions: ActionLabel.openOptions, reconnectHost: ActionLabel.reconnectHost}, primary: 'openOptions',
        });
      }
      if (reason === 'storeUnavailable') {
        return finish({
          ...v, tone: 'problem', headline: 'WhatsApp data cannot be opened',
          detail: 'The helper app could not open its data folder on this computer (full disk, or no permission?). Open Setup and diagnostics to see the folder, then press Try again.',
          engineLine: 'Data folder problem',
          actions: {openOptions: ActionLabel.openOptions, reconnectHost: ActionLabel.reconnectHost}, primary: 'openOptions',
        });
      }
      return finish({
        ...v, tone: 'idle', headline: 'Helper app ready',
        detail: 'Everything is set up on this computer. Linking WhatsApp arrives with a later version of the helper app.',
        engineLine: 'Not available yet',
      });

    case 'unlinked':
      return finish({...v, engineLine: 'Not linked', ...unlinkedWords(reason), actions: linkActions(reason === 'qrExpired' ? 'Retry with a new QR code' : ActionLabel.linkQr), primary: 'linkQr'});

    case 'linking':
      return finish(linkingView(v, engine, now));

    case 'connecting':
      return finish({
        ...v, tone: 'wait', headline: 'Connecting to WhatsApp…',
        detail: 'Your linked phone\'s account is being reached. This takes a few seconds.',
        engineLine: phone ? `Connecting · ${phone}` : 'Connecting…', actions: {unlink: ActionLabel.unlink},
      });

    case 'connected':
      return finish({
        ...v, tone: 'ok', linked: true, headline: 'WhatsApp linked',
        detail: phone
          ? `Messages from the CRM go out from ${keepTogether(phone)}${name ? ` (${name})` : ''}. Your phone stays your main WhatsApp.`
          : 'Messages from the CRM go out from your phone\'s WhatsApp.',
        engineLine: phone ? `Linked · ${phone}` : 'Linked', actions: {unlink: ActionLabel.unlink},
      });

    case 'disconnected':
      return finish({
        ...v, tone: 'wait', headline: 'WhatsApp is reconnecting', detail: DISCONNECTED_WORDS[reason] ?? DISCONNECTED_WORDS.other,
        engineLine: 'Offline · reconnecting',
        countdown: Number.isFinite(engine.retryAt) ? {at: engine.retryAt, label: 'Next attempt in', done: 'Reconnecting now…'} : null,
        actions: {unlink: ActionLabel.unlink},
      });

    case 'stopped':
      return finish({...v, tone: 'problem', engineLine: 'Stopped', ...stoppedWords(engine, now, timeZone)});

    case 'loggedOut':
      if (reason === 'loggedOutByPhone') {
        return finish({
          ...v, tone: 'problem', headline: 'Unlinked from your phone',
          detail: 'This computer was removed from Linked devices on your phone, and its WhatsApp data here was wiped. Link again to keep sending from the CRM.',
          engineLine: 'Unlinked', actions: linkActions('Link again'), primary: 'linkQr',
        });
      }
      return finish({
        ...v, tone: 'idle', headline: 'WhatsApp unlinked',
        detail: 'WhatsApp was unlinked from this computer and its data here was wiped. Link again whenever you like.',
        engineLine: 'Unlinked', actions: linkActions('Link again'), primary: 'linkQr',
      });

    default:
      return finish({
        ...v, tone: 'idle', headline: 'WhatsApp status unknown',
        detail: 'The helper app reported something this version of the extension does not know. Update the extension.',
        engineLine: 'Unknown',
      });
  }
}

/** A phone number that does not break across lines (no-break spaces). */
function keepTogether(text) {
  return text.replace(/ /g, '\u00a0');
}

/** Ends a text with a full stop if it has none. */
function sentence(text) {
  return /[.!?…]$/.test(text) ? text : text + '.';
}

function finish(view) {
  const canLink = 'linkQr' in view.actions || 'linkPhone' in view.actions;
  return {...view, canLink, canLogout: 'unlink' in view.actions, sendProblem: sendProblem(view, canLink)};
}

/** Why a message from the CRM cannot go out now, in one sentence (null when it can). */
function sendProblem(view, canLink) {
  if (view.linked) return null;
  if (view.hostLine === 'Connecting…' || view.headline === 'Checking WhatsApp…') return 'WhatsApp is still starting: try again in a moment.';
  if (view.engineLine === 'Not available yet') return 'WhatsApp linking is not available in this version of the helper app yet.';
  if (view.link !== null) return 'WhatsApp is being linked: finish linking on your phone, then send again.';
  if (view.headline === 'Connecting to WhatsApp…') return 'WhatsApp is still connecting: try again in a moment.';
  if (view.tone === 'wait') return `${view.headline.replace(/…$/, '')}: try again in a moment.`;
  if (canLink) return 'WhatsApp is not linked: link your phone (Link WhatsApp), then send again.';
  return `${view.headline.replace(/…$/, '')}: open CRM WhatsApp in the browser toolbar to see what to do.`;
}

function unlinkedWords(reason) {
  switch (reason) {
    case 'qrExpired':
      return {tone: 'idle', headline: 'QR expired — retry',
        detail: 'The code was not scanned in time. Press Retry for a new one, with your phone ready at WhatsApp → Settings → Linked devices → Link a device.'};
    case 'cancelled':
      return {tone: 'idle', headline: 'Linking cancelled', detail: 'Nothing was linked. Start again whenever you are ready.'};
    case 'passkeyRequired':
      return {tone: 'problem', headline: 'WhatsApp asked for a passkey',
        detail: 'WhatsApp wants this link confirmed with a passkey, which CRM WhatsApp does not support yet. Try “Link with phone number”, or try again later.'};
    case 'pairingFailed':
      return {tone: 'problem', headline: 'Linking did not finish',
        detail: 'Your phone and this computer could not complete the link. Try again; if it keeps failing, first remove any half-linked device on your phone under Linked devices.'};
    case 'linkIncomplete':
      return {tone: 'problem', headline: 'Linking was interrupted',
        detail: 'The helper app stopped before WhatsApp confirmed the link, so nothing was linked. Link again; if your phone lists a device that never connected, remove it under Linked devices.'};
    case 'pairingCodeFailed':
      return {tone: 'problem', headline: 'The phone number code did not work',
        detail: 'WhatsApp did not accept linking by phone number. Check the number (with country code) and try again, or link with the QR code instead.'};
    default:
      return {tone: 'idle', headline: 'WhatsApp not linked', detail: 'Link your phone once, then send WhatsApp messages straight from the CRM.'};
  }
}

function linkingView(v, engine, now) {
  const method = engine.method ?? (engine.pairingCode ? 'phone' : 'qr');
  if (method === 'phone') {
    const code = formatPairingCode(engine.pairingCode?.code);
    const at = engine.pairingCode?.expiresAt;
    const expired = Boolean(code) && Number.isFinite(at) && at <= now;
    return {
      ...v, tone: 'wait', link: 'phone', engineLine: 'Linking…',
      headline: code ? 'Type this code on your phone' : 'Getting your code…',
      detail: code ? CODE_STEPS : 'WhatsApp is preparing an 8-character code for your number.',
      pairingCode: code || null,
      countdown: code && Number.isFinite(at) ? {at, label: 'Expires in', done: 'This code expired: get a new one.'} : null,
      actions: expired
        ? {linkPhone: 'Get a new code', linkQr: 'Use a QR code instead', cancelLink: ActionLabel.cancelLink}
        : {linkQr: 'Use a QR code instead', cancelLink: ActionLabel.cancelLink},
      primary: expired ? 'linkPhone' : null,
    };
  }
  const qr = engine.qr && engine.qr.pngBase64 ? {src: 'data:image/png;base64,' + engine.qr.pngBase64, index: engine.qr.index ?? null} : null;
  const at = engine.qr?.expiresAt;
  return {
    ...v, tone: 'wait', link: 'qr', engineLine: 'Linking…',
    headline: qr ? 'Scan this code with your phone' : 'Getting a QR code…',
    detail: qr ? QR_STEPS : 'The helper app is asking WhatsApp for a code. This takes a second.',
    qr,
    countdown: qr && Number.isFinite(at) ? {at, label: 'Expires in', done: 'Getting a new code…'} : null,
    actions: {linkPhone: 'Link with phone number instead', cancelLink: ActionLabel.cancelLink},
  };
}

const DISCONNECTED_WORDS = Object.freeze({
  network: 'The connection to WhatsApp dropped (is the network down?). It comes back by itself; nothing to do.',
  keepAliveTimeout: 'WhatsApp stopped answering, so the helper app is reconnecting. Nothing to do.',
  serverUnavailable: 'WhatsApp\'s servers are busy right now. The helper app tries again by itself.',
  restart: 'WhatsApp asked for a fresh connection (normal right after linking). Reconnecting by itself.',
  other: 'The connection to WhatsApp dropped. The helper app reconnects by itself; nothing to do.',
});

function stoppedWords(engine, now, timeZone) {
  const code = Number.isSafeInteger(engine.code) ? ` (code ${engine.code})` : '';
  switch (engine.reason) {
    case 'replaced':
      return {
        headline: 'WhatsApp was opened somewhere else',
        detail: 'Another browser or computer took over this WhatsApp link, so this one stepped back instead of fighting over it. Press “Use here” to bring it back to this browser.',
        actions: {reconnectHost: 'Use here', unlink: ActionLabel.unlink}, primary: 'reconnectHost',
      };
    case 'inUseElsewhere':
      return {
        headline: 'WhatsApp is in use in another browser',
        detail: 'Another browser or browser profile on this computer is using this WhatsApp link. Close it there (or quit that browser) and this one takes over by itself.',
        actions: {reconnectHost: ActionLabel.reconnectHost}, primary: 'reconnectHost',
      };
    case 'clientOutdated':
      return {
        headline: 'The helper app needs an update',
        detail: `WhatsApp no longer accepts this version of the CRM WhatsApp helper app${code}. Update it (ask your administrator), then press Try again.`,
        actions: {reconnectHost: ActionLabel.reconnectHost, openOptions: ActionLabel.openOptions}, primary: 'openOptions',
      };
    case 'banned': {
      const until = Number.isFinite(engine.until) && engine.until > 0 ? formatClock(engine.until, now, timeZone) : null;
      return {
        headline: until ? 'WhatsApp has paused this number' : 'WhatsApp has banned this number',
        detail: until
          ? `WhatsApp temporarily banned this number${code} until ${until}. Sending works again after that; open WhatsApp on your phone for details.`
          : `WhatsApp banned this number${code}. Open WhatsApp on your phone for details and how to ask for a review.`,
        // No main button: trying again during a ban does not help and may make it longer.
        actions: {reconnectHost: ActionLabel.reconnectHost}, primary: null,
      };
    }
    default:
      return {
        headline: 'WhatsApp stopped',
        detail: `WhatsApp closed the connection${code} and the helper app will not retry by itself. Press Try again.`,
        actions: {reconnectHost: ActionLabel.reconnectHost, unlink: ActionLabel.unlink}, primary: 'reconnectHost',
      };
  }
}
