import WACore
import Foundation
import WABinary

/// One control request, as the HTTP layer hands it over.
struct ControlRequest: Sendable, Equatable {
    var method: String
    var uri: String
    var body: [UInt8]

    var path: String { String(uri.split(separator: "?", maxSplits: 1).first ?? "") }
}

/// One control response.
struct ControlResponse: Sendable, Equatable {
    var status: Int
    var contentType: String
    var body: [UInt8]

    static func json(_ value: some Encodable) -> ControlResponse { json(status: 200, value) }

    static func json(status: Int, _ value: some Encodable) -> ControlResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return ControlResponse(status: status, contentType: "application/json", body: Array(data) + [0x0a])
    }

    static func error(_ status: Int, _ message: String) -> ControlResponse {
        json(status: status, ["error": message])
    }
}

/// The control API's routes (docs/wa-sim.md). Reads and changes the ``SimWorld``; never does IO itself.
struct ControlAPI: Sendable {
    let world: SimWorld
    let endpoints: @Sendable () -> Endpoints
    /// Decodes a QR code in an image (the phone page's screenshot upload); IO lives in ``QRImageDecoder``.
    var decodeQRImage: @Sendable ([UInt8]) async -> Result<String, QRImageDecoder.Failure> = { await QRImageDecoder.decode($0) }

    /// Where the simulator listens, for `GET /status`.
    struct Endpoints: Codable, Sendable, Equatable {
        var ws: String?
        var wss: String?
        var control: String?
        var caFile: String?
    }

    /// Calls that later iterations add (message routing).
    static let plannedRoutes: [(method: String, prefix: String)] = [
        ("POST", "/send"), ("GET", "/received"),
    ]

    func handle(_ request: ControlRequest) async -> ControlResponse {
        let parts = request.path.split(separator: "/").map(String.init)
        if parts.first == "phones", parts.count >= 2 {
            return await handlePhone(request, number: parts[1], rest: Array(parts.dropFirst(2)))
        }
        if parts.first == "connections", parts.count >= 2 {
            guard let id = Int(parts[1]) else { return .error(404, "no such connection") }
            return await handleConnection(request, id: id, rest: Array(parts.dropFirst(2)))
        }
        switch (request.method, parts) {
        case ("GET", ["phones"]):
            return .json(await world.allPhones())
        case ("POST", ["phones"]):
            let body = (try? JSONDecoder().decode(NewPhoneBody.self, from: Data(request.body.isEmpty ? Array("{}".utf8) : request.body)))
            guard let body else { return .error(400, "body: {\"number\"?, \"pushName\"?, \"platform\"?, \"businessName\"?}") }
            do {
                return .json(status: 201, try await world.addPhone(
                    number: body.number, pushName: body.pushName, platform: body.platform, businessName: body.businessName))
            } catch {
                return .error(error.httpStatus, error.description)
            }
        case ("POST", ["config"]):
            guard let body = try? JSONDecoder().decode(ConfigBody.self, from: Data(request.body)) else {
                return .error(400, "body: {\"minimumVersion\": \"2.3000.1040000000\" | null}")
            }
            if let text = body.minimumVersion {
                let numbers = text.split(separator: ".").compactMap { UInt32($0) }
                guard numbers.count == 3 else { return .error(400, "minimumVersion must be primary.secondary.tertiary") }
                await world.setMinimumVersion((numbers[0], numbers[1], numbers[2]))
            } else {
                await world.setMinimumVersion(nil)
            }
            return .json(body)
        case ("GET", ["status"]):
            let connections = await world.allConnections()
            return .json(
                StatusBody(
                    endpoints: endpoints(),
                    rootPublicKey: Hex.encode(world.serverIdentity.rootPublicKey),
                    connections: connections.map { .init(id: $0.id, state: $0.state.rawValue, tls: $0.tls) },
                    open: connections.filter { $0.state != .closed }.count,
                    pendingFaults: await world.pendingFaults()))
        case ("GET", ["root-key"]):
            let key = world.serverIdentity.rootPublicKey
            return .json(["hex": Hex.encode(key), "base64": Data(key).base64EncodedString()])
        case ("GET", ["ca.pem"]):
            guard let pem = world.serverIdentity.tls?.caCertificatePEM else {
                return .error(404, "TLS is not enabled (start wa-sim with --tls-dir)")
            }
            return ControlResponse(status: 200, contentType: "application/x-pem-file", body: Array(pem.utf8))
        case ("GET", ["connections"]):
            return .json(await world.allConnections())
        case ("GET", ["faults"]):
            return .json(await world.pendingFaults())
        case ("DELETE", ["faults"]):
            await world.clearFaults()
            return .json(await world.pendingFaults())
        case ("POST", ["faults"]):
            let rule: FaultRule
            do {
                rule = try JSONDecoder().decode(FaultRule.self, from: Data(request.body))
            } catch {
                return .error(400, "body must be a fault rule: {\"kind\": \"drop|delay|stream-error\", ...}")
            }
            do {
                try await world.addFault(rule)
            } catch {
                return .error(400, "invalid fault rule: \(error)")
            }
            return .json(status: 201, await world.pendingFaults())
        default:
            if Self.plannedRoutes.contains(where: { $0.method == request.method && request.path.hasPrefix($0.prefix) }) {
                return .error(501, "planned, not implemented yet (see docs/wa-sim.md)")
            }
            return .error(404, "no such call: \(request.method) \(request.path)")
        }
    }

    private func handlePhone(_ request: ControlRequest, number: String, rest: [String]) async -> ControlResponse {
        guard await world.phone(number) != nil else { return .error(404, "no phone \(number)") }
        do {
            switch (request.method, rest) {
            case ("GET", []):
                return .json(await world.phone(number))
            case ("GET", ["page"]):
                return ControlResponse(
                    status: 200, contentType: "text/html; charset=utf-8", body: Array(PhonePage.html(number: number).utf8))
            case ("POST", ["scan"]):
                guard let body = try? JSONDecoder().decode(ScanBody.self, from: Data(request.body)) else {
                    return .error(400, "body: {\"qr\": \"<the QR code's text>\"}")
                }
                return .json(["device": try await world.scan(phone: number, qrCode: body.qr)])
            case ("POST", ["scan-image"]):
                switch await decodeQRImage(request.body) {
                case .success(let text):
                    return .json(["device": try await world.scan(phone: number, qrCode: text)])
                case .failure(let failure):
                    return .error(failure.httpStatus, failure.description)
                }
            case ("POST", ["code"]):
                guard let body = try? JSONDecoder().decode(CodeBody.self, from: Data(request.body)) else {
                    return .error(400, "body: {\"code\": \"ABCD-1234\"}")
                }
                try await world.enterCode(phone: number, code: body.code)
                return .json(["status": "primary_hello sent"])
            case ("DELETE", let path) where path.count == 2 && path[0] == "devices":
                guard let device = UInt16(path[1]) else { return .error(404, "no such linked device") }
                try await world.unlink(phone: number, device: device)
                return .json(await world.phone(number))
            default:
                return .error(404, "no such call: \(request.method) \(request.path)")
            }
        } catch {
            return .error(error.httpStatus, error.description)
        }
    }

    private func handleConnection(_ request: ControlRequest, id: Int, rest: [String]) async -> ControlResponse {
        guard let record = await world.connection(id) else { return .error(404, "no such connection") }
        do {
            switch (request.method, rest) {
            case ("GET", []):
                return .json(record)
            case ("GET", ["stanzas"]):
                return .json(await world.receivedStanzas(id) ?? [])
            case ("POST", ["stream-error"]):
                guard let body = try? JSONDecoder().decode(StreamErrorBody.self, from: Data(request.body)),
                    body.code != nil || body.conflict != nil
                else { return .error(400, "body: {\"code\"?: 515, \"conflict\"?: \"replaced\"} (at least one)") }
                try await world.sendStreamError(id, code: body.code, conflict: body.conflict)
                return .json(["status": "sent"])
            case ("POST", ["prekey-low"]):
                let body = try? JSONDecoder().decode(CountBody.self, from: Data(request.body))
                try await world.sendPreKeyLow(id, count: body?.count ?? 0)
                return .json(["status": "sent"])
            case ("POST", ["identity-change"]):
                guard let body = try? JSONDecoder().decode(JIDBody.self, from: Data(request.body)),
                    let contact = try? JID(parsing: body.jid),
                    contact.server == JID.userServer || contact.server == JID.hiddenUserServer, contact.device == 0
                else { return .error(400, "body: {\"jid\": \"<user>@s.whatsapp.net\" or \"<user>@lid\"}") }
                try await world.sendIdentityChange(id, contact: contact)
                return .json(["status": "sent"])
            case ("POST", ["companion-reg-refresh"]):
                let body = try? JSONDecoder().decode(RefreshBody.self, from: Data(request.body))
                let child = body?.child ?? "companion_reg_refresh"
                guard child == "companion_reg_refresh" || child == "pair-device-rotate-qr" else {
                    return .error(400, "child must be companion_reg_refresh or pair-device-rotate-qr")
                }
                try await world.sendCompanionRegRefresh(id, childTag: child)
                return .json(["status": "sent"])
            default:
                return .error(404, "no such call: \(request.method) \(request.path)")
            }
        } catch {
            return .error(error.httpStatus, error.description)
        }
    }

    struct NewPhoneBody: Codable {
        var number: String?
        var pushName: String?
        var platform: String?
        var businessName: String?
    }

    struct ConfigBody: Codable {
        var minimumVersion: String?
    }

    struct ScanBody: Codable { var qr: String }
    struct CodeBody: Codable { var code: String }
    struct CountBody: Codable { var count: Int? }
    struct RefreshBody: Codable { var child: String? }
    struct JIDBody: Codable { var jid: String }
    struct StreamErrorBody: Codable {
        var code: Int?
        var conflict: String?
    }

    struct StatusBody: Codable {
        struct Connection: Codable {
            var id: Int
            var state: String
            var tls: Bool
        }
        var endpoints: Endpoints
        var rootPublicKey: String
        var connections: [Connection]
        var open: Int
        var pendingFaults: [FaultRule]
    }
}
