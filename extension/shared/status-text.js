/**
 * Plain-language wording of the extension's state for the popup, the options page and the
 * in-page dialog. Pure: takes the background's status snapshot, returns what to show.
 */

/** The engine state that means "linked and online" (PROTOCOL.md `engine.state`). */
const LINKED = new Set(['connected']);

/**
 * Formats international digits for display ("919876543210" → "+91 98765 43210" for India,
 * "+<digits>" otherwise). Never shows anything but digits, spaces and "+".
 * @param {string | null | undefined} digits
 */
export function formatPhone(digits) {
  if (typeof digits !== 'string') return '';
  const d = digits.replace(/\D/g, '');
  if (d === '') return '';
  if (d.length === 12 && d.startsWith('91')) return `+91 ${d.slice(2, 7)} ${d.slice(7)}`;
  return '+' + d;
}

/**
 * @param {{connection: {state: string, host: any, lastError: any}, engine: any} | null | undefined} snapshot
 * @returns {{tone: 'ok' | 'wait' | 'problem' | 'idle', headline: string, detail: string,
 *   hostLine: string, engineLine: string, canLink: boolean, canLogout: boolean, linked: boolean}}
 */
export function describeStatus(snapshot) {
  const connection = snapshot?.connection ?? {state: 'connecting', host: null, lastError: null};
  const engine = snapshot?.engine ?? {state: 'unknown', phoneNumber: null, unavailable: false};
  const hostVersion = connection.host?.hostVersion;

  if (connection.state === 'connecting') {
    return {
      tone: 'wait', headline: 'Connecting to the helper app…', detail: 'This takes a second.',
      hostLine: 'Connecting…', engineLine: '—', canLink: false, canLogout: false, linked: false,
    };
  }
  if (connection.state !== 'connected') {
    const error = connection.lastError;
    const notInstalled = error?.code === 'hostNotInstalled';
    return {
      tone: 'problem',
      headline: notInstalled ? 'Helper app not installed' : 'Helper app not reachable',
      detail: error?.message ?? 'Waiting for the helper app…',
      hostLine: notInstalled ? 'Not installed' : 'Not connected',
      engineLine: '—', canLink: false, canLogout: false, linked: false,
    };
  }

  const hostLine = hostVersion ? `Connected · version ${hostVersion}` : 'Connected';
  if (engine.unavailable) {
    return {
      tone: 'idle', headline: 'Helper app ready',
      detail: 'Everything is set up on this computer. Linking WhatsApp arrives with a later version of the helper app.',
      hostLine, engineLine: 'Not available yet', canLink: false, canLogout: false, linked: false,
    };
  }
  if (LINKED.has(engine.state)) {
    const phone = formatPhone(engine.phoneNumber);
    return {
      tone: 'ok', headline: 'WhatsApp linked',
      detail: phone ? `Messages from the CRM go out from ${phone}.` : 'Messages from the CRM go out from your phone.',
      hostLine, engineLine: phone ? `Linked · ${phone}` : 'Linked', canLink: false, canLogout: true, linked: true,
    };
  }
  if (engine.qr || engine.pairingCode || engine.state === 'linking') {
    return {
      tone: 'wait', headline: 'Waiting for your phone…',
      detail: engine.pairingCode
        ? 'On your phone: WhatsApp → Settings → Linked devices → Link a device → Link with phone number instead, then type the code.'
        : 'On your phone: WhatsApp → Settings → Linked devices → Link a device, then scan the code.',
      hostLine, engineLine: 'Linking…', canLink: true, canLogout: false, linked: false,
    };
  }
  if (engine.state === 'connecting') {
    return {
      tone: 'wait', headline: 'Connecting to WhatsApp…', detail: 'Your linked phone is being reached.',
      hostLine, engineLine: 'Connecting…', canLink: false, canLogout: true, linked: false,
    };
  }
  if (engine.state === 'disconnected') {
    return {
      tone: 'wait', headline: 'WhatsApp is offline', detail: 'The helper app reconnects by itself when the network is back.',
      hostLine, engineLine: 'Offline · reconnecting', canLink: false, canLogout: true, linked: false,
    };
  }
  return {
    tone: 'idle', headline: 'WhatsApp not linked',
    detail: 'Link your phone once, then send WhatsApp messages straight from the CRM.',
    hostLine, engineLine: 'Not linked', canLink: true, canLogout: false, linked: false,
  };
}
