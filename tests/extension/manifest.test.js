// The extension manifest: stable id from its key, files it names exist, only the permissions it uses.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import {existsSync, readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';

const root = fileURLToPath(new URL('../../extension/', import.meta.url));
const manifest = JSON.parse(readFileSync(root + 'manifest.json', 'utf8'));

/** Chromium's id: first 32 hex digits of SHA-256(DER public key), 0-f mapped to a-p. */
function extensionId(keyBase64) {
  const hex = createHash('sha256').update(Buffer.from(keyBase64, 'base64')).digest('hex').slice(0, 32);
  return [...hex].map((h) => String.fromCharCode(97 + parseInt(h, 16))).join('');
}

test('keyGivesTheFixedExtensionId', () => {
  const id = readFileSync(root + 'EXTENSION_ID', 'utf8').trim();
  assert.equal(id, 'lgpglinhmaadahglcbjajchcmaaaglnn');
  assert.equal(extensionId(manifest.key), id);
});

test('everyFileTheManifestNamesExists', () => {
  const files = [
    manifest.background.service_worker, ...manifest.background.scripts, manifest.action.default_popup,
    manifest.options_ui.page, ...Object.values(manifest.icons), ...Object.values(manifest.action.default_icon),
  ];
  for (const f of files) assert.ok(existsSync(root + f), f);
});

test('onlyThePermissionsTheCodeUses', () => {
  assert.deepEqual([...manifest.permissions].sort(), ['nativeMessaging', 'scripting', 'storage']);
  // CRM sites are asked for at runtime; only local development addresses (a CRM on localhost:8000,
  // as the original setup used) are granted up front, so adding them needs no prompt.
  assert.deepEqual(manifest.host_permissions, ['http://localhost/*', 'http://127.0.0.1/*']);
  assert.deepEqual(manifest.optional_host_permissions, ['https://*/*', 'http://*.localhost/*']);
  assert.equal(manifest.content_scripts, undefined, 'content scripts are registered per CRM site');
});

test('iconsArePngFiles', () => {
  for (const f of Object.values(manifest.icons)) {
    const bytes = readFileSync(root + f);
    assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], f);
  }
});

test('contentScriptFilesExist', async () => {
  const {CONTENT_SCRIPT_FILES} = await import('../../extension/shared/sites.js');
  for (const f of CONTENT_SCRIPT_FILES) assert.ok(existsSync(root + f), f);
});
