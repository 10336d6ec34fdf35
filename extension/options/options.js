/** Options page "Setup and diagnostics": helper app status, CRM sites, diagnostics. UI only. */
import {PROTOCOL_VERSION, RequestType} from '../shared/protocol.js';
import {sendToBackground, subscribeStatus} from '../shared/messages.js';
import {describeStatus} from '../shared/status-text.js';
import {parseSite, siteProblemText} from '../shared/sites.js';

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

function renderStatus(snapshot) {
  const view = describeStatus(snapshot);
  const connection = snapshot?.connection;
  const hello = connection?.host;
  $('status').dataset.tone = view.tone;
  $('headline').textContent = view.headline;
  $('detail').textContent = view.detail;
  const notInstalled = connection?.state === 'disconnected' && connection?.lastError?.code === 'hostNotInstalled';
  $('installed').textContent = connection?.state === 'connected' ? 'Yes' : notInstalled ? 'No' : connection?.state === 'connecting' ? 'Checking…' : 'Installed, but not answering';
  $('host-version').textContent = hello?.hostVersion ?? '—';
  $('protocol').textContent = hello ? `${hello.protocolVersion} (extension speaks ${PROTOCOL_VERSION})` : '—';
  $('engine-line').textContent = view.engineLine;
  $('engine-details').textContent = engineDetails(snapshot?.engine);
  $('store-path').textContent = hello?.storePath ?? '—';
  $('install-help').hidden = !notInstalled;
  if (snapshot?.version) $('version').textContent = 'version ' + snapshot.version;
  document.body.dataset.state = connection?.state ?? 'unknown';
}

/** The engine's exact state for administrators: "stopped · banned · code 403 · until …" (no keys, no messages). */
function engineDetails(engine) {
  if (!engine || engine.state === 'unknown') return '—';
  const parts = [engine.state];
  if (engine.reason) parts.push(engine.reason);
  if (engine.method) parts.push('method ' + engine.method);
  if (Number.isSafeInteger(engine.code)) parts.push('code ' + engine.code);
  if (engine.retryAt) parts.push('next attempt ' + new Date(engine.retryAt).toLocaleTimeString());
  if (engine.until) parts.push('until ' + new Date(engine.until).toLocaleString());
  if (engine.message) parts.push(engine.message);
  return parts.join(' · ');
}

function renderSites(sites) {
  const list = $('sites');
  list.replaceChildren();
  for (const origin of sites) {
    const li = document.createElement('li');
    const code = document.createElement('code');
    code.textContent = origin;
    const remove = document.createElement('button');
    remove.className = 'quiet';
    remove.textContent = 'Remove';
    remove.addEventListener('click', async () => {
      try {
        const r = await sendToBackground('sites.remove', {origin});
        renderSites(r.sites);
      } catch (e) {
        siteError(e.info?.message ?? String(e));
      }
    });
    li.append(code, remove);
    list.append(li);
  }
  $('no-sites').hidden = sites.length > 0;
}

function siteError(text) {
  $('site-error').hidden = !text;
  $('site-error').textContent = text ?? '';
}

$('site-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  siteError(null);
  $('site-note').hidden = true;
  const parsed = parseSite(/** @type {HTMLInputElement} */ ($('site-input')).value);
  if (!parsed.ok) {
    siteError(siteProblemText(parsed.reason));
    return;
  }
  let granted = false;
  try {
    // Must run in the click's user gesture: no await before this call.
    granted = await chrome.permissions.request({origins: [parsed.pattern]});
  } catch (e) {
    siteError('The browser refused: ' + String(e?.message ?? e));
    return;
  }
  if (!granted) {
    siteError('The browser did not grant access to ' + parsed.origin + '. Press “Add CRM” again and choose Allow.');
    return;
  }
  try {
    const r = await sendToBackground('sites.add', {origin: parsed.origin});
    renderSites(r.sites);
    /** @type {HTMLInputElement} */ ($('site-input')).value = '';
    $('site-note').hidden = false;
    $('site-note').textContent = `Added ${r.added}. CRM tabs that are already open work now; new ones will too.`;
  } catch (e) {
    siteError(e.info?.message ?? String(e));
  }
});

$('country-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  try {
    const saved = await sendToBackground('settings.set', {defaultCountryCode: /** @type {HTMLInputElement} */ ($('country-input')).value});
    /** @type {HTMLInputElement} */ ($('country-input')).value = '+' + saved.defaultCountryCode;
    $('country-note').textContent = 'Saved.';
  } catch (e) {
    $('country-note').textContent = e.info?.message ?? String(e);
  }
});

$('recheck').addEventListener('click', () => {
  sendToBackground('host.reconnect').catch(() => {});
});

$('run-diagnostics').addEventListener('click', async () => {
  const out = $('diagnostics');
  out.hidden = false;
  out.textContent = 'Running…';
  try {
    const report = await sendToBackground(RequestType.hostDiagnostics);
    out.textContent = JSON.stringify({extensionVersion: chrome.runtime.getManifest().version, ...report}, null, 2);
    /** @type {HTMLButtonElement} */ ($('copy-diagnostics')).disabled = false;
  } catch (e) {
    out.textContent = e.info?.message ?? String(e);
  }
  document.body.dataset.diagnostics = 'done';
});

$('copy-diagnostics').addEventListener('click', () => {
  navigator.clipboard.writeText($('diagnostics').textContent ?? '').catch(() => {});
});

subscribeStatus((snapshot) => {
  renderStatus(snapshot);
  document.body.dataset.rendered = '1';
});
sendToBackground('sites.list').then((r) => renderSites(r.sites), () => renderSites([]));
sendToBackground('settings.get').then((s) => {
  /** @type {HTMLInputElement} */ ($('country-input')).value = '+' + s.defaultCountryCode;
}, () => {});

// The popup's "Open setup and diagnostics" lands here with #diagnostics: show the report at once.
if (location.hash === '#diagnostics') {
  $('diag-panel').scrollIntoView({block: 'start'});
  $('run-diagnostics').click();
}
