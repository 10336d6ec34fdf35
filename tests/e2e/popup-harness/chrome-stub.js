/**
 * A stand-in for the `chrome` extension API, enough for the popup to render one fixture snapshot
 * (tests/e2e/popup_harness.py injects it before popup.js). `globalThis.HARNESS = {name, qrPng}` names
 * the fixture of fixtures.js. Requests are recorded in `globalThis.harnessRequests` and answered ok.
 */
(() => {
  const {name, qrPng} = globalThis.HARNESS;
  const fixture = globalThis.crmWhatsAppFixtures(name, Date.now(), qrPng);
  if (!fixture) throw new Error('no fixture ' + name);
  globalThis.harnessRequests = [];
  const listeners = () => {
    const list = [];
    return {addListener: (f) => list.push(f), removeListener: () => {}, fire: (...a) => list.forEach((f) => f(...a))};
  };
  globalThis.chrome = {
    runtime: {
      id: 'lgpglinhmaadahglcbjajchcmaaaglnn',
      lastError: undefined,
      getManifest: () => ({version: '0.1.0'}),
      getURL: (p) => '/extension/' + p,
      openOptionsPage: () => globalThis.harnessRequests.push({type: 'openOptionsPage'}),
      sendMessage: async (message) => {
        globalThis.harnessRequests.push(message);
        if (message.type === 'settings.get') return {ok: true, result: {defaultCountryCode: '91'}};
        return {ok: true, result: null};
      },
      connect: () => {
        const onMessage = listeners();
        const onDisconnect = listeners();
        setTimeout(() => onMessage.fire({type: 'status', payload: fixture.snapshot}), 0);
        return {onMessage, onDisconnect, postMessage: () => {}, disconnect: () => {}};
      },
    },
  };
  // Clicks (and "type:<text>" into the focused field) once the popup has rendered the fixture.
  globalThis.addEventListener('load', () => setTimeout(() => {
    for (const step of fixture.clicks) {
      if (step.startsWith('type:')) {
        const input = document.activeElement;
        input.value = step.slice(5);
      } else {
        document.getElementById(step).click();
      }
    }
  }, 50));
})();
