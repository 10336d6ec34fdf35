// The extension's protocol constants against PROTOCOL.md, and the host message envelope.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {
  EventType, HOST_NAME, HostErrorCode, PROTOCOL_VERSION, RequestType, classifyHostMessage, encodedSize, hostErrorName, makeRequest,
} from '../../extension/shared/protocol.js';

const protocolPath = fileURLToPath(new URL('../../PROTOCOL.md', import.meta.url));

/** `## Error codes` table rows: `| 1 | \`parseError\` | meaning |`. */
function documentedErrorCodes(markdown) {
  const section = markdown.split(/^## /m).find((s) => s.startsWith('Error codes'));
  assert.ok(section, 'PROTOCOL.md has a "## Error codes" section');
  const codes = {};
  for (const line of section.split('\n')) {
    const m = /^\|\s*(\d+)\s*\|\s*`([A-Za-z]+)`\s*\|/.exec(line);
    if (m) codes[m[2]] = Number(m[1]);
  }
  return codes;
}

/** `### \`type\`` headings under `## Messages`. */
function documentedMessageTypes(markdown) {
  const section = markdown.split(/^## /m).find((s) => s.startsWith('Messages'));
  assert.ok(section, 'PROTOCOL.md has a "## Messages" section');
  return [...section.matchAll(/^### `([A-Za-z.]+)`/gm)].map((m) => m[1]);
}

/** The linking contract's additions (error codes 21, 22, 24, 25 and `contact.identityChanged`), now in PROTOCOL.md. */
const LINKING_CONTRACT_CODES = {notLinked: 21, alreadyLinked: 22, engineConfiguration: 24, engineBusy: 25};

test('errorCodesMatchProtocolDocument', () => {
  assert.deepEqual({...HostErrorCode}, documentedErrorCodes(readFileSync(protocolPath, 'utf8')));
});

test('linkingContractErrorCodesAreMirroredWithTheirFixedNumbers', () => {
  for (const [name, code] of Object.entries(LINKING_CONTRACT_CODES)) {
    assert.equal(HostErrorCode[name], code, name);
    assert.equal(hostErrorName(code), name);
  }
  assert.equal(hostErrorName(23), undefined, 'linkInProgress is not an error: link.start while linking restarts the link');
  assert.equal(EventType.contactIdentityChanged, 'contact.identityChanged');
});

test('messageTypesMatchProtocolDocument', () => {
  const documented = documentedMessageTypes(readFileSync(protocolPath, 'utf8'));
  const ours = [...Object.values(RequestType), ...Object.values(EventType)].sort();
  assert.deepEqual(ours, [...documented].sort());
});

test('protocolDocumentDeclaresOurVersion', () => {
  const text = readFileSync(protocolPath, 'utf8');
  assert.match(text, new RegExp(`[Pp]rotocol version[^\\n]*\\b${PROTOCOL_VERSION}\\b`));
});

test('hostNameIsTheOneInTheProtocolDocumentAndTheManifestTemplates', () => {
  assert.match(readFileSync(protocolPath, 'utf8'), new RegExp('host name: \\*\\*`' + HOST_NAME.replace(/\./g, '\\.') + '`'));
  for (const kind of ['chromium', 'firefox']) {
    const template = new URL(`../../host-manifest/${HOST_NAME}.${kind}.json.in`, import.meta.url);
    assert.equal(JSON.parse(readFileSync(template, 'utf8')).name, HOST_NAME, kind);
  }
});

test('errorCodesAreAppendOnlyAndUnique', () => {
  // The codes of version 1 may never change; new ones get new numbers.
  const v1 = {parseError: 1, invalidRequest: 2, unknownType: 3, invalidPayload: 4, frameTooLarge: 5,
    responseTooLarge: 6, internalError: 7, originNotAllowed: 8, engineUnavailable: 20};
  for (const [name, code] of Object.entries(v1)) assert.equal(HostErrorCode[name], code, name);
  const values = Object.values(HostErrorCode);
  assert.equal(new Set(values).size, values.length);
  assert.equal(hostErrorName(20), 'engineUnavailable');
  assert.equal(hostErrorName(999), undefined);
});

test('responseWithResultIsClassifiedAsResponse', () => {
  assert.deepEqual(classifyHostMessage({id: 7, result: {pong: true}}), {kind: 'response', id: 7, result: {pong: true}});
});

test('responseWithErrorCarriesCodeNameAndData', () => {
  const m = classifyHostMessage({id: 3, error: {code: 20, message: 'engine not served', data: {x: 1}}});
  assert.deepEqual(m, {kind: 'failure', id: 3, error: {code: 20, name: 'engineUnavailable', message: 'engine not served', data: {x: 1}}});
});

test('eventWithoutIdIsClassifiedAsEvent', () => {
  assert.deepEqual(classifyHostMessage({type: 'engine.state', payload: {state: 'connecting'}}),
    {kind: 'event', type: 'engine.state', payload: {state: 'connecting'}});
});

test('malformedEnvelopesAreInvalidNotThrown', () => {
  const bad = [null, 42, 'x', [], {}, {id: 'x', result: 1}, {id: 1.5, result: 1}, {id: 1},
    {id: 1, error: 'boom'}, {id: 1, error: {code: 'x', message: 'm'}}, {id: 1, error: {code: 1}}, {type: 5}];
  for (const m of bad) assert.equal(classifyHostMessage(m).kind, 'invalid', JSON.stringify(m));
});

test('requestEnvelopeHasIdTypeAndObjectPayload', () => {
  assert.deepEqual(makeRequest(1, RequestType.hostHello), {id: 1, type: 'host.hello', payload: {}});
  assert.deepEqual(makeRequest(2, RequestType.linkStart, {method: 'qr'}), {id: 2, type: 'link.start', payload: {method: 'qr'}});
});

test('encodedSizeCountsUtf8BytesNotCharacters', () => {
  assert.equal(encodedSize('é'), 4); // "é" in quotes: 1 + 2 + 1 bytes
  assert.equal(encodedSize({a: '🚀'}), '{"a":""}'.length + 4);
});
