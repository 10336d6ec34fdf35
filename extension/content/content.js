/**
 * Content script on the CRM sites the user added: answers the page contract
 * (content/page-contract.js) through the background, and shows a small "Link WhatsApp" dialog
 * inside a closed shadow root (no CSS leaks either way). Classic script; loaded after page-contract.js.
 */
(() => {
  if (globalThis.crmWhatsAppBridgeLoaded) return; // injected twice (registration + open-tab injection)
  globalThis.crmWhatsAppBridgeLoaded = true;

  const {PageEvent, correlationId, readSendDirect, statusDetail, sendResultDetail, sendFailureDetail, messageStatusDetail} =
    globalThis.crmWhatsAppPageContract;
  const SEND_TIMEOUT_MS = 45_000;
  const STATUS_PORT = 'crm-whatsapp.status';

  /** Latest background snapshot for this page: {page, qr, pairingCode}. */
  let latest = null;
  let lastPushed = '';
  const makeId = () => 'crmwa-' + crypto.randomUUID();

  /** Dispatches an event to the page (Firefox needs the detail cloned into the page's compartment). */
  function emit(type, detail) {
    const d = typeof cloneInto === 'function' ? cloneInto(detail, document.defaultView) : detail;
    document.dispatchEvent(new CustomEvent(type, {detail: d}));
  }

  async function ask(type, payload) {
    try {
      const answer = await chrome.runtime.sendMessage({type, payload});
      return answer && typeof answer === 'object' ? answer : {ok: false, error: {code: 'unexpected', message: 'The extension did not answer.'}};
    } catch (e) {
      return {ok: false, error: {code: 'unexpected', message: 'The CRM WhatsApp extension was updated or reloaded: reload this page.', detail: String(e && e.message)}};
    }
  }

  function pushStatus(requestId) {
    const detail = statusDetail(latest && latest.page, requestId);
    if (requestId === undefined) {
      const key = JSON.stringify(detail);
      if (key === lastPushed) return;
      lastPushed = key;
    }
    emit(PageEvent.status, detail);
  }

  // ---- page → extension ------------------------------------------------------------------------

  document.addEventListener(PageEvent.requestStatus, async (ev) => {
    const requestId = correlationId(ev.detail, () => undefined);
    if (!latest) {
      const answer = await ask('status.get');
      if (answer.ok) latest = answer.result;
    }
    emit(PageEvent.status, statusDetail(latest && latest.page, requestId));
  });

  document.addEventListener(PageEvent.sendDirect, async (ev) => {
    const requestId = correlationId(ev.detail, makeId);
    const read = readSendDirect(ev.detail);
    if (!read.ok) {
      emit(PageEvent.send, sendFailureDetail(read.error, 'invalidPayload', requestId));
      return;
    }
    if (!latest) {
      const answer = await ask('status.get');
      if (answer.ok) latest = answer.result;
    }
    if (!latest || latest.page.status !== 'connected') {
      const problem = latest && latest.page.problem;
      emit(PageEvent.send, sendFailureDetail(problem || 'WhatsApp not connected', 'notLinked', requestId));
      dialog.open();
      return;
    }
    let timer;
    const timeout = new Promise((resolve) => {
      timer = setTimeout(() => resolve({ok: false, error: {code: 'timeout', message: 'WhatsApp did not confirm the message in time.'}}), SEND_TIMEOUT_MS);
    });
    const answer = await Promise.race([
      ask('message.send', {phone: read.phone, message: read.message, clientMessageId: requestId}),
      timeout,
    ]);
    clearTimeout(timer);
    emit(PageEvent.send, sendResultDetail(answer, requestId));
  });

  document.addEventListener(PageEvent.openQr, () => dialog.open());

  // ---- extension → page ------------------------------------------------------------------------

  function subscribe() {
    const port = chrome.runtime.connect({name: STATUS_PORT});
    port.onMessage.addListener((m) => {
      if (m && m.type === 'messageStatus') {
        const detail = messageStatusDetail(m.payload);
        if (detail) emit(PageEvent.messageStatus, detail);
        return;
      }
      if (!m || m.type !== 'status') return;
      latest = m.payload;
      pushStatus();
      dialog.update();
    });
    port.onDisconnect.addListener(() => {
      void chrome.runtime.lastError;
      // The worker restarted or the extension was reloaded; try again while the page lives.
      setTimeout(() => { try { subscribe(); } catch { /* extension gone */ } }, 1000);
    });
  }

  // ---- the "Link WhatsApp" dialog ----------------------------------------------------------------

  const dialog = (() => {
    let host = null;
    let root = null;
    const css = `
      :host { all: initial; }
      .backdrop { position: fixed; inset: 0; background: rgba(20, 30, 38, .45); z-index: 2147483646;
        display: flex; align-items: center; justify-content: center; font: 14px/1.45 system-ui, sans-serif; color: #1d2a33; }
      .box { background: #fff; border-radius: 14px; width: 340px; padding: 20px 22px; box-shadow: 0 12px 40px rgba(0,0,0,.25);
        display: flex; flex-direction: column; gap: 12px; }
      header { display: flex; justify-content: space-between; align-items: center; }
      h2 { margin: 0; font-size: 16px; }
      .close { border: none; background: none; font-size: 20px; cursor: pointer; color: #5b6b76; }
      p { margin: 0; }
      .muted { color: #5b6b76; font-size: 13px; }
      img { width: 240px; height: 240px; align-self: center; image-rendering: pixelated; }
      .code { font: 600 24px ui-monospace, Menlo, monospace; letter-spacing: 4px; text-align: center; }
      button.primary { font: inherit; border: none; border-radius: 8px; padding: 9px 14px; background: #128c5e; color: #fff; cursor: pointer; }
      button.primary:disabled { opacity: .5; cursor: default; }
      .error { color: #b4462f; font-size: 13px; }`;

    function build() {
      host = document.createElement('div');
      host.setAttribute('data-crm-whatsapp-dialog', '');
      root = host.attachShadow({mode: 'closed'});
      root.innerHTML = `<style>${css}</style>
        <div class="backdrop"><div class="box" role="dialog" aria-modal="true" aria-labelledby="t">
          <header><h2 id="t">Link WhatsApp</h2><button class="close" aria-label="Close">×</button></header>
          <p class="status"></p>
          <img class="qr" alt="QR code to scan with WhatsApp" hidden>
          <div class="code" hidden></div>
          <p class="muted how"></p>
          <button class="primary link">Link with QR code</button>
          <p class="error" hidden></p>
        </div></div>`;
      root.querySelector('.close').addEventListener('click', close);
      root.querySelector('.backdrop').addEventListener('click', (e) => { if (e.target === e.currentTarget) close(); });
      root.querySelector('.link').addEventListener('click', async () => {
        const button = root.querySelector('.link');
        button.disabled = true;
        const answer = await ask('link.start', {method: 'qr'});
        button.disabled = false;
        const error = root.querySelector('.error');
        error.hidden = answer.ok;
        error.textContent = answer.ok ? '' : answer.error.message;
      });
    }

    function open() {
      if (!host) build();
      if (!host.isConnected) document.documentElement.append(host);
      update();
    }

    function close() {
      if (host) host.remove();
    }

    function update() {
      if (!host || !host.isConnected) return;
      const page = latest && latest.page;
      if (page && page.status === 'connected') {
        close();
        return;
      }
      const qr = latest && latest.qr;
      const code = latest && latest.pairingCode;
      const notServed = page && page.hostState === 'connected' && page.engineState === 'unavailable';
      root.querySelector('.status').textContent = page && page.problem
        ? page.problem
        : notServed ? 'WhatsApp is not linked to the CRM yet. Linking arrives with a later version of the helper app.'
          : page && page.status === 'connecting' ? 'Waiting for your phone…' : 'WhatsApp is not linked to the CRM yet.';
      const img = root.querySelector('.qr');
      img.hidden = !(qr && qr.pngBase64);
      if (qr && qr.pngBase64) img.src = 'data:image/png;base64,' + qr.pngBase64;
      const codeBox = root.querySelector('.code');
      codeBox.hidden = !code;
      codeBox.textContent = code || '';
      root.querySelector('.how').textContent = qr || code
        ? 'On your phone: WhatsApp → Settings → Linked devices → Link a device.'
        : 'The CRM WhatsApp button in the browser toolbar shows the details.';
      root.querySelector('.link').hidden = Boolean(qr || code) || !page || page.hostState !== 'connected' || notServed;
    }

    return {open, close, update};
  })();

  // ---- start -------------------------------------------------------------------------------------

  subscribe();
  document.documentElement.dataset.crmWhatsapp = 'ready';
  emit(PageEvent.ready, {version: chrome.runtime.getManifest().version});
})();
