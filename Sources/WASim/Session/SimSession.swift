import Foundation
import WABinary
import WANoise
import WAProto

/// One chat connection on the server side: feeds inbound WebSocket messages to a
/// ``ServerConnectionStateMachine``, performs what it returns, plays the server's part after the handshake
/// (pair-device, failure, IQ answers), applies faults, and reports to the world.
actor SimSession {
    let id: Int
    private var machine: ServerConnectionStateMachine
    private let faults: ConnectionFaults
    private let world: SimWorld
    private let handlers: IQHandlerRegistry
    private let output: any SessionOutput
    private var closeReason: String?
    private var pendingPairDeviceID: String?
    /// A stream error was sent; the connection closes soon.
    private var ending = false

    init(id: Int, faults: ConnectionFaults, world: SimWorld, handlers: IQHandlerRegistry, output: any SessionOutput) {
        self.id = id
        self.faults = faults
        self.world = world
        self.handlers = handlers
        self.output = output
        self.machine = ServerConnectionStateMachine(identity: world.serverIdentity, ephemeralKey: .generate())
    }

    func run(inbound: AsyncStream<SessionInput>) async {
        if await applyFault(at: .connect) {
            var sawClientHello = false
            for await input in inbound {
                let actions: [ServerConnectionStateMachine.Action]
                switch input {
                case .binary(let message):
                    if !sawClientHello {
                        sawClientHello = true
                        if await !applyFault(at: .clientHello) { return await finish() }
                    }
                    actions = machine.received(message)
                case .text:
                    actions = machine.receivedText()
                }
                for action in actions {
                    await perform(action)
                    if closeReason != nil { break }
                }
                if closeReason != nil { break }
            }
        }
        await finish()
    }

    private func finish() async {
        if closeReason == nil { closeReason = ending ? "client closed after the stream error" : "client closed" }
        await output.close()
        await world.close(id, reason: closeReason ?? "closed")
    }

    /// Applies the fault for `stage`, if any. Returns false when the connection was dropped.
    private func applyFault(at stage: FaultRule.Stage) async -> Bool {
        guard let rule = faults.rule(at: stage) else { return true }
        switch rule.kind {
        case .drop:
            await world.record(id, event: "fault: drop at \(stage.rawValue)")
            closeReason = "fault: drop at \(stage.rawValue)"
            await output.close()
            return false
        case .delay:
            let ms = rule.delayMs ?? 0
            await world.record(id, event: "fault: delay \(ms) ms at \(stage.rawValue)")
            try? await Task.sleep(for: .milliseconds(ms))
            return true
        case .streamError, .failure:
            return true  // sent after the handshake, with the transport keys (afterHandshake)
        }
    }

    private func perform(_ action: ServerConnectionStateMachine.Action) async {
        switch action {
        case .send(let bytes):
            output.send(bytes)
        case .close(let reason):
            await close(reason.description)
        case .stateChanged(let state):
            await world.update(id, state: state)
        case .event(let text):
            await world.record(id, event: text)
        case .handshakeCompleted(let payload, let clientStaticKey):
            await afterHandshake(clientPayload: payload, clientStaticKey: clientStaticKey)
        case .received(let node):
            await route(node)
        }
    }

    private func close(_ reason: String) async {
        guard closeReason == nil else { return }
        closeReason = reason
        await world.record(id, event: "closed: \(reason)")
        await output.close()
    }

    private func send(_ node: BinaryNode, note: String) async {
        guard let frame = machine.encode(node) else { return }
        output.send(frame)
        await world.record(id, event: note)
    }

    /// Sends one node (for the world: pair-success, notifications).
    func push(_ node: BinaryNode, note: String) async {
        guard closeReason == nil else { return }
        await send(node, note: note)
    }

    /// Sends `node` (a stream error), then `<xmlstreamend/>`, and closes once the client has closed, or after
    /// ``endGrace`` (docs/protocol/lower.md §6.3). Closing at once can beat the client's handling of the stream error: whatsmeow
    /// drops a 515 that arrives just before the socket's EOF and then never reconnects.
    func end(with node: BinaryNode, note: String, reason: String) async {
        guard closeReason == nil, !ending else { return }
        ending = true
        await send(node, note: note)
        await send(ServerNodes.streamEnd, note: "sent xmlstreamend")
        Task {
            try? await Task.sleep(for: Self.endGrace)
            await self.close(reason)
        }
    }

    /// The ack of pair-device, recognised by its full shape (docs/protocol/lower.md §5.2):
    /// `<iq to="s.whatsapp.net" id=<the pair-device id> type="result"/>` with no content.
    static func isPairDeviceAck(_ node: BinaryNode, id: String) -> Bool {
        node.tag == "iq" && node.string("type") == "result" && node.string("id") == id
            && node.jid("to") == JID.serverJID && node.content == .none
    }

    /// How long the server waits for the client to close after a stream error.
    static let endGrace: Duration = .seconds(2)

    /// What WhatsApp does once the ClientFinish checks out (docs/protocol/lower.md §2.3, §3): check the
    /// ClientPayload, then `pair-device` after a registration, `<success>`/`<failure>` after a login.
    private func afterHandshake(clientPayload: [UInt8], clientStaticKey: [UInt8]) async {
        guard await applyFault(at: .handshake) else { return }
        if let rule = faults.rule(at: .handshake), rule.kind == .streamError {
            await send(ServerNodes.streamError(code: rule.code, conflict: rule.conflict), note: "fault: sent stream:error")
            await send(ServerNodes.streamEnd, note: "sent xmlstreamend")
            await close("fault: stream error")
            return
        }
        guard let payload = ConnectionRecord.Payload(serialized: clientPayload) else {
            await close("ClientPayload does not parse")
            return
        }
        await world.record(id, payload: payload)
        await world.attach(id, session: self)
        if let rule = faults.rule(at: .handshake), rule.kind == .failure, let reason = rule.reason {
            await send(
                ServerNodes.failure(reason: reason, location: "sim", code: rule.code, expire: rule.expire),
                note: "fault: sent failure reason=\(reason)")
            await close("fault: failure \(reason)")
            return
        }
        let verdict: ClientPayloadCheck.Verdict
        do {
            verdict = try ClientPayloadCheck.check(clientPayload, minimumVersion: await world.minimumVersion)
        } catch {
            await send(
                ServerNodes.failure(reason: error.failureReason, location: "sim", code: nil, expire: nil),
                note: "sent failure reason=\(error.failureReason) (\(error))")
            await close("ClientPayload refused: \(error)")
            return
        }
        switch verdict {
        case .registration(let registration):
            let refs = await world.beginRegistration(
                id, registration: registration, noiseKey: clientStaticKey, now: Date())
            let iqID = await world.makeServerIQID("pd")
            pendingPairDeviceID = iqID
            await send(
                ServerNodes.pairDevice(id: iqID, refs: refs),
                note: "sent pair-device with \(refs.count) refs; first ref \(refs.first ?? "")")
        case .login(let username, let device):
            switch await world.login(id, username: username, device: device, noiseKey: clientStaticKey) {
            case .success(let node):
                await send(node, note: "sent success")
                await world.sendPeerMessageIfDue(id)
            case .unknownDevice:
                await send(
                    ServerNodes.failure(reason: 401, location: "sim", code: nil, expire: nil),
                    note: "sent failure reason=401 (unknown device)")
                await close("login for an unknown device")
            }
        }
    }

    /// A node from the client: acks of our IQs, the pairing replies, IQs for the handlers.
    private func route(_ node: BinaryNode) async {
        await world.recordStanza(id, node)
        guard node.tag == "iq", let type = node.string("type"), let iqID = node.string("id") else {
            await world.record(id, event: "received <\(node.tag)\(node.string("type").map { " type=\($0)" } ?? "")>")
            return
        }
        if type == "result" || type == "error" {
            if iqID == pendingPairDeviceID {
                guard Self.isPairDeviceAck(node, id: iqID) else {
                    await world.record(id, event: "pair-device answer refused (not type=result to=s.whatsapp.net, empty)")
                    return
                }
                pendingPairDeviceID = nil
                await world.record(id, event: "pair-device acked")
                return
            }
            switch await world.completePairing(id, reply: node) {
            case .linked(let jid):
                await world.record(id, event: "pair-device-sign verified; linked \(jid)")
                await end(
                    with: ServerNodes.streamError(code: 515, conflict: nil), note: "sent stream:error 515",
                    reason: "restart after pairing")
            case .refused(let why):
                await world.record(id, event: why)
                await end(
                    with: ServerNodes.streamError(code: 401, conflict: nil), note: "sent stream:error 401",
                    reason: "pairing refused")
            case .notOurs:
                await world.record(id, event: "received iq \(type) id=\(iqID)")
            }
            return
        }
        guard type == "get" || type == "set" else {
            await world.record(id, event: "received iq type=\(type)")
            return
        }
        let xmlns = node.string("xmlns") ?? "-"
        var reply: BinaryNode
        var followUp = SimWorld.LinkCodeFollowUp.none
        switch xmlns {
        case "encrypt":
            reply = await world.answerEncrypt(id, node)
        case "passive":
            let mode = node.children.first?.tag ?? "-"
            await world.record(id, event: "passive: \(mode)")
            reply = ServerNodes.result(to: node)
        case "md" where node.child("link_code_companion_reg") != nil:
            (reply, followUp) = await world.answerLinkCode(id, node)
        case "md" where node.child("remove-companion-device") != nil:
            await world.removeSelf(id)
            reply = ServerNodes.result(to: node)
        default:
            reply = handlers.answer(node)
        }
        await send(reply, note: "answered iq xmlns=\(xmlns) type=\(type)")
        if case .pairSuccess(let number, let advSecret, let platform) = followUp {
            do {
                _ = try await world.sendPairSuccess(
                    to: id, phone: number, advSecret: advSecret, platform: platform, now: Date())
            } catch {
                await world.record(id, event: "pair-success not sent: \(error)")
            }
        }
    }
}

/// What the listener feeds a session.
enum SessionInput: Sendable {
    case binary([UInt8])
    case text
}
