/**
 * Popup: helper app and WhatsApp status in plain words, linking by QR code or phone number with live
 * countdowns, unlinking after a confirmation. UI only: the words come from shared/status-text.js, the
 * requests go through the background's router.
 */
import {RequestType} from '../shared/protocol.js';
import {sendToBackground, subscribeStatus} from '../shared/messages.js';
import {checkLinkPhone, describeStatus, formatCountdown, formatPhone, phonePrefill} from '../shared/status-text.js';

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
/** Button id per view action (shared/status-text.js `ActionLabel`). */
const BUTTONS = {linkQr: 'link-qr', linkPhone: 'link-phone', reconnectHost: 'reconnect-host', openOptions: 'open-setup', cancelLink: 'cancel-link', unlink: 'logout'};

let latest = null;
let busy = false;
let confirmingUnlink = false;
let phoneFormOpen = false;
/** The number last used for a pairing code (international digits), for "Get a new code". */
let lastPhone = null;
let countryCode = '91';

function render() {
  const snapshot = latest;
  const now = Date.now();
  const view = describeStatus(snapshot, {now});
  $('status').dataset.tone = view.tone;
  $('headline').textContent = view.headline;
  $('detail').textContent = view.detail;
  // While a QR or code is showing, the numbered steps beside it say what the detail would.
  $('detail').hidden = Boolean(view.qr || view.pairingCode);
  // The popup is at most 600 px high: while a QR or code shows, the status rows step aside.
  $('rows').hidden = Boolean(view.qr || view.pairingCode);
  $('host-line').textContent = view.hostLine;
  $('engine-line').textContent = view.engineLine;
  $('name-label').hidden = $('name-line').hidden = !view.account?.name;
  $('name-line').textContent = view.account?.name ?? '';
  const hostState = snapshot?.connection?.state;
  const hostTone = hostState === 'connected' ? 'ok' : hostState === 'disconnected' ? 'problem' : 'wait';
  $('host-dot').dataset.tone = hostTone;
  $('engine-dot').dataset.tone = hostTone !== 'ok' ? 'idle' : view.linked ? 'ok' : view.tone === 'ok' ? 'idle' : view.tone;

  const left = view.countdown ? view.countdown.at - now : 0;
  const countdownText = view.countdown ? (left > 0 ? `${view.countdown.label} ${formatCountdown(left)}` : view.countdown.done) : '';
  const inBox = view.link !== null;
  $('countdown').hidden = !view.countdown || inBox;
  $('countdown').textContent = inBox ? '' : countdownText;

  $('qr-box').hidden = !view.qr;
  if (view.qr) {
    const img = /** @type {HTMLImageElement} */ ($('qr-image'));
    if (img.getAttribute('src') !== view.qr.src) img.src = view.qr.src;
    img.classList.toggle('stale', Boolean(view.countdown) && left <= 0);
    $('qr-countdown').textContent = countdownText;
  }
  $('code-box').hidden = !view.pairingCode;
  if (view.pairingCode) {
    $('pairing-code').textContent = view.pairingCode;
    $('pairing-code').classList.toggle('stale', Boolean(view.countdown) && left <= 0);
    $('code-countdown').textContent = countdownText;
  }

  const canAskNumber = 'linkPhone' in view.actions;
  if (!canAskNumber) phoneFormOpen = false;
  $('phone-form').hidden = !phoneFormOpen;
  if (!view.canLogout) confirmingUnlink = false;
  $('confirm-unlink').hidden = !confirmingUnlink;

  for (const [action, id] of Object.entries(BUTTONS)) {
    const button = /** @type {HTMLButtonElement} */ ($(id));
    const label = view.actions[action];
    const shown = label !== undefined && !(action === 'linkPhone' && phoneFormOpen) && !(action === 'unlink' && confirmingUnlink);
    button.hidden = !shown;
    button.disabled = !shown || busy;
    if (label !== undefined) button.textContent = label;
    // With the number field open, its "Get code" is the one main button.
    const main = phoneFormOpen ? null : view.primary;
    button.classList.toggle('primary', action === main);
  }

  /** @type {HTMLElement} */ (document.querySelector('.actions')).hidden = Object.values(BUTTONS).every((id) => $(id).hidden);

  const changes = snapshot?.engine?.identityChanges ?? [];
  $('identity').hidden = changes.length === 0;
  $('identity-list').replaceChildren(...changes.map((c) => {
    const li = document.createElement('li');
    li.textContent = c.phone ? formatPhone(c.phone) : c.jid;
    return li;
  }));

  if (snapshot?.version) $('version').textContent = 'v' + snapshot.version;
  document.body.dataset.state = (hostState ?? 'unknown') + '/' + (snapshot?.engine?.state ?? 'unknown');
}

function showError(error) {
  $('error').hidden = !error;
  $('error').textContent = error ? error.message : '';
  $('error').dataset.code = error ? (error.hostName ?? error.code) : '';
}

/** Runs an action, shows its typed error in plain words, re-renders. */
async function act(type, payload) {
  busy = true;
  showError(null);
  render();
  try {
    await sendToBackground(type, payload);
  } catch (e) {
    showError(e.info ?? {code: 'unexpected', message: String(e.message ?? e)});
  } finally {
    busy = false;
    render();
  }
}

function openPhoneForm() {
  phoneFormOpen = true;
  $('phone-problem').hidden = true;
  const input = /** @type {HTMLInputElement} */ ($('phone-input'));
  if (input.value.trim() === '' || /^\+\d{0,3}\s*$/.test(input.value)) input.value = lastPhone ? formatPhone(lastPhone) : phonePrefill(countryCode);
  render();
  input.focus();
  input.setSelectionRange(input.value.length, input.value.length);
}

$('link-qr').addEventListener('click', () => {
  phoneFormOpen = false;
  act(RequestType.linkStart, {method: 'qr'});
});
$('link-phone').addEventListener('click', () => {
  // "Get a new code" once a code expired: same number again.
  if (latest?.engine?.state === 'linking' && latest?.engine?.method === 'phone' && lastPhone) {
    act(RequestType.linkStart, {method: 'phone', phone: '+' + lastPhone});
    return;
  }
  openPhoneForm();
});
$('phone-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const checked = checkLinkPhone(/** @type {HTMLInputElement} */ ($('phone-input')).value, countryCode);
  $('phone-problem').hidden = checked.ok;
  if (!checked.ok) {
    $('phone-problem').textContent = checked.problem;
    return;
  }
  lastPhone = checked.digits;
  phoneFormOpen = false;
  // With the "+", the background never adds the default country code a second time.
  act(RequestType.linkStart, {method: 'phone', phone: '+' + checked.digits});
});
$('cancel-link').addEventListener('click', () => act(RequestType.linkCancel));
$('reconnect-host').addEventListener('click', () => act('host.reconnect'));
$('logout').addEventListener('click', () => {
  confirmingUnlink = true;
  render();
  $('unlink-no').focus();
});
$('unlink-no').addEventListener('click', () => {
  confirmingUnlink = false;
  render();
});
$('unlink-yes').addEventListener('click', () => {
  confirmingUnlink = false;
  act(RequestType.engineLogout);
});
$('identity-ok').addEventListener('click', () => act('identity.dismiss'));
// Setup problems (configuration, data folder, helper app missing): straight to the diagnostics.
$('open-setup').addEventListener('click', async () => {
  try {
    await chrome.tabs.create({url: chrome.runtime.getURL('options/options.html#diagnostics')});
  } catch {
    chrome.runtime.openOptionsPage();
  }
});
$('open-options').addEventListener('click', (ev) => {
  ev.preventDefault();
  chrome.runtime.openOptionsPage();
});

render();
sendToBackground('settings.get').then((s) => { countryCode = s.defaultCountryCode; }, () => {});
subscribeStatus((snapshot) => {
  latest = snapshot;
  if (typeof snapshot?.linkPhone === 'string') lastPhone = snapshot.linkPhone;
  render();
  document.body.dataset.rendered = '1';
});
// Countdowns (QR and code expiry, next reconnect attempt) tick every second.
setInterval(render, 1000);
