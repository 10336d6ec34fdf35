/**
 * Status snapshots for the popup and in-page dialog harness (tests/e2e/popup_harness.py): one per
 * engine state and reason of the linking contract, as the background worker would send them.
 * Classic script: defines `globalThis.crmWhatsAppFixtures(name, now, qrPng)`.
 */
(() => {
  const hello = {hostVersion: '0.1.0', protocolVersion: 1, storePath: '/home/asha/.local/share/crm-whatsapp'};
  const account = {phoneNumber: '919876543210', pushName: 'Asha Rao', jid: '919876543210:3@s.whatsapp.net'};
  const blank = {
    state: 'unknown', reason: null, method: null, retryAt: null, until: null, code: null, message: null,
    phoneNumber: null, pushName: null, jid: null, qr: null, pairingCode: null, identityChanges: [], unavailable: false,
  };

  /** name → [connection, engine fields, clicks after load] */
  function table(now, qrPng) {
    const qr = (left, index) => ({code: 'https://wa.me/settings/linked_devices#ref,noise,identity,adv,1', pngBase64: qrPng, expiresAt: now + left, index});
    const up = {state: 'connected', host: hello, lastError: null, attempt: 0};
    return {
      'host-connecting': [{state: 'connecting', host: null, lastError: null, attempt: 0}, {}],
      'host-not-installed': [{state: 'disconnected', host: null, attempt: 3, lastError: {code: 'hostNotInstalled',
        message: 'The CRM WhatsApp helper app is not installed for this browser yet. To install it, run ./install-host.sh install in the crm-whatsapp folder. The extension finds it by itself within half a minute.'}}, {}],
      'checking': [up, {}],
      'unavailable-shell': [up, {state: 'unavailable', unavailable: true}],
      'unavailable-configuration': [up, {state: 'unavailable', unavailable: true, reason: 'configuration', message: 'The server address in settings.json is not a wss:// address'}],
      'unavailable-store': [up, {state: 'unavailable', unavailable: true, reason: 'storeUnavailable'}],
      'unlinked': [up, {state: 'unlinked'}],
      'unlinked-phone-form': [up, {state: 'unlinked'}, ['link-phone']],
      'unlinked-phone-invalid': [up, {state: 'unlinked'}, ['link-phone', 'type:+91 98765', 'phone-go']],
      'unlinked-qr-expired': [up, {state: 'unlinked', reason: 'qrExpired'}],
      'unlinked-cancelled': [up, {state: 'unlinked', reason: 'cancelled'}],
      'unlinked-passkey': [up, {state: 'unlinked', reason: 'passkeyRequired'}],
      'unlinked-pairing-failed': [up, {state: 'unlinked', reason: 'pairingFailed'}],
      'unlinked-pairing-code-failed': [up, {state: 'unlinked', reason: 'pairingCodeFailed'}],
      'linking-qr-waiting': [up, {state: 'linking', method: 'qr'}],
      'linking-qr': [up, {state: 'linking', method: 'qr', qr: qr(47_000, 1)}],
      'linking-qr-refreshing': [up, {state: 'linking', method: 'qr', qr: qr(-500, 3)}],
      'linking-phone-waiting': [up, {state: 'linking', method: 'phone'}],
      'linking-phone': [up, {state: 'linking', method: 'phone', pairingCode: {code: 'K7QD9RXA', expiresAt: now + 163_000}}],
      'linking-phone-expired': [up, {state: 'linking', method: 'phone', pairingCode: {code: 'K7QD9RXA', expiresAt: now - 1000}}],
      'connecting': [up, {state: 'connecting', ...account}],
      'connected': [up, {state: 'connected', ...account}],
      'connected-identity-changed': [up, {state: 'connected', ...account, identityChanges: [
        {jid: '14155550100@s.whatsapp.net', phone: '14155550100', at: now - 60_000},
        {jid: '447700900123@s.whatsapp.net', phone: '447700900123', at: now - 120_000}]}],
      'connected-confirm-unlink': [up, {state: 'connected', ...account}, ['logout']],
      'disconnected-network': [up, {state: 'disconnected', reason: 'network', retryAt: now + 12_000, ...account}],
      'disconnected-keepalive': [up, {state: 'disconnected', reason: 'keepAliveTimeout', retryAt: now + 2_000, ...account}],
      'disconnected-server-unavailable': [up, {state: 'disconnected', reason: 'serverUnavailable', retryAt: now + 95_000, ...account}],
      'disconnected-restart': [up, {state: 'disconnected', reason: 'restart', retryAt: now + 400, ...account}],
      'stopped-replaced': [up, {state: 'stopped', reason: 'replaced', code: 440, ...account}],
      'stopped-in-use-elsewhere': [up, {state: 'stopped', reason: 'inUseElsewhere', ...account}],
      'stopped-client-outdated': [up, {state: 'stopped', reason: 'clientOutdated', code: 405, ...account}],
      'stopped-banned-temporary': [up, {state: 'stopped', reason: 'banned', code: 403, until: now + 5 * 3_600_000, ...account}],
      'stopped-banned': [up, {state: 'stopped', reason: 'banned', code: 403, ...account}],
      'logged-out-by-phone': [up, {state: 'loggedOut', reason: 'loggedOutByPhone'}],
      'logged-out-by-user': [up, {state: 'loggedOut', reason: 'loggedOutByUser'}],
    };
  }

  globalThis.crmWhatsAppFixtures = (name, now, qrPng) => {
    const t = table(now, qrPng);
    if (!(name in t)) return null;
    const [connection, fields, clicks = []] = t[name];
    return {snapshot: {connection, engine: {...blank, ...fields}, version: '0.1.0'}, clicks};
  };
  globalThis.crmWhatsAppFixtureNames = () => Object.keys(table(0, ''));
})();
