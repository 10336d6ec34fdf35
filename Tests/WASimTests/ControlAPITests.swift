import WACore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import WAEngine
@testable import WASim

@Suite(.serialized) struct ControlAPITests {
    func api() throws -> (ControlAPI, SimWorld) {
        let world = SimWorld(serverIdentity: try ServerIdentity(rootPrivateKey: ServerIdentity.makeRootPrivateKey()))
        return (ControlAPI(world: world, endpoints: { .init(ws: "127.0.0.1:1") }), world)
    }

    func json(_ response: ControlResponse) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(response.body))
    }

    @Test func rootKeyIsServedAsHexAndBase64() async throws {
        let (api, world) = try api()
        let response = await api.handle(ControlRequest(method: "GET", uri: "/root-key", body: []))
        #expect(response.status == 200)
        let body = try #require(try json(response) as? [String: String])
        #expect(body["hex"] == WACore.Hex.encode(world.serverIdentity.rootPublicKey))
        #expect(body["base64"] == Data(world.serverIdentity.rootPublicKey).base64EncodedString())
    }

    @Test func faultsAreValidatedQueuedAndCleared() async throws {
        let (api, world) = try api()
        let bad = await api.handle(
            ControlRequest(method: "POST", uri: "/faults", body: Array(#"{"kind":"delay"}"#.utf8)))
        #expect(bad.status == 400)
        let wrongStage = await api.handle(
            ControlRequest(
                method: "POST", uri: "/faults", body: Array(#"{"kind":"stream-error","stage":"connect"}"#.utf8)))
        #expect(wrongStage.status == 400)
        let ok = await api.handle(
            ControlRequest(
                method: "POST", uri: "/faults", body: Array(#"{"kind":"stream-error","code":515,"scope":"all"}"#.utf8)))
        #expect(ok.status == 201)
        #expect(await world.pendingFaults() == [FaultRule(kind: .streamError, scope: .all, code: 515)])
        let cleared = await api.handle(ControlRequest(method: "DELETE", uri: "/faults", body: []))
        #expect(cleared.status == 200)
        #expect(await world.pendingFaults().isEmpty)
    }

    @Test func allFaultsStayAndNextFaultsAreUsedUp() async throws {
        let world = SimWorld(serverIdentity: try ServerIdentity(rootPrivateKey: ServerIdentity.makeRootPrivateKey()))
        try await world.addFault(FaultRule(kind: .drop, scope: .next, stage: .handshake))
        try await world.addFault(FaultRule(kind: .delay, scope: .all, stage: .clientHello, delayMs: 10))
        let first = await world.openConnection(tls: false, remote: "r", path: "/ws/chat", origin: nil, userAgentHeader: nil)
        #expect(first.faults.rules.count == 2)
        let second = await world.openConnection(tls: false, remote: "r", path: "/ws/chat", origin: nil, userAgentHeader: nil)
        #expect(second.faults.rules == [FaultRule(kind: .delay, scope: .all, stage: .clientHello, delayMs: 10)])
    }

    @Test func caIsServedOnlyWithTLS() async throws {
        let (api, _) = try api()
        let response = await api.handle(ControlRequest(method: "GET", uri: "/ca.pem", body: []))
        #expect(response.status == 404)
    }

    @Test func plannedCallsAnswerNotImplemented() async throws {
        let (api, _) = try api()
        #expect(await api.handle(ControlRequest(method: "POST", uri: "/send", body: [])).status == 501)
        #expect(await api.handle(ControlRequest(method: "GET", uri: "/nope", body: [])).status == 404)
    }

    @Test func controlServerAnswersOverHTTP() async throws {
        let (sim, _) = try await startSimulator()
        defer { Task { await sim.shutdown() } }
        let base = try #require(sim.controlURL)
        let (data, response) = try await URLSession.shared.data(from: base.appendingPathComponent("status"))
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        let status = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(status["rootPublicKey"] as? String == WACore.Hex.encode(sim.identity.rootPublicKey))
        let endpoints = try #require(status["endpoints"] as? [String: Any])
        #expect(endpoints["control"] as? String == "127.0.0.1:\(sim.controlPort ?? -1)")
        let (pem, _) = try await URLSession.shared.data(from: base.appendingPathComponent("ca.pem"))
        #expect(String(decoding: pem, as: UTF8.self).hasPrefix("-----BEGIN CERTIFICATE-----"))
    }
}

/// The phone calls of the control API and the phone page.
@Suite struct PhoneControlAPITests {
    func api(decoder: @escaping @Sendable ([UInt8]) async -> Result<String, QRImageDecoder.Failure> = { _ in .failure(.zbarimgMissing) })
        throws -> ControlAPI
    {
        let world = SimWorld(serverIdentity: try ServerIdentity(rootPrivateKey: ServerIdentity.makeRootPrivateKey()))
        return ControlAPI(world: world, endpoints: { .init() }, decodeQRImage: decoder)
    }

    func call(_ api: ControlAPI, _ method: String, _ uri: String, _ body: String = "") async -> ControlResponse {
        await api.handle(ControlRequest(method: method, uri: uri, body: Array(body.utf8)))
    }

    @Test func phonesAreCreatedListedAndServeTheirPage() async throws {
        let api = try api()
        let created = await call(api, "POST", "/phones", #"{"number": "15550001111", "pushName": "Bo"}"#)
        #expect(created.status == 201)
        let text = String(decoding: created.body, as: UTF8.self)
        #expect(text.contains(#""jid":"15550001111@s.whatsapp.net""#) && text.contains(#""pushName":"Bo""#))
        #expect(await call(api, "POST", "/phones", #"{"number": "15550001111"}"#).status == 409)
        #expect(await call(api, "POST", "/phones", #"{"number": "0123"}"#).status == 400)
        #expect(await call(api, "POST", "/phones").status == 201)
        let list = String(decoding: await call(api, "GET", "/phones").body, as: UTF8.self)
        #expect(list.contains("15550001111") && list.contains("15550000001"))
        let page = await call(api, "GET", "/phones/15550001111/page")
        #expect(page.status == 200 && page.contentType.hasPrefix("text/html"))
        let html = String(decoding: page.body, as: UTF8.self)
        #expect(html.contains("Link a device") && html.contains("Unlink") && !html.contains("http://") && !html.contains("<script src"))
        #expect(await call(api, "GET", "/phones/999/page").status == 404)
    }

    @Test func scanCallsExplainWhatIsWrong() async throws {
        let api = try api()
        _ = await call(api, "POST", "/phones", #"{"number": "15550001111"}"#)
        let bad = await call(api, "POST", "/phones/15550001111/scan", #"{"qr": "not,a,qr"}"#)
        #expect(bad.status == 400)
        let image = await call(api, "POST", "/phones/15550001111/scan-image", "PNG")
        #expect(image.status == 501)
        #expect(String(decoding: image.body, as: UTF8.self).contains("zbar-tools"))
        let code = await call(api, "POST", "/phones/15550001111/code", #"{"code": "ABCD-1234"}"#)
        #expect(code.status == 404)
        #expect(await call(api, "DELETE", "/phones/15550001111/devices/3").status == 404)
        #expect(await call(api, "POST", "/connections/42/stream-error", #"{"code": 515}"#).status == 404)
    }

    @Test func identityChangeNeedsAContactUserJIDAndALoggedInConnection() async throws {
        let world = SimWorld(serverIdentity: try ServerIdentity(rootPrivateKey: ServerIdentity.makeRootPrivateKey()))
        let api = ControlAPI(world: world, endpoints: { .init() })
        let id = await world.openConnection(tls: false, remote: "127.0.0.1:1", path: "/ws/chat", origin: nil, userAgentHeader: nil).id
        for body in [#"{}"#, #"{"jid": "nope"}"#, #"{"jid": "123@g.us"}"#, #"{"jid": "5511912345678:2@s.whatsapp.net"}"#] {
            #expect(await call(api, "POST", "/connections/\(id)/identity-change", body).status == 400, "\(body)")
        }
        let notLoggedIn = await call(api, "POST", "/connections/\(id)/identity-change", #"{"jid": "5511912345678@s.whatsapp.net"}"#)
        #expect(notLoggedIn.status == 404)
    }

    @Test func decodedScreenshotIsScannedLikePastedText() async throws {
        let api = try api { _ in .success("2@unknown-ref,AAAA,BBBB,CCCC") }
        _ = await call(api, "POST", "/phones", #"{"number": "15550001111"}"#)
        let response = await call(api, "POST", "/phones/15550001111/scan-image", "PNG")
        // The decoded text went through the same parser: bad keys.
        #expect(response.status == 400)
        #expect(String(decoding: response.body, as: UTF8.self).contains("bad QR code"))
    }
}

/// The screenshot path of the phone page, with the real `zbarimg` when it is installed.
@Suite struct QRImageDecoderTests {
    static let zbarimgInstalled = QRImageDecoder.searchPath.contains { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: zbarimgInstalled)) func screenshotOfAQRCodeDecodesToItsText() async throws {
        let text = PairingQRCode.prefix + "2@ref,AAAA,BBBB,CCCC,9"
        let png = try WAQRImage.png(for: text)
        #expect(await QRImageDecoder.decode(png) == .success(text))
        #expect(await QRImageDecoder.decode(Array("not an image".utf8)) == .failure(.noQRCode))
        #expect(await QRImageDecoder.decode([]) == .failure(.empty))
    }

    @Test func phonePageScriptIsSelfContained() {
        let html = PhonePage.html(number: "15550001111")
        #expect(html.contains("/phones/15550001111"))
        #expect(!html.contains("__NUMBER__"))
        #expect(!html.contains("src=") && !html.contains("href=\"http"))
        // The number is reduced to digits before it is put in the page.
        #expect(!PhonePage.html(number: "1<script>").contains("1<script>"))
    }
}
