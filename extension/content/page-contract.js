/**
 * The CRM page contract (docs/original-contract.md §3.4 and §6), kept exactly, plus a correlation id:
 *   page → extension: `crm-whatsapp-request-status` (plain Event or CustomEvent {requestId?}),
 *                     `crm-whatsapp-send-direct` {phone, message, requestId?}, `crm-whatsapp-open-qr`
 *   extension → page: `crm-whatsapp-status` {status, phoneNumber, qrCodeAvailable, requestId?, hostState, engineState,
 *                     engineReason, retryAt, problem} (status from the engine state: background/engine-view.js `pageStatus`),
 *                     `crm-whatsapp-send` {success, error?, debugId, requestId}, `crm-whatsapp-ready`,
 *                     `crm-whatsapp-message-status` {requestId, messageId, status, errorCode?, timestamp?}
 * All events are dispatched on `document`. Every request gets exactly one reply.
 *
 * Classic script (content scripts cannot be ES modules): pure helpers on one namespace object of the
 * content script's isolated world; `tests/extension/page-contract.test.js` loads it with node:vm.
 */
(() => {
  const PageEvent = Object.freeze({
    requestStatus: 'crm-whatsapp-request-status',
    status: 'crm-whatsapp-status',
    sendDirect: 'crm-whatsapp-send-direct',
    send: 'crm-whatsapp-send',
    openQr: 'crm-whatsapp-open-qr',
    ready: 'crm-whatsapp-ready',
    messageStatus: 'crm-whatsapp-message-status',
  });

  /** Delivery states of PROTOCOL.md `message.status`. */
  const MESSAGE_STATES = ['queued', 'sent', 'delivered', 'read', 'failed'];

  const MAX_ID_LENGTH = 128;
  const MAX_PHONE_LENGTH = 64;
  const MAX_MESSAGE_LENGTH = 65536;

  /**
   * The page's correlation id, or a fresh one: `requestId` (or `debugId`) when it is a short string.
   * @param {unknown} detail @param {() => string} makeId
   */
  function correlationId(detail, makeId) {
    if (detail && typeof detail === 'object') {
      for (const key of ['requestId', 'debugId']) {
        const v = detail[key];
        if (typeof v === 'string' && v !== '' && v.length <= MAX_ID_LENGTH) return v;
        if (typeof v === 'number' && Number.isFinite(v)) return String(v);
      }
    }
    return makeId();
  }

  /**
   * Reads a `crm-whatsapp-send-direct` detail (a value from the page: anything may be in it).
   * @param {unknown} detail
   * @returns {{ok: true, phone: string, message: string} | {ok: false, error: string}}
   */
  function readSendDirect(detail) {
    if (!detail || typeof detail !== 'object') return {ok: false, error: 'Phone and message are required'};
    let phone = detail.phone;
    const message = detail.message;
    if (typeof phone === 'number' && Number.isFinite(phone)) phone = String(phone);
    if (typeof phone !== 'string' || phone.trim() === '' || typeof message !== 'string' || message.trim() === '') {
      return {ok: false, error: 'Phone and message are required'};
    }
    if (phone.length > MAX_PHONE_LENGTH) return {ok: false, error: 'That phone number does not look right'};
    if (message.length > MAX_MESSAGE_LENGTH) return {ok: false, error: 'The message is too long for WhatsApp'};
    return {ok: true, phone, message};
  }

  /**
   * `crm-whatsapp-status` detail from the background's page status.
   * @param {{status?: string, phoneNumber?: string | null, qrCodeAvailable?: boolean, hostState?: string, engineState?: string, problem?: string | null} | null | undefined} page
   * @param {string} [requestId]
   */
  function statusDetail(page, requestId) {
    const status = page && ['connected', 'connecting', 'disconnected'].includes(page.status) ? page.status : 'disconnected';
    const detail = {
      status,
      phoneNumber: status === 'connected' && typeof page.phoneNumber === 'string' ? page.phoneNumber : null,
      qrCodeAvailable: Boolean(page && page.qrCodeAvailable) && status !== 'connected',
      hostState: page && typeof page.hostState === 'string' ? page.hostState : 'unknown',
      engineState: page && typeof page.engineState === 'string' ? page.engineState : 'unknown',
      engineReason: page && typeof page.engineReason === 'string' ? page.engineReason : null,
      retryAt: page && Number.isSafeInteger(page.retryAt) ? page.retryAt : null,
      problem: page && typeof page.problem === 'string' ? page.problem : null,
    };
    if (requestId !== undefined) detail.requestId = requestId;
    return detail;
  }

  /**
   * `crm-whatsapp-send` detail from the background's answer to `message.send`.
   * @param {{ok: boolean, result?: any, error?: {code: string, message: string, hostName?: string}} | null | undefined} answer
   * @param {string} requestId
   */
  function sendResultDetail(answer, requestId) {
    if (answer && answer.ok) {
      const detail = {success: true, debugId: requestId, requestId};
      const messageId = answer.result && typeof answer.result.messageId === 'string' ? answer.result.messageId : undefined;
      if (messageId !== undefined) detail.messageId = messageId;
      return detail;
    }
    const error = answer && answer.error && typeof answer.error.message === 'string'
      ? answer.error
      : {code: 'unexpected', message: 'The extension did not answer.'};
    return {success: false, error: error.message, errorCode: error.hostName || error.code, debugId: requestId, requestId};
  }

  /** A failure reply made in the content script itself (bad detail, not linked, timeout). */
  function sendFailureDetail(message, code, requestId) {
    return {success: false, error: message, errorCode: code, debugId: requestId, requestId};
  }

  /**
   * `crm-whatsapp-message-status` detail from a host `message.status` event, or `null` when the event
   * is malformed. The page's `requestId` of the send is the host's `clientMessageId`.
   * @param {any} payload
   */
  function messageStatusDetail(payload) {
    if (!payload || typeof payload !== 'object') return null;
    const {clientMessageId, messageId, status} = payload;
    if (typeof clientMessageId !== 'string' || clientMessageId === '' || clientMessageId.length > MAX_ID_LENGTH) return null;
    if (!MESSAGE_STATES.includes(status)) return null;
    const detail = {requestId: clientMessageId, status};
    if (typeof messageId === 'string' && messageId.length <= MAX_ID_LENGTH) detail.messageId = messageId;
    if (Number.isSafeInteger(payload.errorCode)) detail.errorCode = payload.errorCode;
    if (Number.isSafeInteger(payload.timestamp)) detail.timestamp = payload.timestamp;
    return detail;
  }

  // ---- the in-page "Link WhatsApp" dialog ---------------------------------------------------------
  // The background words every state (shared/status-text.js `describeStatus`) and sends the result as
  // `view` in the content script's snapshot `{page, view, qr, pairingCode, phonePrefill}`; what is left
  // here is the live part (countdowns) and which of the dialog's parts to show.

  /** Same as shared/status-text.js `formatCountdown` (a test keeps the two equal). */
  function formatCountdown(ms) {
    if (!Number.isFinite(ms) || ms <= 0) return '0:00';
    const total = Math.ceil(ms / 1000);
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = String(total % 60).padStart(2, '0');
    return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
  }

  /** Actions the dialog can perform itself; the others (setup page, unlink) live in the toolbar popup. */
  const DIALOG_ACTIONS = ['linkQr', 'linkPhone', 'reconnectHost', 'cancelLink'];

  /**
   * What the dialog shows for the latest content snapshot at time `now`.
   * @param {any} latest  `{page, view, qr, pairingCode, phonePrefill}` from the background, or null
   * @param {number} now
   * @param {{phoneFormOpen?: boolean}} [ui]
   */
  function dialogView(latest, now, ui = {}) {
    const page = latest && latest.page;
    const view = latest && latest.view;
    if (page && page.status === 'connected') return {close: true};
    if (!view || typeof view.headline !== 'string') {
      return {
        close: false, tone: 'wait', headline: 'Checking WhatsApp…', detail: 'The CRM WhatsApp extension is starting.',
        countdown: '', qrSrc: null, stale: false, pairingCode: null, steps: null, buttons: {}, phoneForm: false, primary: null,
        toolbarHint: false,
      };
    }
    const actions = view.actions || {};
    const countdown = view.countdown && Number.isFinite(view.countdown.at)
      ? (view.countdown.at > now ? `${view.countdown.label} ${formatCountdown(view.countdown.at - now)}` : view.countdown.done)
      : '';
    const stale = Boolean(view.countdown) && view.countdown.at <= now;
    const phoneForm = Boolean(ui.phoneFormOpen) && 'linkPhone' in actions;
    const buttons = {};
    for (const action of DIALOG_ACTIONS) {
      if (action in actions && !(action === 'linkPhone' && phoneForm)) buttons[action] = actions[action];
    }
    // With the number field open, its "Get code" is the one main button.
    const primary = !phoneForm && typeof view.primary === 'string' && view.primary in buttons ? view.primary : null;
    const qrSrc = view.qr && typeof view.qr.src === 'string' && view.qr.src.startsWith('data:image/png;base64,') ? view.qr.src : null;
    return {
      close: false,
      tone: view.tone,
      headline: view.headline,
      // The numbered steps beside a QR or code say what the detail would.
      detail: qrSrc || view.pairingCode ? '' : view.detail,
      countdown,
      qrSrc,
      stale,
      pairingCode: typeof view.pairingCode === 'string' ? view.pairingCode : null,
      steps: qrSrc ? 'qr' : view.pairingCode ? 'phone' : null,
      buttons,
      primary,
      phoneForm,
      // The setup page and unlinking are in the toolbar popup.
      toolbarHint: Object.keys(actions).some((a) => !DIALOG_ACTIONS.includes(a)),
    };
  }

  /**
   * A send refused because WhatsApp is not connected: the plain reason, and whether to open the dialog.
   * The dialog opens when the user can do something about it in the page (link, or read what is wrong);
   * while WhatsApp reconnects by itself the send just fails with that reason.
   * @param {any} latest
   * @returns {{message: string, openDialog: boolean}}
   */
  function blockedSend(latest) {
    const page = latest && latest.page;
    const view = latest && latest.view;
    const message = (page && page.problem) || (view && typeof view.sendProblem === 'string' && view.sendProblem) || 'WhatsApp not connected';
    const transient = page && page.status === 'connecting' && page.engineState !== 'linking';
    return {message, openDialog: !transient};
  }

  globalThis.crmWhatsAppPageContract = Object.freeze({
    PageEvent, correlationId, readSendDirect, statusDetail, sendResultDetail, sendFailureDetail, messageStatusDetail,
    formatCountdown, dialogView, blockedSend,
  });
})();
