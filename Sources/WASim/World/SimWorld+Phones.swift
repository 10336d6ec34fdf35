import Foundation
import SignalProtocol
import WABinary
import WAProto

/// A phone number and device: who a logged-in connection is.
struct DeviceAddress: Sendable, Equatable {
    var number: String
    var device: UInt16
}

/// A registration connection waiting to be linked (docs/protocol/lower.md §5.2–§5.6).
struct PendingRegistration: Sendable {
    var registration: CompanionRegistration
    var noiseKey: [UInt8]
    var refs: [String]
    var refsIssuedAt: Date
    var pairSuccess: PendingPairSuccess?
    var code: CodePairing?
}

/// pair-success sent; the companion's `pair-device-sign` is awaited.
struct PendingPairSuccess: Sendable {
    var iqID: String
    var number: String
    var device: UInt16
    var issued: ADVPairing.Issued
    var platform: String?
}

/// Why a control call about phones is refused (HTTP status and message in the control API).
public enum PhoneError: Error, Equatable, CustomStringConvertible {
    case noSuchPhone(String)
    case phoneExists(String)
    case invalidNumber(String)
    case badQRCode(PairingQRCode.ParseError)
    case unknownRef
    case expiredRef
    case keysDoNotMatch
    case pairingInProgress
    case noSuchDevice
    case noSuchConnection
    case noCodePairing
    case wrongCode
    case notConnected

    public var httpStatus: Int {
        switch self {
        case .noSuchPhone, .noSuchDevice, .noSuchConnection, .unknownRef, .noCodePairing: 404
        case .phoneExists, .pairingInProgress, .notConnected: 409
        case .expiredRef: 410
        default: 400
        }
    }

    public var description: String {
        switch self {
        case .noSuchPhone(let number): "no phone \(number)"
        case .phoneExists(let number): "phone \(number) exists"
        case .invalidNumber(let number): "not a phone number (digits only, 7–15, no leading 0): \(number)"
        case .badQRCode(let error): "bad QR code: \(error)"
        case .unknownRef: "no waiting companion has this ref"
        case .expiredRef: "this QR code has expired"
        case .keysDoNotMatch: "the QR's keys are not the companion's"
        case .pairingInProgress: "pair-success already sent to this companion"
        case .noSuchDevice: "no such linked device"
        case .noSuchConnection: "no such open connection"
        case .noCodePairing: "no companion is waiting for a code for this phone"
        case .wrongCode: "the code does not open the companion's key"
        case .notConnected: "the connection is not established"
        }
    }
}

extension SimWorld {
    /// How long each ref of a `pair-device` batch is valid, from the batch (docs/protocol/lower.md §5.4): the first 60 s, the others
    /// 20 s each after it, plus a little grace for a phone that scans at the last moment.
    static func refDeadline(index: Int) -> TimeInterval {
        60 + 20 * TimeInterval(index) + 5
    }

    // MARK: Phones

    /// Creates a phone with a fresh identity key. Missing fields get defaults (next free number, LID, push name).
    public func addPhone(
        number: String? = nil, pushName: String? = nil, platform: String? = nil, businessName: String? = nil
    ) throws(PhoneError) -> SimPhone.View {
        let chosen = number ?? String(nextPhoneNumber)
        guard chosen.count >= 7, chosen.count <= 15, chosen.allSatisfy(\.isASCIIDigit), !chosen.hasPrefix("0") else {
            throw .invalidNumber(chosen)
        }
        guard phones[chosen] == nil else { throw .phoneExists(chosen) }
        if number == nil { nextPhoneNumber += 1 }
        var random = SystemRandomNumberGenerator()
        let phone = SimPhone(
            number: chosen, lid: String(nextLID), pushName: pushName ?? "Sim \(chosen.suffix(4))",
            platform: platform ?? (businessName == nil ? "android" : "smba"), businessName: businessName,
            identity: KeyHelper.generateIdentityKeyPair(using: &random), rawID: UInt32.random(in: 1...UInt32.max))
        nextLID += 1
        phones[chosen] = phone
        phoneOrder.append(chosen)
        return phone.view
    }

    public func allPhones() -> [SimPhone.View] { phoneOrder.compactMap { phones[$0]?.view } }

    public func phone(_ number: String) -> SimPhone.View? { phones[number]?.view }

    /// The phone's identity public key (tests check ADV signatures with it).
    public func phoneIdentityKey(_ number: String) -> [UInt8]? { phones[number]?.identity.publicKey.rawRepresentation }

    func setOnline(_ address: DeviceAddress, _ online: Bool) {
        guard var phone = phones[address.number], let index = phone.devices.firstIndex(where: { $0.device == address.device })
        else { return }
        phone.devices[index].online = online
        phones[address.number] = phone
    }

    // MARK: Sessions

    func attach(_ id: Int, session: SimSession) { sessions[id] = session }

    func recordStanza(_ id: Int, _ node: BinaryNode) {
        guard connections[id] != nil else { return }
        var list = stanzas[id] ?? []
        guard list.count < 500 else { return }
        list.append(StanzaShape(node))
        stanzas[id] = list
    }

    /// The stanzas connection `id` sent, in order.
    public func receivedStanzas(_ id: Int) -> [StanzaShape]? {
        connections[id] == nil ? nil : (stanzas[id] ?? [])
    }

    func makeServerIQID(_ prefix: String) -> String {
        defer { nextServerIQ += 1 }
        return "\(prefix)-\(nextServerIQ)"
    }

    // MARK: Registration and QR pairing (docs/protocol/lower.md §5.2–§5.6)

    /// A registration connection gets its refs.
    func beginRegistration(_ id: Int, registration: CompanionRegistration, noiseKey: [UInt8], now: Date) -> [String] {
        let refs = makePairingRefs { (0..<9).map { _ in UInt8.random(in: 0...255) } }
        registrations[id] = PendingRegistration(
            registration: registration, noiseKey: noiseKey, refs: refs, refsIssuedAt: now)
        return refs
    }

    /// A phone scans a QR code: the server sends `pair-success` to the companion's connection (docs/protocol/lower.md §5.5, §5.6).
    /// Returns the new device's JID; the device is listed once its `pair-device-sign` checks out.
    public func scan(phone number: String, qrCode text: String, now: Date = Date()) async throws(PhoneError) -> String {
        guard phones[number] != nil else { throw .noSuchPhone(number) }
        let code: PairingQRCode
        do { code = try PairingQRCode(parsing: text) } catch { throw .badQRCode(error) }
        guard let (id, pending) = registrations.first(where: { $0.value.refs.contains(code.ref) }) else { throw .unknownRef }
        let index = pending.refs.firstIndex(of: code.ref) ?? 0
        guard now.timeIntervalSince(pending.refsIssuedAt) < Self.refDeadline(index: index) else { throw .expiredRef }
        guard code.noiseKey == pending.noiseKey, code.identityKey == pending.registration.identityKey else {
            throw .keysDoNotMatch
        }
        return try await sendPairSuccess(
            to: id, phone: number, advSecret: code.advSecret, platform: code.platformID, now: now)
    }

    func sendPairSuccess(
        to id: Int, phone number: String, advSecret: [UInt8], platform: String?, now: Date
    ) async throws(PhoneError) -> String {
        guard var pending = registrations[id], let session = sessions[id] else { throw .noSuchConnection }
        guard pending.pairSuccess == nil else { throw .pairingInProgress }
        guard var phone = phones[number] else { throw .noSuchPhone(number) }
        let device = phone.nextDevice
        let keyIndex = phone.nextKeyIndex
        phone.nextDevice += 1
        phone.nextKeyIndex += 1
        phones[number] = phone
        let issued = ADVPairing.issue(
            phoneIdentity: phone.identity, companionIdentity: pending.registration.identityKey, advSecret: advSecret,
            rawID: phone.rawID, timestamp: UInt64(now.timeIntervalSince1970), keyIndex: keyIndex)
        let iqID = makeServerIQID("ps")
        pending.pairSuccess = PendingPairSuccess(
            iqID: iqID, number: number, device: device, issued: issued,
            platform: platform ?? pending.registration.os)
        registrations[id] = pending
        let jid = JID(user: number, device: device, server: JID.userServer)
        let lid = JID(user: phone.lid, device: device, server: JID.hiddenUserServer)
        var props = WACompanionReg_ClientPairingProps()
        props.isChatDbLidMigrated = true
        props.isSyncdPureLidSession = true
        let node = ServerNodes.pairSuccess(
            id: iqID, time: now, deviceIdentity: issued.deviceIdentityHMAC, jid: jid, lid: lid,
            platform: phone.platform, businessName: phone.businessName,
            clientProps: (try? props.serializedBytes()) ?? [])
        await session.push(node, note: "sent pair-success for \(jid) key-index \(keyIndex)")
        return jid.description
    }

    /// What the session does after the companion answered pair-success.
    enum PairingOutcome: Equatable {
        /// Linked: send 515 and close.
        case linked(String)
        /// The reply was refused: close with a stream error.
        case refused(String)
        /// Not an answer to our pair-success.
        case notOurs
    }

    /// The companion's answer to pair-success: `pair-device-sign` (checked, docs/protocol/lower.md §5.6) or an error IQ.
    func completePairing(_ id: Int, reply: BinaryNode, now: Date = Date()) -> PairingOutcome {
        guard var pending = registrations[id], let success = pending.pairSuccess, reply.string("id") == success.iqID
        else { return .notOurs }
        guard var phone = phones[success.number] else { return .refused("phone gone") }
        if reply.string("type") == "error" {
            let error = reply.child("error")
            pending.pairSuccess = nil
            registrations[id] = pending
            return .refused("companion refused pair-success: \(error?.string("code") ?? "?") \(error?.string("text") ?? "")")
        }
        let sign = reply.child(path: "pair-device-sign", "device-identity")
        do {
            try ADVPairing.verifySign(
                deviceIdentity: sign?.contentBytes, keyIndex: sign?.string("key-index"), issued: success.issued,
                companionIdentity: pending.registration.identityKey,
                phoneIdentity: phone.identity.publicKey.rawRepresentation)
        } catch {
            pending.pairSuccess = nil
            registrations[id] = pending
            return .refused("pair-device-sign refused: \(error)")
        }
        let linked = LinkedDevice(
            device: success.device, jid: JID(user: phone.number, device: success.device, server: JID.userServer).description,
            lid: JID(user: phone.lid, device: success.device, server: JID.hiddenUserServer).description,
            noiseKey: Hex.encode(pending.noiseKey), identityKey: Hex.encode(pending.registration.identityKey),
            registrationID: pending.registration.registrationID, keyIndex: success.issued.keyIndex,
            platform: success.platform, linkedAt: now, preKeyCount: 0,
            signedPreKeyID: pending.registration.signedPreKeyID, online: false)
        phone.devices.append(linked)
        phones[phone.number] = phone
        peerMessagesDue[linked.jid] = pending.registration
        registrations[id] = nil
        return .linked(linked.jid)
    }

    /// The server asks the waiting companion to rotate its ADV secret (docs/protocol/lower.md §5.4 `companion_reg_refresh`).
    public func sendCompanionRegRefresh(_ id: Int, childTag: String = "companion_reg_refresh") async throws(PhoneError) {
        guard registrations[id] != nil, let session = sessions[id] else { throw .noSuchConnection }
        let node = BinaryNode(
            tag: "notification",
            attributes: [
                "from": ServerNodes.server, "type": "companion_reg_refresh", "id": .string(makeServerIQID("crr")),
                "t": .string(String(Int(Date().timeIntervalSince1970))),
            ],
            children: [BinaryNode(tag: childTag)])
        await session.push(node, note: "sent companion_reg_refresh notification")
    }

    // MARK: Login (docs/protocol/lower.md §3.2 b, §6.1)

    enum LoginOutcome: Equatable {
        case success(BinaryNode)
        case unknownDevice
    }

    /// A login payload: `<success>` for a linked device whose Noise key matches, else unknown (401). A
    /// connection already logged in as the same device is replaced (440 conflict).
    func login(_ id: Int, username: UInt64, device: UInt32, noiseKey: [UInt8], now: Date = Date()) async -> LoginOutcome {
        let number = String(username)
        guard let phone = phones[number], device <= UInt32(UInt16.max),
            let linked = phone.devices.first(where: { $0.device == UInt16(device) }),
            linked.noiseKey == Hex.encode(noiseKey)
        else { return .unknownDevice }
        let address = DeviceAddress(number: number, device: UInt16(device))
        for (other, otherAddress) in loggedIn where otherAddress == address && other != id {
            loggedIn[other] = nil
            await sessions[other]?.end(
                with: ServerNodes.streamError(code: nil, conflict: "replaced"), note: "sent stream:error conflict replaced",
                reason: "replaced by connection \(id)")
        }
        loggedIn[id] = address
        setOnline(address, true)
        let lid = JID(user: phone.lid, device: UInt16(device), server: JID.hiddenUserServer)
        return .success(ServerNodes.success(time: now, lid: lid, creation: linked.linkedAt))
    }

    /// After a newly linked companion's first `<success>`, its phone sends it a peer message (``PeerMessage``) whose
    /// `notify` is the account's push name. Once per link.
    func sendPeerMessageIfDue(_ id: Int, now: Date = Date()) async {
        guard let address = loggedIn[id], let phone = phones[address.number], let session = sessions[id] else { return }
        let jid = JID(user: address.number, device: address.device, server: JID.userServer).description
        guard let companion = peerMessagesDue.removeValue(forKey: jid) else { return }
        var random = SystemRandomNumberGenerator()
        do {
            let node = try PeerMessage.node(
                from: phone, to: companion, device: address.device, id: PeerMessage.makeID(using: &random), now: now,
                using: &random)
            await session.push(node, note: "sent peer message (pkmsg, notify = push name)")
        } catch {
            record(id, event: "peer message not sent: \(error)")
        }
    }

    /// Who connection `id` is logged in as.
    func address(of id: Int) -> DeviceAddress? { loggedIn[id] }

    // MARK: Pre-keys (docs/protocol/lower.md §6.1)

    /// Answers an `encrypt` IQ of a logged-in device: `<count/>` gets the stored count; an upload is checked
    /// (key type, identity, 3-byte IDs, 32-byte keys, the signed pre-key's signature) and stored.
    func answerEncrypt(_ id: Int, _ iq: BinaryNode) -> BinaryNode {
        guard let address = loggedIn[id], var phone = phones[address.number],
            let index = phone.devices.firstIndex(where: { $0.device == address.device })
        else { return ServerNodes.error(to: iq, code: 401, text: "not-authorized") }
        if iq.string("type") == "get", iq.child("count") != nil {
            return ServerNodes.result(
                to: iq,
                children: [BinaryNode(tag: "count", attributes: ["value": .string(String(phone.devices[index].preKeyCount))])])
        }
        if iq.string("type") == "get", iq.child("digest") != nil {
            return ServerNodes.error(to: iq, code: 404, text: "item-not-found")
        }
        guard iq.string("type") == "set", iq.child("list") != nil else {
            return ServerNodes.error(to: iq, code: 501, text: "feature-not-implemented")
        }
        switch PreKeyUpload.check(iq, identityKey: Hex.decode(phone.devices[index].identityKey) ?? []) {
        case .success(let upload):
            phone.devices[index].preKeyCount = min(phone.devices[index].preKeyCount + upload.preKeyCount, 10_000)
            phone.devices[index].signedPreKeyID = upload.signedPreKeyID
            phones[address.number] = phone
            return ServerNodes.result(to: iq)
        case .failure:
            return ServerNodes.error(to: iq, code: 400, text: "bad-request")
        }
    }

    /// Sends `<notification type="encrypt"><count value=N/></notification>` (docs/protocol/lower.md §6.1: fewer than 5 makes
    /// whatsmeow upload more).
    public func sendPreKeyLow(_ id: Int, count: Int) async throws(PhoneError) {
        guard loggedIn[id] != nil, let session = sessions[id] else { throw .noSuchConnection }
        let node = BinaryNode(
            tag: "notification",
            attributes: [
                "from": ServerNodes.server, "type": "encrypt", "id": .string(makeServerIQID("enc")),
                "t": .string(String(Int(Date().timeIntervalSince1970))),
            ],
            children: [BinaryNode(tag: "count", attributes: ["value": .string(String(count))])])
        await session.push(node, note: "sent encrypt notification count=\(count)")
    }

    /// Tells a logged-in companion that contact `contact` has a new identity key (they reinstalled WhatsApp):
    /// `<notification from="<contact>" type="encrypt"><identity/></notification>` (docs/protocol/upper.md §1.11).
    /// The companion acks it like any notification (docs/protocol/lower.md §6.5).
    public func sendIdentityChange(_ id: Int, contact: JID) async throws(PhoneError) {
        guard loggedIn[id] != nil, let session = sessions[id] else { throw .noSuchConnection }
        let node = BinaryNode(
            tag: "notification",
            attributes: [
                "from": .jid(contact), "type": "encrypt", "id": .string(makeServerIQID("idc")),
                "t": .string(String(Int(Date().timeIntervalSince1970))),
            ],
            children: [BinaryNode(tag: "identity")])
        await session.push(node, note: "sent encrypt identity notification from \(contact)")
    }

    /// The companion logs itself out (`<remove-companion-device>`, docs/protocol/lower.md §6.1).
    func removeSelf(_ id: Int) {
        guard let address = loggedIn[id], var phone = phones[address.number] else { return }
        phone.devices.removeAll { $0.device == address.device }
        phones[address.number] = phone
        loggedIn[id] = nil
    }

    // MARK: Control: stream errors, unlink

    /// Sends a stream error to an open connection, then `xmlstreamend`, and closes it (docs/protocol/lower.md §6.3).
    public func sendStreamError(_ id: Int, code: Int?, conflict: String?) async throws(PhoneError) {
        guard let session = sessions[id] else { throw .noSuchConnection }
        await session.end(
            with: ServerNodes.streamError(code: code, conflict: conflict),
            note: "sent stream:error code=\(code.map(String.init) ?? "-") conflict=\(conflict ?? "-")",
            reason: "stream error sent on request")
    }

    /// The phone removes a linked device: its live connections get `401` + `device_removed` (docs/protocol/lower.md §6.3).
    public func unlink(phone number: String, device: UInt16) async throws(PhoneError) {
        guard var phone = phones[number] else { throw .noSuchPhone(number) }
        guard phone.devices.contains(where: { $0.device == device }) else { throw .noSuchDevice }
        phone.devices.removeAll { $0.device == device }
        phones[number] = phone
        let address = DeviceAddress(number: number, device: device)
        for (id, other) in loggedIn where other == address {
            loggedIn[id] = nil
            await sessions[id]?.end(
                with: ServerNodes.streamError(code: 401, conflict: "device_removed"),
                note: "sent stream:error 401 device_removed", reason: "device removed by the phone")
        }
    }

    /// Sets the oldest app version accepted (405 below it).
    public func setMinimumVersion(_ version: (UInt32, UInt32, UInt32)?) { minimumVersion = version }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
