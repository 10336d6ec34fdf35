import Foundation

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

    /// Where the simulator listens, for `GET /status`.
    struct Endpoints: Codable, Sendable, Equatable {
        var ws: String?
        var wss: String?
        var control: String?
        var caFile: String?
    }

    /// Calls that later iterations add (pairing with a simulated phone, message routing).
    static let plannedRoutes: [(method: String, prefix: String)] = [
        ("POST", "/phones"), ("GET", "/phones"), ("POST", "/scan"), ("POST", "/send"), ("GET", "/received"),
    ]

    func handle(_ request: ControlRequest) async -> ControlResponse {
        let parts = request.path.split(separator: "/").map(String.init)
        if request.method == "GET", parts.count == 2, parts[0] == "connections" {
            guard let id = Int(parts[1]), let record = await world.connection(id) else {
                return .error(404, "no such connection")
            }
            return .json(record)
        }
        switch (request.method, parts) {
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
