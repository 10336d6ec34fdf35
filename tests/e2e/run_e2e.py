#!/usr/bin/env python3
"""End to end in real headless Chromium: the extension (extension/), the real native host
($CRM_WHATSAPP_BIN/crm-whatsapp-host) registered by install-host.sh, and a CRM page on 127.0.0.1
that uses the DOM-event contract. Observed over the DevTools protocol (docs/native-messaging.md §2–3).

Checks: hello/ping from the service worker, from the popup page and from the content script on the
CRM page; the page contract (status, send with correlation id, a reply to every request); adding the
CRM site through the options page; diagnostics; linking from the popup (the phone scans the popup's
screenshot: a real optical decode) until the popup shows the linked number; after the phone unlinks the
device, crm-whatsapp-open-qr opens the in-page dialog, its "Link with QR code" shows a live QR (decoded
by ZXing C++) that the phone scans from the page's screenshot; the "host not installed" path in plain
language; no host process left behind. The host's engine talks to wa-sim on 127.0.0.1 (one simulated
phone), its settings passed through Chromium's environment. Screenshots of popup and options go to $CRM_WHATSAPP_ARTIFACTS.

usage: python run_e2e.py [--bin DIR] [--artifacts DIR] [--chrome PATH] [--keep]
Exit status 0 when every check passed.
"""
import argparse
import asyncio
import base64
import functools
import http.server
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

from devtools import DevTools, DevToolsError
from wasim import WASim

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "host"))
from host_linking import decode_qr  # noqa: E402  (ZXing C++, the independent QR decoder)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
EXTENSION = os.path.join(ROOT, "extension")
EXTENSION_ID = open(os.path.join(EXTENSION, "EXTENSION_ID")).read().strip()
ORIGIN = "chrome-extension://%s/" % EXTENSION_ID
WORKER_URL = ORIGIN + "background/service-worker.js"
HOST_NAME = "io.crm_whatsapp.host"

# The linking contract (PROTOCOL.md `engine.state`, error codes 20-25): what a host with or without a
# configured engine may answer here, where no WhatsApp server is reachable.
ENGINE_STATES = ("unavailable", "unlinked", "linking", "connecting", "connected", "disconnected", "stopped", "loggedOut")
ENGINE_ERRORS = ("engineUnavailable", "notLinked", "alreadyLinked", "engineConfiguration", "engineBusy")

results = []
T0 = time.monotonic()


def say(*parts):
    print("[%6.2fs]" % (time.monotonic() - T0), *parts, flush=True)


def check(name, condition, detail=""):
    results.append({"check": name, "passed": bool(condition), "detail": detail})
    say("ok  " if condition else "FAIL", name, "" if condition else "-- %s" % (detail,))
    return bool(condition)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve_crm_page():
    handler = functools.partial(QuietHandler, directory=os.path.join(HERE, "crm-page"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def host_pids(binary):
    """Pids of running processes whose executable is `binary` (ours only: exact path)."""
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.readlink("/proc/%s/exe" % entry) == binary:
                    pids.append(int(entry))
            except OSError:
                pass
    return pids


def digits(text):
    return "".join(c for c in text if c.isdigit())


async def shadow_node(dt, session, host_selector, selector):
    """nodeId of `selector` inside the (closed) shadow root of `host_selector`: DevTools pierces it."""
    doc = await dt.send("DOM.getDocument", {"depth": -1, "pierce": True}, session=session)
    found = await dt.send("DOM.querySelector", {"nodeId": doc["root"]["nodeId"], "selector": host_selector}, session=session)
    desc = await dt.send("DOM.describeNode", {"nodeId": found["nodeId"], "depth": 1, "pierce": True}, session=session)
    roots = desc["node"].get("shadowRoots") or []
    if not roots:
        raise RuntimeError("no shadow root on " + host_selector)
    pushed = await dt.send("DOM.pushNodesByBackendIdsToFrontend", {"backendNodeIds": [roots[0]["backendNodeId"]]}, session=session)
    inner = await dt.send("DOM.querySelector", {"nodeId": pushed["nodeIds"][0], "selector": selector}, session=session)
    if not inner.get("nodeId"):
        raise RuntimeError("no %s in the shadow root of %s" % (selector, host_selector))
    return inner["nodeId"]


async def click_node(dt, session, node_id):
    """A real mouse click in the middle of a node (one a page script cannot reach, e.g. in a closed shadow root)."""
    await dt.send("DOM.scrollIntoViewIfNeeded", {"nodeId": node_id}, session=session)
    quad = (await dt.send("DOM.getBoxModel", {"nodeId": node_id}, session=session))["model"]["content"]
    x, y = (quad[0] + quad[4]) / 2, (quad[1] + quad[5]) / 2
    for kind in ("mousePressed", "mouseReleased"):
        await dt.send("Input.dispatchMouseEvent",
                      {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1}, session=session)


async def screenshot(dt, session, path, width):
    # A background tab may not produce frames: bring it to the front before capturing.
    await dt.send("Page.bringToFront", session=session)
    # Shrink the viewport first so that scrollHeight measures the content, not the window.
    await dt.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": 100, "deviceScaleFactor": 1, "mobile": False}, session=session)
    height = await dt.evaluate(session, "Math.ceil(document.documentElement.scrollHeight)")
    await dt.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": max(200, min(int(height), 2000)), "deviceScaleFactor": 1, "mobile": False},
                  session=session)
    await asyncio.sleep(0.3)
    data = (await dt.send("Page.captureScreenshot", {"format": "png"}, session=session))["data"]
    png = base64.b64decode(data)
    with open(path, "wb") as f:
        f.write(png)
    say("screenshot", path)
    return png


async def click(dt, session, selector):
    """A real mouse click (a user gesture) in the middle of the element."""
    box = await dt.evaluate(session, """(() => { const e = document.querySelector(%s);
        e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();
        return {x: r.x + r.width / 2, y: r.y + r.height / 2}; })()""" % json.dumps(selector))
    for kind in ("mousePressed", "mouseReleased"):
        await dt.send("Input.dispatchMouseEvent",
                      {"type": kind, "x": box["x"], "y": box["y"], "button": "left", "clickCount": 1}, session=session)


async def content_script_context(dt, session, contexts, timeout=10):
    """The execution context of our content script (isolated world of the extension) in a page."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        for ctx in contexts:
            if ctx["session"] == session and ctx["origin"].rstrip("/") == ORIGIN.rstrip("/") \
                    and ctx.get("auxData", {}).get("type") == "isolated":
                return ctx["id"]
        await asyncio.sleep(0.2)
    raise TimeoutError("no content script context")


async def scenario(dt, work, binary, http_port, artifacts, env, sim):
    crm_origin = "http://127.0.0.1:%d" % http_port
    contexts = []

    def on_event(session, method, params):
        if method == "Runtime.executionContextCreated":
            ctx = dict(params["context"])
            ctx["session"] = session
            contexts.append(ctx)

    dt.listen(on_event)

    # ---- 1. the service worker connects to the real host and says hello -----------------------
    worker = await dt.wait_for_target(lambda t: t["type"] == "service_worker" and t["url"] == WORKER_URL)
    sw = await dt.attach(worker["targetId"])
    state = await dt.poll(sw, "globalThis.crmWhatsApp && crmWhatsApp.host.status.state !== 'connecting' "
                              "&& crmWhatsApp.host.status.state", timeout=20)
    status = await dt.evaluate(sw, "crmWhatsApp.host.status")
    check("worker connects to the host and passes the hello check", state == "connected", status.get("lastError"))
    hello = await dt.evaluate(sw, "crmWhatsApp.host.request('host.hello')")
    check("host.hello from the worker answers protocol version 1",
          hello.get("protocolVersion") == 1 and isinstance(hello.get("hostVersion"), str)
          and isinstance(hello.get("engine", {}).get("state"), str), hello)
    pong = await dt.evaluate(sw, "crmWhatsApp.host.request('host.ping').then(r => ({ok: true, r}), e => ({ok: false, e: e.info}))")
    check("host.ping from the worker is answered", pong.get("ok"), pong)
    check("exactly one host process serves the extension", len(host_pids(binary)) == 1, host_pids(binary))

    # ---- 2. the popup page ------------------------------------------------------------------
    _, popup = await dt.open_page(ORIGIN + "popup/popup.html")
    await dt.send("Emulation.setDeviceMetricsOverride", {"width": 392, "height": 640, "deviceScaleFactor": 1, "mobile": False}, session=popup)
    await dt.poll(popup, "document.body.dataset.rendered === '1' && document.body.dataset.state")
    r = await dt.evaluate(popup, "chrome.runtime.sendMessage({type: 'host.ping'})")
    check("host.ping from the popup page is answered", r.get("ok"), r)
    r = await dt.evaluate(popup, "chrome.runtime.sendMessage({type: 'host.hello'})")
    check("host.hello from the popup page is answered", r.get("ok") and r["result"].get("protocolVersion") == 1, r)
    host_line = await dt.evaluate(popup, "document.getElementById('host-line').textContent")
    check("popup shows the helper app as connected with its version",
          host_line.startswith("Connected") and hello.get("hostVersion", "?") in host_line, host_line)
    popup_state = await dt.poll(popup, "document.body.dataset.state.endsWith('/unknown') ? null : document.body.dataset.state")
    check("popup shows an engine state of the linking contract from the host",
          popup_state.startswith("connected/") and popup_state.split("/", 1)[1] in ENGINE_STATES, popup_state)
    await screenshot(dt, popup, os.path.join(artifacts, "popup.png"), 392)

    check("a fresh profile starts unlinked", popup_state == "connected/unlinked", popup_state)

    # Linking from the popup: "Link with QR code", then the phone's camera reads the popup's screenshot.
    t_link = time.monotonic()
    await click(dt, popup, "#link-qr")
    outcome = await dt.poll(popup, """(() => { const e = document.getElementById('error');
        if (!e.hidden) return {error: e.textContent, code: e.dataset.code};
        const img = document.getElementById('qr-image');
        if (!document.getElementById('qr-box').hidden && img.complete && img.naturalWidth > 0)
            return {qr: true, src: img.getAttribute('src')};
        return null; })()""", timeout=20)
    check("Link with QR code shows a QR code in the popup", outcome.get("qr"), outcome)
    link_qr_ms = round((time.monotonic() - t_link) * 1000)
    shot = await screenshot(dt, popup, os.path.join(artifacts, "popup-link.png"), 392)
    if outcome.get("qr"):
        status, answer = sim.scan_image(shot)
        check("the phone scans the QR code from the popup's screenshot", status == 200 and answer.get("device"),
              {"status": status, "answer": answer})
        linked = await dt.poll(popup, """document.body.dataset.state === 'connected/connected'
            && [document.getElementById('headline').textContent, document.getElementById('engine-line').textContent,
                document.getElementById('detail').textContent]""", timeout=20)
        check("the popup shows WhatsApp linked with the phone's number",
              linked[0] == "WhatsApp linked" and digits(linked[1]) == sim.phone and sim.phone in digits(linked[2]), linked)
        say("link.start -> QR shown: %d ms; scan -> popup linked: %d ms" % (link_qr_ms, round((time.monotonic() - t_link) * 1000) - link_qr_ms))
        await screenshot(dt, popup, os.path.join(artifacts, "popup-linked.png"), 392)
    # Engine requests reach the host with payloads it accepts (it validates before answering
    # engineUnavailable), and come back as typed errors in plain words, or as results once served.
    for label, message in (("link.start qr", {"type": "link.start", "payload": {"method": "qr"}}),
                           ("link.start phone", {"type": "link.start", "payload": {"method": "phone", "phone": "+91 98765 43210"}}),
                           ("engine.status", {"type": "engine.status"})):
        r = await dt.evaluate(popup, "chrome.runtime.sendMessage(%s)" % json.dumps(message))
        typed = not r.get("ok") and r["error"].get("hostName") in ENGINE_ERRORS and len(r["error"].get("message", "")) > 20
        check("%s from the popup is served or answers a typed engine error in plain words" % label, r.get("ok") or typed, r)

    # ---- 3. the options page: host info, diagnostics, adding the CRM site -------------------
    _, options = await dt.open_page(ORIGIN + "options/options.html")
    await dt.send("Emulation.setDeviceMetricsOverride", {"width": 900, "height": 900, "deviceScaleFactor": 1, "mobile": False}, session=options)
    await dt.poll(options, "document.body.dataset.rendered === '1' && document.body.dataset.state === 'connected'")
    installed = await dt.evaluate(options, "[document.getElementById('installed').textContent, document.getElementById('host-version').textContent]")
    check("options page shows the host installed with its version", installed == ["Yes", hello.get("hostVersion")], installed)
    await click(dt, options, "#run-diagnostics")
    await dt.poll(options, "document.body.dataset.diagnostics === 'done'", timeout=20)
    diag_text = await dt.evaluate(options, "document.getElementById('diagnostics').textContent")
    try:
        diag = json.loads(diag_text)
    except ValueError:
        diag = {}
    check("diagnostics show the host's report and the extension's state",
          diag.get("host") is not None and diag.get("extension", {}).get("state") == "connected", diag_text[:400])

    # A CRM tab already open before the site is added: the extension must start working in it at once.
    _, page = await dt.open_page(crm_origin + "/")
    await dt.poll(page, "document.readyState === 'complete' && typeof requestStatus === 'function'")
    before = await dt.evaluate(page, "document.documentElement.dataset.crmWhatsapp || 'absent'")
    check("no content script runs on a site that was not added", before == "absent", before)
    await dt.evaluate(options, "document.getElementById('site-input').value = %s" % json.dumps(crm_origin + "/app/leads"))
    await click(dt, options, "#site-form button[type=submit]")
    sites = await dt.poll(options, """(() => { const items = [...document.querySelectorAll('#sites code')].map(c => c.textContent);
        const err = document.getElementById('site-error');
        return items.length ? {items} : (!err.hidden ? {error: err.textContent} : null); })()""", timeout=15)
    check("adding the CRM site through the options page registers it", sites.get("items") == [crm_origin], sites)
    await dt.evaluate(options, "document.getElementById('country-input').value = '+44'")
    await click(dt, options, "#country-form button")
    await dt.poll(options, "document.getElementById('country-note').textContent === 'Saved.'")
    r = await dt.evaluate(options, "chrome.runtime.sendMessage({type: 'settings.get'})")
    check("the default country code is saved from the options page", r.get("ok") and r["result"]["defaultCountryCode"] == "44", r)
    await dt.evaluate(options, "document.getElementById('country-input').value = '0x'")
    await click(dt, options, "#country-form button")
    note = await dt.poll(options, "document.getElementById('country-note').textContent !== 'Saved.' && document.getElementById('country-note').textContent")
    check("a wrong country code is refused in plain words", "country code" in note, note)
    await dt.evaluate(options, "document.getElementById('country-input').value = '+91'")
    await click(dt, options, "#country-form button")
    await dt.poll(options, "document.getElementById('country-note').textContent === 'Saved.'")
    await screenshot(dt, options, os.path.join(artifacts, "options.png"), 900)

    # ---- 4. the CRM page: content script and the page contract ------------------------------
    ready = await dt.poll(page, "document.documentElement.dataset.crmWhatsapp", timeout=15)
    check("the content script starts in the CRM tab that was already open", ready == "ready", ready)
    _, fresh = await dt.open_page(crm_origin + "/?fresh")
    ready = await dt.poll(fresh, "document.documentElement.dataset.crmWhatsapp", timeout=15)
    check("the registered content script runs in new CRM tabs", ready == "ready", ready)
    await dt.send("Target.closeTarget", {"targetId": (await dt.wait_for_target(lambda t: t["url"].endswith("/?fresh")))["targetId"]})
    status = await dt.evaluate(page, "requestStatus('status-1')")
    check("crm-whatsapp-request-status is answered with the correlation id",
          status.get("requestId") == "status-1" and status.get("status") in ("connected", "connecting", "disconnected")
          and status.get("hostState") == "connected", status)
    check("the page status carries the exact engine state and reason",
          status.get("engineState") in ENGINE_STATES and "engineReason" in status and "retryAt" in status, status)
    plain = await dt.evaluate(page, """new Promise((resolve) => {
        document.addEventListener('crm-whatsapp-status', (e) => resolve(e.detail), {once: true});
        document.dispatchEvent(new Event('crm-whatsapp-request-status')); })""")
    check("a plain Event request (the CRM's current form) is answered too", plain.get("status") in ("connected", "connecting", "disconnected"), plain)
    check("the CRM page sees the account linked in the popup",
          status.get("status") == "connected" and status.get("engineState") == "connected", status)
    sent = await dt.evaluate(page, "sendDirect('98765 43210', 'Hello from the test CRM', 'send-1')")
    # Sending itself is issue 13's: until then a linked host answers it with a typed error, in plain words.
    check("send through the page contract succeeds when linked, or fails in plain words with the correlation id",
          sent.get("requestId") == "send-1" and (sent.get("success") is True
                                                 or (sent.get("success") is False and len(sent.get("error", "")) > 10)), sent)
    after = await dt.evaluate(page, "requestStatus('status-after-send')")
    check("a refused send leaves the linked account linked on the page",
          after.get("status") == "connected" and after.get("engineState") == "connected" and after.get("phoneNumber") == sim.phone, after)
    bad = await dt.evaluate(page, "sendDirect('', '', 'send-2')")
    check("send without phone and message is refused with the original error text",
          bad.get("success") is False and bad.get("error") == "Phone and message are required" and bad.get("requestId") == "send-2", bad)
    await dt.evaluate(page, "document.querySelector('[data-crm-whatsapp-dialog]')?.remove()")
    await screenshot(dt, page, os.path.join(artifacts, "crm-page.png"), 900)

    # The phone unlinks the device: the page hears it; a send opens the dialog; crm-whatsapp-open-qr too,
    # and its "Link with QR code" shows a live QR that the phone scans from the page's screenshot.
    devices = sim.devices()
    check("the phone lists the linked device", len(devices) == 1, devices)
    sim.unlink_all()
    status = await dt.poll(page, """requestStatus('status-unlinked').then(s => s.engineState === 'loggedOut' && s)""", timeout=15)
    check("the CRM page hears the phone's unlink (loggedOut, loggedOutByPhone)",
          status.get("engineReason") == "loggedOutByPhone" and status.get("status") != "connected", status)
    sent = await dt.evaluate(page, "sendDirect('98765 43210', 'Hello from the test CRM', 'send-1b')")
    check("send while not linked fails in plain words with the correlation id",
          sent.get("success") is False and sent.get("requestId") == "send-1b" and sent.get("debugId") == "send-1b"
          and len(sent.get("error", "")) > 10, sent)
    dialog = await dt.evaluate(page, "!!document.querySelector('[data-crm-whatsapp-dialog]')")
    check("send while not linked opens the Link WhatsApp dialog", dialog, dialog)
    reopened = await dt.evaluate(page, """(() => { document.querySelector('[data-crm-whatsapp-dialog]')?.remove();
        document.dispatchEvent(new Event('crm-whatsapp-open-qr'));
        return !!document.querySelector('[data-crm-whatsapp-dialog]'); })()""")
    check("crm-whatsapp-open-qr opens the Link WhatsApp dialog", reopened, reopened)
    await dt.send("Page.bringToFront", session=page)
    await dt.send("Emulation.setDeviceMetricsOverride", {"width": 900, "height": 800, "deviceScaleFactor": 1, "mobile": False}, session=page)
    await asyncio.sleep(0.3)
    await click_node(dt, page, await shadow_node(dt, page, "[data-crm-whatsapp-dialog]", '[data-action="linkQr"]'))
    qr_src = None
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not qr_src:
        img = await shadow_node(dt, page, "[data-crm-whatsapp-dialog]", "img.qr")
        attrs = (await dt.send("DOM.getAttributes", {"nodeId": img}, session=page))["attributes"]
        attrs = dict(zip(attrs[::2], attrs[1::2]))
        if "hidden" not in attrs and attrs.get("src", "").startswith("data:image/png;base64,"):
            qr_src = attrs["src"]
        else:
            await asyncio.sleep(0.2)
    check("the dialog's Link with QR code shows a QR image", qr_src, qr_src and qr_src[:40])
    if qr_src:
        text = decode_qr(base64.b64decode(qr_src.split(",", 1)[1]))
        check("the dialog's QR decodes (ZXing C++) to a WhatsApp linking code",
              bool(text) and text.startswith("https://wa.me/settings/linked_devices#"), text and text[:40])
        await asyncio.sleep(0.3)
        data = (await dt.send("Page.captureScreenshot", {"format": "png"}, session=page))["data"]
        shot = base64.b64decode(data)
        with open(os.path.join(artifacts, "crm-page-qr.png"), "wb") as f:
            f.write(shot)
        say("screenshot", os.path.join(artifacts, "crm-page-qr.png"))
        status, answer = sim.scan_image(shot)
        check("the phone scans the live QR from the CRM page's screenshot", status == 200 and answer.get("device"),
              {"status": status, "answer": answer})
        status = await dt.poll(page, """requestStatus('status-relinked').then(s => s.engineState === 'connected' && s)""", timeout=20)
        check("the CRM page sees the account linked again", status.get("status") == "connected", status)
        await asyncio.sleep(0.5)
        data = (await dt.send("Page.captureScreenshot", {"format": "png"}, session=page))["data"]
        with open(os.path.join(artifacts, "crm-page-relinked.png"), "wb") as f:
            f.write(base64.b64decode(data))
    with open(os.path.join(artifacts, "crm-events.json"), "w") as f:
        json.dump(await dt.evaluate(page, "crmEvents"), f, indent=1)

    ctx = await content_script_context(dt, page, contexts)
    r = await dt.evaluate(page, "chrome.runtime.sendMessage({type: 'host.ping'})", context_id=ctx)
    check("host.ping from the content script is answered", r.get("ok"), r)
    r = await dt.evaluate(page, "chrome.runtime.sendMessage({type: 'host.hello'})", context_id=ctx)
    check("host.hello from the content script is answered", r.get("ok") and r["result"].get("protocolVersion") == 1, r)
    r = await dt.evaluate(page, "chrome.runtime.sendMessage({type: 'message.send', payload: "
                                "{phone: '98765 43210', message: 'Olá ✓', clientMessageId: 'e2e-1'}})", context_id=ctx)
    check("message.send from the content script reaches the host with a valid payload",
          r.get("ok") or r["error"].get("hostName") in ENGINE_ERRORS, r)
    r = await dt.evaluate(page, "chrome.runtime.sendMessage({type: 'engine.logout'})", context_id=ctx)
    check("the content script cannot call page-only requests", not r.get("ok") and r["error"]["code"] == "senderNotAllowed", r)

    # ---- 5. the host dies: the worker reconnects by itself, the page hears about it -------------
    pids = host_pids(binary)
    events_before = await dt.evaluate(page, "crmEvents.length")
    t_kill = time.monotonic()
    for pid in pids:
        os.kill(pid, signal.SIGKILL)  # the host process our browser started for this test
    history = await dt.poll(sw, """(() => { const s = crmWhatsApp.host.status;
        return s.state === 'connected' && s.history.some(h => h.error === 'hostExited') && s.history; })()""", timeout=15)
    new_pids = host_pids(binary)
    check("after the host dies the worker reconnects to a new host process",
          len(new_pids) == 1 and new_pids != pids, {"before": pids, "after": new_pids, "seconds": round(time.monotonic() - t_kill, 2)})
    r = await dt.evaluate(popup, "chrome.runtime.sendMessage({type: 'host.ping'})")
    check("requests work again after the reconnect", r.get("ok"), r)
    seen = await dt.poll(page, """(() => { const s = crmEvents.slice(%d).filter(e => e.type === 'crm-whatsapp-status').map(e => e.detail.hostState);
        return s.includes('disconnected') && s[s.length - 1] === 'connected' && s; })()""" % events_before, timeout=10)
    check("the CRM page is told the host went away and came back", bool(seen), seen)

    # ---- 6. the manifest allows another extension: Chrome refuses, the popup says how to fix it --
    subprocess.run([os.path.join(ROOT, "install-host.sh"), "install", "--browser", "chromium", "--binary", binary,
                    "--extension-id", "a" * 32], env=env, check=True, stdout=subprocess.DEVNULL)
    await dt.evaluate(sw, "crmWhatsApp.host.reconnect()")
    error = await dt.poll(sw, "crmWhatsApp.host.status.state === 'disconnected' && crmWhatsApp.host.status.lastError", timeout=15)
    check("a manifest for another extension id gives hostForbidden in plain words",
          error.get("code") == "hostForbidden" and "install-host.sh" in error.get("message", ""), error)

    # ---- 7. host not installed: plain-language error everywhere ------------------------------
    subprocess.run([os.path.join(ROOT, "install-host.sh"), "uninstall", "--browser", "chromium"],
                   env=env, check=True, stdout=subprocess.DEVNULL)
    await dt.evaluate(sw, "crmWhatsApp.host.reconnect()")
    error = await dt.poll(sw, "crmWhatsApp.host.status.state === 'disconnected' && crmWhatsApp.host.status.lastError", timeout=15)
    check("without a manifest the worker reports hostNotInstalled",
          error.get("code") == "hostNotInstalled" and error.get("detail") == "Specified native messaging host not found.", error)
    await dt.send("Page.reload", session=popup)
    view = await dt.poll(popup, """document.body.dataset.rendered === '1' && document.body.dataset.state.startsWith('disconnected')
        && [document.getElementById('headline').textContent, document.getElementById('detail').textContent]""")
    check("popup says the helper app is not installed and how to install it",
          view[0] == "Helper app not installed" and "install-host.sh" in view[1], view)
    await screenshot(dt, popup, os.path.join(artifacts, "popup-not-installed.png"), 392)
    await dt.send("Page.reload", session=options)
    shown = await dt.poll(options, "document.body.dataset.rendered === '1' && document.body.dataset.state === 'disconnected' "
                                   "&& !document.getElementById('install-help').hidden && document.getElementById('installed').textContent")
    check("options page shows install instructions", shown == "No", shown)
    await screenshot(dt, options, os.path.join(artifacts, "options-not-installed.png"), 900)
    status = await dt.evaluate(page, "requestStatus('status-2')")
    check("the CRM page hears disconnected with the plain reason",
          status.get("status") == "disconnected" and "install-host.sh" in (status.get("problem") or ""), status)
    sent = await dt.evaluate(page, "sendDirect('9876543210', 'x', 'send-3')")
    check("a send without the host is still answered", sent.get("success") is False and sent.get("requestId") == "send-3", sent)


async def run(args):
    binary = os.path.join(os.path.abspath(args.bin), "crm-whatsapp-host")
    if not os.access(binary, os.X_OK):
        check("the host binary exists", False, binary)
        return
    artifacts = os.path.abspath(args.artifacts)
    os.makedirs(artifacts, exist_ok=True)
    work = tempfile.mkdtemp(prefix="crm-wa-e2e-")
    home = os.path.join(work, "home")
    config = os.path.join(work, "config")
    os.makedirs(home)
    env = dict(os.environ, HOME=home, XDG_CONFIG_HOME=config)
    env.pop("XDG_DATA_HOME", None)
    env.pop("CRM_WHATSAPP_DATA_DIR", None)
    # The host's engine reaches wa-sim only: its settings go through Chromium's environment to the host.
    sim = WASim(os.path.abspath(args.bin), work, os.path.join(artifacts, "wa-sim-chromium.log"))
    env.update(sim.host_env())
    # install-host.sh registers the host where Chromium reads user-level hosts: <user-data-dir>/NativeMessagingHosts.
    subprocess.run([os.path.join(ROOT, "install-host.sh"), "install", "--browser", "chromium", "--binary", binary],
                   env=env, check=True, stdout=subprocess.DEVNULL)
    installed = os.path.join(home, ".local", "lib", "crm-whatsapp", "crm-whatsapp-host")
    udd = os.path.join(config, "chromium")
    server = serve_crm_page()
    log = open(os.path.join(artifacts, "chromium.log"), "wb")
    browser = subprocess.Popen([
        args.chrome, "--headless=new", "--no-sandbox", "--user-data-dir=" + udd,
        "--load-extension=" + EXTENSION, "--disable-extensions-except=" + EXTENSION,
        "--remote-debugging-port=0", "--no-first-run", "--no-default-browser-check",
        "--disable-background-networking", "--disable-component-update", "--disable-gpu",
        "--enable-logging=stderr", "--v=0", "about:blank",
    ], env=env, stdout=log, stderr=subprocess.STDOUT)
    dt = None
    try:
        port_file = os.path.join(udd, "DevToolsActivePort")
        deadline = time.monotonic() + 30
        while not (os.path.exists(port_file) and len(open(port_file).read().split()) >= 2):
            if time.monotonic() > deadline or browser.poll() is not None:
                raise RuntimeError("Chromium did not start (see chromium.log)")
            await asyncio.sleep(0.1)
        port, path = open(port_file).read().split()[:2]
        dt = await DevTools.connect("ws://127.0.0.1:%s%s" % (port, path))
        say("Chromium", browser.pid, "DevTools on", port)
        await scenario(dt, work, installed, server.server_address[1], artifacts, env, sim)
    except Exception as error:  # a failed step is a failed check, with what happened
        check("scenario ran to the end", False, "%s: %s" % (type(error).__name__, error))
    finally:
        if dt:
            try:
                await dt.send("Browser.close", timeout=10)
            except (DevToolsError, asyncio.TimeoutError, Exception):
                pass
        try:
            browser.wait(15)
        except subprocess.TimeoutExpired:
            browser.send_signal(signal.SIGKILL)
            browser.wait()
        server.shutdown()
        sim.stop()
        log.close()
        await asyncio.sleep(2.5)  # Chrome gives a host 2 s after closing its stdin
        left = host_pids(installed)
        check("no host process is left after the browser closes", not left, left)
        for pid in left:
            os.kill(pid, signal.SIGKILL)
        if args.keep:
            say("kept", work)
        else:
            shutil.rmtree(work, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=os.environ.get("CRM_WHATSAPP_BIN", os.path.join(ROOT, ".build", "debug")))
    parser.add_argument("--artifacts", default=os.environ.get("CRM_WHATSAPP_ARTIFACTS", os.path.join(ROOT, "test-artifacts")))
    parser.add_argument("--chrome", default="/usr/lib/chromium/chromium")
    parser.add_argument("--keep", action="store_true", help="keep the temporary profile")
    args = parser.parse_args()
    os.makedirs(args.artifacts, exist_ok=True)
    asyncio.run(run(args))
    with open(os.path.join(args.artifacts, "e2e-chromium.json"), "w") as f:
        json.dump(results, f, indent=1)
    failed = [r for r in results if not r["passed"]]
    print("e2e-chromium: %d passed, %d failed" % (len(results) - len(failed), len(failed)))
    sys.exit(1 if failed or not results else 0)


if __name__ == "__main__":
    main()
