/**
 * How extension pages talk to the background (docs/house-style.md §9, keepassxc `sendMessage`):
 * one request helper and one status subscription.
 */

/** Runtime port name of status pushes (matches background/service-worker.js). */
export const STATUS_PORT = 'crm-whatsapp.status';

/** An error answered by the background; `info` is `{code, message, detail?}`. */
export class ExtensionError extends Error {
  /** @param {{code: string, message: string}} info */
  constructor(info) {
    super(info.message);
    this.info = info;
  }
}

/**
 * Sends `{type, payload}` to the background and returns its `result`, or throws `ExtensionError`.
 * @param {string} type @param {unknown} [payload]
 */
export async function sendToBackground(type, payload) {
  let answer;
  try {
    answer = await chrome.runtime.sendMessage({type, payload});
  } catch (e) {
    throw new ExtensionError({code: 'unexpected', message: 'The extension background is not answering. Reload the extension.', detail: String(e?.message ?? e)});
  }
  if (!answer || typeof answer !== 'object') {
    throw new ExtensionError({code: 'unexpected', message: 'The extension background gave no answer.'});
  }
  if (!answer.ok) throw new ExtensionError(answer.error);
  return answer.result;
}

/**
 * Calls `onStatus(snapshot)` now and on every change; reconnects if the worker restarts.
 * @param {(snapshot: any) => void} onStatus
 * @returns {() => void} stop
 */
export function subscribeStatus(onStatus) {
  let stopped = false;
  let port = null;
  const open = () => {
    if (stopped) return;
    port = chrome.runtime.connect({name: STATUS_PORT});
    port.onMessage.addListener((m) => {
      if (m && m.type === 'status') onStatus(m.payload);
    });
    port.onDisconnect.addListener(() => {
      void chrome.runtime.lastError;
      port = null;
      setTimeout(open, 500);
    });
  };
  open();
  return () => {
    stopped = true;
    port?.disconnect();
  };
}
