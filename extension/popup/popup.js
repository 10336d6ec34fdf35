/** Popup: host and WhatsApp status, and the linking actions the engine serves. UI only. */
import {RequestType} from '../shared/protocol.js';
import {sendToBackground, subscribeStatus} from '../shared/messages.js';
import {describeStatus} from '../shared/status-text.js';

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
let latest = null;
let busy = false;
/** Logging out wipes the link: the first click asks, the second (within 5 s) does it. */
let logoutArmedUntil = 0;

function render(snapshot) {
  latest = snapshot;
  const view = describeStatus(snapshot);
  $('status').dataset.tone = view.tone;
  $('headline').textContent = view.headline;
  $('detail').textContent = view.detail;
  $('host-line').textContent = view.hostLine;
  $('engine-line').textContent = view.engineLine;
  const hostTone = snapshot?.connection?.state === 'connected' ? 'ok'
    : snapshot?.connection?.state === 'connecting' ? 'wait' : 'problem';
  $('host-dot').dataset.tone = hostTone;
  $('engine-dot').dataset.tone = view.linked ? 'ok' : view.tone === 'wait' && hostTone === 'ok' ? 'wait' : 'idle';
  /** @type {HTMLButtonElement} */ ($('link-qr')).disabled = busy || !view.canLink;
  /** @type {HTMLButtonElement} */ ($('link-phone')).disabled = busy || !view.canLink;
  const hostDown = snapshot?.connection?.state === 'disconnected';
  $('link-qr').hidden = view.linked || hostDown;
  $('link-phone').hidden = view.linked || hostDown;
  $('open-setup').hidden = !hostDown;
  if (view.linked || !view.canLink) $('phone-form').hidden = true;
  $('logout').hidden = !view.canLogout;
  $('logout').textContent = Date.now() < logoutArmedUntil
    ? 'Click again to log out (you will need to link again)'
    : 'Log out of WhatsApp on this computer';
  const linking = !view.linked && (snapshot?.engine?.state === 'linking' || Boolean(snapshot?.engine?.qr) || Boolean(snapshot?.engine?.pairingCode));
  $('cancel-link').hidden = !linking;

  const qr = snapshot?.engine?.qr;
  $('qr-box').hidden = !(qr && qr.pngBase64) || view.linked;
  if (qr && qr.pngBase64) /** @type {HTMLImageElement} */ ($('qr-image')).src = 'data:image/png;base64,' + qr.pngBase64;
  const code = snapshot?.engine?.pairingCode;
  $('code-box').hidden = !code || view.linked;
  $('pairing-code').textContent = code ?? '';
  if (snapshot?.version) $('version').textContent = 'v' + snapshot.version;
  document.body.dataset.state = (snapshot?.connection?.state ?? 'unknown') + '/' + (snapshot?.engine?.state ?? 'unknown');
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
  render(latest);
  try {
    await sendToBackground(type, payload);
  } catch (e) {
    showError(e.info ?? {code: 'unexpected', message: String(e.message ?? e)});
  } finally {
    busy = false;
    render(latest);
  }
}

$('link-qr').addEventListener('click', () => act(RequestType.linkStart, {method: 'qr'}));
$('link-phone').addEventListener('click', () => {
  $('phone-form').hidden = !$('phone-form').hidden;
  if (!$('phone-form').hidden) $('phone-input').focus();
});
$('phone-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  act(RequestType.linkStart, {method: 'phone', phone: /** @type {HTMLInputElement} */ ($('phone-input')).value});
});
$('cancel-link').addEventListener('click', () => act(RequestType.linkCancel));
$('logout').addEventListener('click', () => {
  if (Date.now() < logoutArmedUntil) {
    logoutArmedUntil = 0;
    act(RequestType.engineLogout);
    return;
  }
  logoutArmedUntil = Date.now() + 5000;
  render(latest);
  setTimeout(() => render(latest), 5100);
});
$('open-setup').addEventListener('click', () => chrome.runtime.openOptionsPage());
$('open-options').addEventListener('click', (ev) => {
  ev.preventDefault();
  chrome.runtime.openOptionsPage();
});

render(null);
subscribeStatus((snapshot) => {
  render(snapshot);
  document.body.dataset.rendered = '1';
});
