import Foundation

/// The simulated WhatsApp service's shared state: chat connections, pending faults, the keys it serves with.
///
/// Connection sessions report into it; the control API reads and changes it. It also holds the simulated
/// phones and their linked devices (SimWorld+Phones.swift).
public actor SimWorld {
    public nonisolated let serverIdentity: ServerIdentity
    var connections: [Int: ConnectionRecord] = [:]
    var nextConnectionID = 1
    var faults: [FaultRule] = []
    var nextPairRef = 1
    let maximumRecords = 1000

    // Phones, pairing and logged-in devices (SimWorld+Phones.swift).
    var phones: [String: SimPhone] = [:]
    var phoneOrder: [String] = []
    var nextPhoneNumber: UInt64 = 15_550_000_001
    var nextLID: UInt64 = 100_000_000_000_001
    var sessions: [Int: SimSession] = [:]
    var registrations: [Int: PendingRegistration] = [:]
    /// Newly linked companions (by device JID) whose phone has not yet sent its first peer message.
    var peerMessagesDue: [String: CompanionRegistration] = [:]
    var loggedIn: [Int: DeviceAddress] = [:]
    var stanzas: [Int: [StanzaShape]] = [:]
    var nextServerIQ = 1
    /// The oldest app version accepted at the handshake (`POST /config`); nil accepts any.
    var minimumVersion: (UInt32, UInt32, UInt32)?

    public init(serverIdentity: ServerIdentity) {
        self.serverIdentity = serverIdentity
    }

    // MARK: Connections

    /// Registers a new chat connection and hands it the faults that apply to it ("next" faults are used up).
    public func openConnection(tls: Bool, remote: String, path: String, origin: String?, userAgentHeader: String?)
        -> (id: Int, faults: ConnectionFaults)
    {
        let id = nextConnectionID
        nextConnectionID += 1
        connections[id] = ConnectionRecord(
            id: id, tls: tls, remote: remote, path: path, origin: origin, userAgentHeader: userAgentHeader,
            openedAt: Date())
        if connections.count > maximumRecords, let oldest = connections.keys.min() {
            connections[oldest] = nil
            stanzas[oldest] = nil
        }
        var applied: [FaultRule] = []
        var kept: [FaultRule] = []
        var usedStages: Set<String> = []
        for rule in faults {
            if !usedStages.contains(rule.stage.rawValue) {
                applied.append(rule)
                usedStages.insert(rule.stage.rawValue)
                if rule.scope == .all { kept.append(rule) }
            } else {
                kept.append(rule)
            }
        }
        faults = kept
        return (id, ConnectionFaults(rules: applied))
    }

    public func update(_ id: Int, state: ConnectionRecord.State) {
        connections[id]?.state = state
    }

    public func record(_ id: Int, event: String) {
        guard var record = connections[id] else { return }
        if record.events.count < 200 { record.events.append(event) }
        connections[id] = record
    }

    public func record(_ id: Int, payload: ConnectionRecord.Payload) {
        connections[id]?.payload = payload
    }

    public func close(_ id: Int, reason: String) {
        guard var record = connections[id], record.state != .closed else { return }
        record.state = .closed
        record.closeReason = reason
        record.closedAt = Date()
        connections[id] = record
        sessions[id] = nil
        registrations[id] = nil
        if let address = loggedIn.removeValue(forKey: id) { setOnline(address, false) }
    }

    public func allConnections() -> [ConnectionRecord] {
        connections.values.sorted { $0.id < $1.id }
    }

    public func connection(_ id: Int) -> ConnectionRecord? { connections[id] }

    // MARK: Faults

    public func addFault(_ rule: FaultRule) throws(FaultRule.ValidationError) {
        try rule.validate()
        faults.append(rule)
    }

    public func pendingFaults() -> [FaultRule] { faults }

    public func clearFaults() { faults = [] }

    // MARK: Pairing

    /// Six fresh pairing refs (docs/protocol/lower.md §5.2: whatsmeow's QR channel expects 6), `2@`-prefixed like
    /// WhatsApp's.
    public func makePairingRefs(random: () -> [UInt8]) -> [String] {
        (0..<6).map { _ in
            defer { nextPairRef += 1 }
            let tail = Data(random()).base64EncodedString()
            return "2@SIM\(nextPairRef)/\(tail)"
        }
    }
}
