// The background service worker wired to a fake native host and a stubbed `chrome` API: engine status from
// host.hello, engine.state, link.qr, link.pairingCode and contact.identityChanged reaches the popup and the
// CRM tabs; link.start / link.cancel / engine.logout go through the router and their status results count.
import {test} from 'node:test';
import assert from 'node:assert/strict';

const EXTENSION_ID = 'lgpglinhmaadahglcbjajchcmaaaglnn';
const ORIGIN = `chrome-extension://${EXTENSION_ID}/`;
const CRM = 'http://localhost:8000';
const png = 'iVBORw0KGgo=';

function listeners() {
  const list = [];
  return {addListener: (f) => list.push(f), removeListener: (f) => list.splice(list.indexOf(f), 1), list};
}

/** The fake host: answers hello with `engine`, and each engine request with `answers[type]` (a status or an error). */
const fakeHost = {engine: {state: 'unlinked'}, answers: {}, requests: [], port: null};

function connectNative() {
  const onMessage = listeners();
  const onDisconnect = listeners();
  const port = {
    onMessage, onDisconnect,
    postMessage(message) {
      fakeHost.requests.push(message);
      const answer = message.type === 'host.hello'
        ? {result: {protocolVersion: 1, hostVersion: '0.1.0', engine: fakeHost.engine}}
        : fakeHost.answers[message.type] ?? {result: {state: 'unlinked'}};
      queueMicrotask(() => onMessage.list.forEach((f) => f({id: message.id, ...answer})));
    },
    disconnect() {},
  };
  fakeHost.port = port;
  return port;
}

/** Sends a host event on the open native port. */
function hostEvent(type, payload) {
  fakeHost.port.onMessage.list.forEach((f) => f({type, payload}));
}

const runtime = {
  id: EXTENSION_ID, lastError: undefined,
  getURL: (p) => ORIGIN + p, getManifest: () => ({version: '0.1.0'}),
  connectNative, onMessage: listeners(), onConnect: listeners(), onStartup: listeners(), onInstalled: listeners(),
};
const storage = {sites: [CRM], settings: {defaultCountryCode: '44'}};
globalThis.chrome = {
  runtime,
  storage: {local: {
    get: async (key) => (key in storage ? {[key]: storage[key]} : {}),
    set: async (items) => Object.assign(storage, items),
  }},
  permissions: {contains: async () => true, remove: async () => true, onRemoved: listeners()},
  scripting: {getRegisteredContentScripts: async () => [], unregisterContentScripts: async () => {}, registerContentScripts: async () => {}},
  tabs: {query: async () => []},
};

const popupSender = {id: EXTENSION_ID, url: ORIGIN + 'popup/popup.html'};
const tabSender = {id: EXTENSION_ID, url: CRM + '/app/leads/1', origin: CRM, tab: {id: 7}};
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

/** Sends one runtime message as `sender` and returns the router's answer. */
function send(message, sender = popupSender) {
  return new Promise((resolve) => {
    runtime.onMessage.list[0](message, sender, resolve);
  });
}

/** Subscribes a status port as `sender`; returns the list of payloads it receives. */
async function subscribe(sender) {
  const received = [];
  runtime.onConnect.list[0]({
    name: 'crm-whatsapp.status', sender, onDisconnect: listeners(), disconnect() {},
    postMessage: (m) => { if (m.type === 'status') received.push(m.payload); },
  });
  await tick();
  return received;
}

await import('../../extension/background/service-worker.js');
await tick();
const popup = await subscribe(popupSender);
const tab = await subscribe(tabSender);
const last = (list) => list[list.length - 1];

test('theEngineStatusOfHostHelloReachesThePopupAndTheTab', () => {
  assert.equal(last(popup).connection.state, 'connected');
  assert.equal(last(popup).engine.state, 'unlinked');
  assert.equal(last(tab).page.status, 'disconnected');
  assert.equal(last(tab).view.headline, 'WhatsApp not linked');
  assert.equal(last(tab).phonePrefill, '+44 ', 'the country setting prefills the number');
  assert.equal('engine' in last(tab), false, 'the tab gets the CRM-facing part only');
});

test('linkStartGoesToTheHostWithTheCheckedPayloadAndItsStatusResultIsKept', async () => {
  fakeHost.answers['link.start'] = {result: {state: 'linking', method: 'phone'}};
  const answer = await send({type: 'link.start', payload: {method: 'phone', phone: '+91 98765 43210'}});
  assert.deepEqual(answer, {ok: true, result: {state: 'linking', method: 'phone'}});
  assert.deepEqual(last(fakeHost.requests).payload, {method: 'phone', phone: '919876543210'});
  assert.equal(last(popup).engine.method, 'phone');
  assert.equal(last(tab).page.status, 'connecting');
  assert.equal(last(popup).linkPhone, '919876543210', 'remembered for "Get a new code"');
  assert.equal(last(tab).phonePrefill, '+91 98765 43210');
});

test('qrAndPairingCodeEventsAreBroadcastAsTheyArrive', async () => {
  hostEvent('link.pairingCode', {code: 'K7QD9RXA', expiresAt: Date.now() + 60_000});
  assert.deepEqual(last(popup).engine.pairingCode.code, 'K7QD9RXA');
  assert.equal(last(tab).view.pairingCode, 'K7QD-9RXA');
  hostEvent('engine.state', {state: 'linking', method: 'qr'});
  hostEvent('link.qr', {code: 'https://wa.me/settings/linked_devices#r,n,i,a,1', pngBase64: png, expiresAt: Date.now() + 60_000, index: 1});
  assert.equal(last(popup).engine.pairingCode, null);
  assert.equal(last(tab).qr.index, 1);
  assert.equal(last(tab).view.qr.src, 'data:image/png;base64,' + png);
  const before = popup.length;
  hostEvent('link.qr', {code: 5});
  assert.equal(popup.length, before, 'a malformed event changes nothing and is not broadcast');
});

test('connectedStatusClearsTheQrAndGivesThePageThePhone', () => {
  hostEvent('engine.state', {state: 'connected', account: {jid: '919876543210:3@s.whatsapp.net', phone: '919876543210', pushName: 'Asha'}});
  assert.equal(last(popup).engine.qr, null);
  assert.deepEqual([last(tab).page.status, last(tab).page.phoneNumber], ['connected', '919876543210']);
});

test('identityChangesAreKeptForThePopupAndDismissed', async () => {
  hostEvent('contact.identityChanged', {jid: '14155550100@s.whatsapp.net'});
  assert.equal(last(popup).engine.identityChanges[0].phone, '14155550100');
  assert.ok(last(popup).engine.identityChanges[0].at > 0);
  assert.equal((await send({type: 'identity.dismiss'})).ok, true);
  assert.deepEqual(last(popup).engine.identityChanges, []);
  assert.equal((await send({type: 'identity.dismiss'}, tabSender)).error.code, 'senderNotAllowed');
});

test('unlinkLogsOutAndForgetsTheAccount', async () => {
  hostEvent('contact.identityChanged', {jid: '14155550100@s.whatsapp.net'});
  fakeHost.answers['engine.logout'] = {result: {state: 'loggedOut', reason: 'loggedOutByUser'}};
  assert.equal((await send({type: 'engine.logout'}, tabSender)).error.code, 'senderNotAllowed', 'a CRM page cannot unlink');
  const answer = await send({type: 'engine.logout'});
  assert.equal(answer.ok, true);
  const engine = last(popup).engine;
  assert.deepEqual([engine.state, engine.phoneNumber, engine.pushName, engine.identityChanges], ['loggedOut', null, null, []]);
  assert.equal(last(popup).linkPhone, null);
  assert.equal(last(tab).phonePrefill, '+44 ');
});

test('engineErrorsComeBackTypedAndInPlainWords', async () => {
  fakeHost.answers['link.start'] = {error: {code: 25, message: 'account lock held by pid 123'}};
  const answer = await send({type: 'link.start', payload: {method: 'qr'}}, tabSender);
  assert.deepEqual([answer.ok, answer.error.hostName, answer.error.detail], [false, 'engineBusy', 'account lock held by pid 123']);
  assert.match(answer.error.message, /Another browser/);
  const bad = await send({type: 'link.start', payload: {method: 'phone', phone: '12'}});
  assert.equal(bad.error.code, 'invalidPayload');
});

test('useHereReconnectsTheHostAndItsHelloStatusWins', async () => {
  hostEvent('engine.state', {state: 'stopped', reason: 'replaced', code: 440});
  assert.equal(last(tab).view.actions.reconnectHost, 'Use here');
  fakeHost.engine = {state: 'connecting', account: {jid: '919876543210:3@s.whatsapp.net'}};
  const hellos = fakeHost.requests.filter((r) => r.type === 'host.hello').length;
  assert.equal((await send({type: 'host.reconnect'}, tabSender)).ok, true);
  await tick();
  assert.equal(fakeHost.requests.filter((r) => r.type === 'host.hello').length, hellos + 1);
  assert.equal(last(popup).engine.state, 'connecting');
  assert.equal(last(tab).page.status, 'connecting');
});

test('aSendRefusedWithEngineUnavailableLeavesALinkedAccountLinked', async () => {
  hostEvent('engine.state', {state: 'connected', account: {jid: '15551234567:3@s.whatsapp.net', phone: '15551234567'}});
  fakeHost.answers['message.send'] = {error: {code: 20, message: 'sending is not served yet'}};
  const answer = await send({type: 'message.send', payload: {phone: '98765 43210', message: 'x', clientMessageId: 'w-1'}}, tabSender);
  assert.deepEqual([answer.ok, answer.error.hostName], [false, 'engineUnavailable']);
  await tick();
  assert.deepEqual([last(popup).engine.state, last(popup).engine.phoneNumber], ['connected', '15551234567']);
});
