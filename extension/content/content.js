/**
 * Content script on the CRM sites the user added: answers the page contract
 * (content/page-contract.js) through the background, and shows a small "Link WhatsApp" dialog
 * inside a closed shadow root (no CSS leaks either way). Classic script; loaded after page-contract.js.
 */
(() => {
  if (globalThis.crmWhatsAppBridgeLoaded) return; // injected twice (registration + open-tab injection)
  globalThis.crmWhatsAppBridgeLoaded = true;

  const {
    PageEvent, correlationId, readSendDirect, statusDetail, sendResultDetail, sendFailureDetail, messageStatusDetail,
    dialogView, blockedSend,
  } = globalThis.crmWhatsAppPageContract;
  const SEND_TIMEOUT_MS = 45_000;
  const STATUS_PORT = 'crm-whatsapp.status';

  /** Latest background snapshot for this page: {page, view, qr, pairingCode, phonePrefill}. */
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
      const blocked = blockedSend(latest);
      emit(PageEvent.send, sendFailureDetail(blocked.message, 'notLinked', requestId));
      if (blocked.openDialog) dialog.open();
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
  // Closed shadow root: the CRM's CSS cannot reach in and ours cannot leak out. What to show comes from
  // page-contract.js `dialogView`; this part only draws it and sends the requests.

  const dialog = (() => {
    let host = null;
    let root = null;
    let ticker = null;
    let phoneFormOpen = false;
    let busy = false;
    const css = `
      :host { all: initial; }
      * { box-sizing: border-box; }
      .backdrop { position: fixed; inset: 0; background: rgba(20, 30, 38, .45); z-index: 2147483646;
        display: flex; align-items: center; justify-content: center; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2a33; }
      .box { background: #fff; border-radius: 14px; width: 360px; max-height: 96vh; overflow: auto; padding: 18px 20px 16px;
        box-shadow: 0 12px 40px rgba(0,0,0,.25); display: flex; flex-direction: column; gap: 12px; }
      header { display: flex; justify-content: space-between; align-items: center; }
      h2 { margin: 0; font-size: 16px; font-weight: 600; }
      p { margin: 0; }
      [hidden] { display: none !important; }
      .close { border: none; background: none; font-size: 22px; line-height: 1; cursor: pointer; color: #5b6b76; padding: 2px 6px; border-radius: 6px; }
      .close:hover { background: #f6f8f9; color: #1d2a33; }
      .card { border-radius: 10px; padding: 12px 14px; background: #eef2f4; border-left: 4px solid #6b7a86; }
      .card[data-tone="ok"] { background: #e5f4ed; border-left-color: #128c5e; }
      .card[data-tone="wait"] { background: #fdf5e6; border-left-color: #b7791f; }
      .card[data-tone="problem"] { background: #fcefeb; border-left-color: #b4462f; }
      .headline { font-weight: 600; font-size: 15px; }
      .detail { margin-top: 4px; opacity: .85; }
      .countdown { font-size: 13px; color: #5b6b76; font-variant-numeric: tabular-nums; text-align: center; }
      .card .countdown { text-align: left; margin-top: 6px; color: #1d2a33; opacity: .85; }
      .qr { width: 232px; height: 232px; align-self: center; image-rendering: pixelated; transition: opacity .2s; }
      .code { font: 600 30px/1.2 ui-monospace, Menlo, Consolas, monospace; letter-spacing: 3px; text-align: center; user-select: all; }
      .stale { opacity: .3; }
      .steps { margin: 0; padding-left: 20px; font-size: 12.5px; color: #5b6b76; }
      .steps b { color: #1d2a33; font-weight: 600; }
      form { display: flex; flex-direction: column; gap: 6px; }
      label { font-size: 13px; color: #5b6b76; }
      .row { display: flex; gap: 8px; }
      input { font: inherit; flex: 1; min-width: 0; padding: 8px 10px; border: 1px solid #e3e8ec; border-radius: 8px; color: #1d2a33; }
      input:focus, button:focus-visible { outline: 2px solid #9fd7c0; outline-offset: 1px; }
      .buttons { display: flex; flex-direction: column; gap: 8px; }
      button.action, form button { font: inherit; border: 1px solid #e3e8ec; border-radius: 8px; padding: 8px 14px; background: #fff; color: #1d2a33; cursor: pointer; }
      button.action:hover:not(:disabled) { background: #f6f8f9; }
      button.primary { background: #128c5e; border-color: #128c5e; color: #fff; }
      button.primary:hover:not(:disabled) { background: #0f7a52; }
      button.quiet { border: none; background: none; color: #5b6b76; align-self: center; padding: 4px; }
      button:disabled { opacity: .5; cursor: default; }
      .hint { font-size: 12px; color: #5b6b76; }
      .error { border-radius: 8px; padding: 8px 10px; background: #fcefeb; color: #b4462f; font-size: 13px; }`;

    const STEPS = {
      qr: ['Open <b>WhatsApp</b> on your phone', 'Tap <b>Settings</b> → <b>Linked devices</b> → <b>Link a device</b>', 'Point the camera at this code'],
      phone: ['Open <b>WhatsApp</b> on your phone', 'Tap <b>Settings</b> → <b>Linked devices</b> → <b>Link a device</b>',
        'Tap <b>Link with phone number instead</b>', 'Type the code above'],
    };

    const $ = (selector) => root.querySelector(selector);

    function build() {
      host = document.createElement('div');
      host.setAttribute('data-crm-whatsapp-dialog', '');
      root = host.attachShadow({mode: 'closed'});
      root.innerHTML = `<style>${css}</style>
        <div class="backdrop"><div class="box" role="dialog" aria-modal="true" aria-labelledby="t">
          <header><h2 id="t">Link WhatsApp to the CRM</h2><button class="close" aria-label="Close">×</button></header>
          <div class="card" aria-live="polite"><p class="headline"></p><p class="detail"></p><p class="countdown status-countdown"></p></div>
          <img class="qr" alt="QR code to scan with WhatsApp on your phone" hidden>
          <div class="code" hidden></div>
          <p class="countdown box-countdown" hidden></p>
          <ol class="steps" hidden></ol>
          <form class="phone" novalidate hidden>
            <label for="crmwa-phone">Your WhatsApp number, with country code</label>
            <div class="row"><input id="crmwa-phone" type="tel" autocomplete="tel" spellcheck="false"><button class="primary" type="submit">Get code</button></div>
          </form>
          <div class="buttons">
            <button class="action" data-action="linkQr"></button>
            <button class="action" data-action="linkPhone"></button>
            <button class="action" data-action="reconnectHost"></button>
            <button class="action quiet" data-action="cancelLink"></button>
          </div>
          <p class="hint toolbar" hidden>More options are in the CRM WhatsApp button of the browser toolbar.</p>
          <p class="error" role="alert" hidden></p>
        </div></div>`;
      $('.close').addEventListener('click', close);
      $('.backdrop').addEventListener('click', (e) => { if (e.target === e.currentTarget) close(); });
      root.addEventListener('keydown', (e) => { if (e.key === 'Escape') close(); });
      $('[data-action="linkQr"]').addEventListener('click', () => { phoneFormOpen = false; run('link.start', {method: 'qr'}); });
      $('[data-action="linkPhone"]').addEventListener('click', () => {
        phoneFormOpen = true;
        const input = $('input');
        // Prefilled with the number used last ("Get a new code") or the calling code of the country setting.
        if (input.value.trim() === '' || /^\+\d{0,3}\s*$/.test(input.value)) input.value = (latest && latest.phonePrefill) || '+';
        update();
        input.focus();
      });
      $('[data-action="cancelLink"]').addEventListener('click', () => { phoneFormOpen = false; run('link.cancel'); });
      $('[data-action="reconnectHost"]').addEventListener('click', () => run('host.reconnect'));
      $('form').addEventListener('submit', (e) => {
        e.preventDefault();
        phoneFormOpen = false;
        run('link.start', {method: 'phone', phone: $('input').value});
      });
    }

    async function run(type, payload) {
      busy = true;
      showError(null);
      update();
      const answer = await ask(type, payload);
      busy = false;
      showError(answer.ok ? null : answer.error.message);
      update();
    }

    function showError(text) {
      $('.error').hidden = !text;
      $('.error').textContent = text || '';
    }

    function open() {
      if (!host) build();
      if (!host.isConnected) document.documentElement.append(host);
      if (ticker === null) ticker = setInterval(update, 1000);
      update();
      const first = root.querySelector('button.primary:not([hidden])') || $('.close');
      first.focus();
    }

    function close() {
      if (ticker !== null) clearInterval(ticker);
      ticker = null;
      phoneFormOpen = false;
      if (host) host.remove();
    }

    function update() {
      if (!host || !host.isConnected) return;
      const v = dialogView(latest, Date.now(), {phoneFormOpen});
      if (v.close) {
        close();
        return;
      }
      $('.card').dataset.tone = v.tone;
      $('.headline').textContent = v.headline;
      $('.detail').textContent = v.detail;
      $('.detail').hidden = v.detail === '';
      const inBox = v.steps !== null;
      $('.status-countdown').hidden = inBox || v.countdown === '';
      $('.status-countdown').textContent = inBox ? '' : v.countdown;
      $('.box-countdown').hidden = !inBox || v.countdown === '';
      $('.box-countdown').textContent = inBox ? v.countdown : '';
      const img = $('.qr');
      img.hidden = !v.qrSrc;
      if (v.qrSrc && img.getAttribute('src') !== v.qrSrc) img.src = v.qrSrc;
      img.classList.toggle('stale', v.stale);
      const code = $('.code');
      code.hidden = !v.pairingCode;
      code.textContent = v.pairingCode || '';
      code.classList.toggle('stale', v.stale);
      const steps = $('.steps');
      steps.hidden = !v.steps;
      if (v.steps && steps.dataset.kind !== v.steps) {
        steps.dataset.kind = v.steps;
        steps.innerHTML = STEPS[v.steps].map((s) => `<li>${s}</li>`).join('');
      }
      $('form').hidden = !v.phoneForm;
      $('form button').disabled = busy;
      for (const button of root.querySelectorAll('button.action')) {
        const label = v.buttons[button.dataset.action];
        button.hidden = label === undefined;
        button.disabled = busy;
        button.textContent = label || '';
        button.classList.toggle('primary', button.dataset.action === v.primary);
      }
      $('.toolbar').hidden = !v.toolbarHint;
    }

    return {open, close, update};
  })();

  // ---- start -------------------------------------------------------------------------------------

  subscribe();
  document.documentElement.dataset.crmWhatsapp = 'ready';
  emit(PageEvent.ready, {version: chrome.runtime.getManifest().version});
})();
