/// The demo page of one simulated phone, served by the control listener at `GET /phones/<number>/page`:
/// "Link a device" (paste or upload a screenshot of the QR code, paste its text, or type the 8-character code)
/// and the list of linked devices with an Unlink button. Plain HTML and JS, no external assets.
enum PhonePage {
    static func html(number: String) -> String {
        let safeNumber = number.filter(\.isNumber)
        return template.replacingOccurrences(of: "__NUMBER__", with: safeNumber)
    }

    private static let template = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Simulated phone +__NUMBER__</title>
        <style>
        body{font-family:system-ui,sans-serif;max-width:34rem;margin:1.5rem auto;padding:0 1rem;color:#111b21}
        h1{font-size:1.3rem;margin-bottom:.2rem} .sub{color:#667781;margin-top:0}
        section{border:1px solid #d1d7db;border-radius:.6rem;padding:1rem;margin:1rem 0}
        h2{font-size:1.05rem;margin-top:0} textarea,input{width:100%;box-sizing:border-box;font:inherit;padding:.4rem}
        button{font:inherit;padding:.35rem .9rem;margin-top:.4rem;border-radius:.4rem;border:1px solid #008069;
        background:#008069;color:#fff;cursor:pointer} button.secondary{background:#fff;color:#008069}
        #message{min-height:1.4rem;font-weight:600} .error{color:#b00020} .ok{color:#008069}
        ul{padding-left:1.1rem} li{margin:.4rem 0} .dim{color:#667781;font-size:.9rem}
        </style></head>
        <body>
        <h1 id="title">Simulated phone +__NUMBER__</h1>
        <p class="sub" id="account"></p>
        <p class="dim">This page plays the phone: it does what WhatsApp → Settings → Linked devices does on a real
        phone. Nothing here reaches WhatsApp.</p>
        <p id="message" role="status"></p>
        <section>
          <h2>Link a device</h2>
          <p><b>QR code:</b> the phone's camera is this page. Paste the QR code here (Ctrl+V): a screenshot of it,
          or the image itself (right-click the QR code → Copy image). Or choose an image file:
          <input type="file" id="image" accept="image/*"></p>
          <label for="qr">Or paste the QR code's text</label>
          <textarea id="qr" rows="2" placeholder="https://wa.me/settings/linked_devices#…"></textarea>
          <button id="scan" class="secondary">Link with QR text</button>
          <p><label for="code"><b>Phone number:</b> after “Link with phone number” on the computer, type the
          8-character code it shows</label></p>
          <input id="code" maxlength="9" placeholder="ABCD-1234" autocomplete="off">
          <button id="sendcode" class="secondary">Enter code</button>
        </section>
        <section>
          <h2>Linked devices</h2>
          <ul id="devices"><li class="dim">None</li></ul>
        </section>
        <script>
        const base = "/phones/__NUMBER__";
        const message = document.getElementById("message");
        function say(text, ok) { message.textContent = text; message.className = ok ? "ok" : "error"; }
        async function call(method, path, body, type) {
          const init = {method, headers: {}};
          if (body !== undefined) { init.body = body; init.headers["Content-Type"] = type || "application/json"; }
          const response = await fetch(base + path, init);
          const data = await response.json().catch(() => ({}));
          if (!response.ok) throw new Error(data.error || ("HTTP " + response.status));
          return data;
        }
        async function refresh() {
          try {
            const phone = await call("GET", "");
            document.getElementById("account").textContent = phone.pushName + " · " + phone.platform + " · LID " + phone.lid;
            const list = document.getElementById("devices");
            list.replaceChildren();
            if (phone.devices.length === 0) {
              const li = document.createElement("li"); li.className = "dim"; li.textContent = "None"; list.append(li);
            }
            for (const device of phone.devices) {
              const li = document.createElement("li");
              li.textContent = device.jid + " · platform " + (device.platform || "unknown") + (device.online ? " · online " : " · offline ");
              const button = document.createElement("button");
              button.className = "secondary"; button.textContent = "Unlink";
              button.onclick = async () => {
                try { await call("DELETE", "/devices/" + device.device); say("Unlinked " + device.jid, true); }
                catch (error) { say(error.message, false); }
                refresh();
              };
              li.append(" ", button); list.append(li);
            }
          } catch (error) { say(error.message, false); }
        }
        document.getElementById("scan").onclick = async () => {
          try {
            const result = await call("POST", "/scan", JSON.stringify({qr: document.getElementById("qr").value}));
            say("Linking " + result.device + "…", true);
          } catch (error) { say(error.message, false); }
          setTimeout(refresh, 1500);
        };
        async function sendImage(blob) {
          try {
            const result = await call("POST", "/scan-image", blob, blob.type || "application/octet-stream");
            say("Linking " + result.device + "…", true);
          } catch (error) { say(error.message, false); }
          setTimeout(refresh, 1500);
        }
        document.getElementById("image").onchange = (event) => { const f = event.target.files[0]; if (f) sendImage(f); };
        document.addEventListener("paste", (event) => {
          for (const item of event.clipboardData.items) {
            if (item.type.startsWith("image/")) { event.preventDefault(); sendImage(item.getAsFile()); return; }
          }
        });
        document.getElementById("sendcode").onclick = async () => {
          try {
            await call("POST", "/code", JSON.stringify({code: document.getElementById("code").value}));
            say("Code entered; waiting for the computer to finish…", true);
          } catch (error) { say(error.message, false); }
          setTimeout(refresh, 3000);
        };
        refresh();
        setInterval(refresh, 5000);
        </script>
        </body></html>
        """
}
