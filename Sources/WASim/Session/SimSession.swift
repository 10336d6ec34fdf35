import Foundation
import WABinary
import WAEngine
import WANoise

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
    private var nextIQ = 1

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
        if closeReason == nil { closeReason = "client closed" }
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
        case .streamError:
            return true  // sent after the handshake, with the transport keys (afterHandshake)
        }
    }

    private func perform(_ action: ServerConnectionStateMachine.Action) async {
        switch action {
        case .send(let bytes):
            await output.send(bytes)
        case .close(let reason):
            await close(reason.description)
        case .stateChanged(let state):
            await world.update(id, state: state)
        case .event(let text):
            await world.record(id, event: text)
        case .handshakeCompleted(let payload):
            await afterHandshake(clientPayload: payload)
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
        await output.send(frame)
        await world.record(id, event: note)
    }

    /// What WhatsApp does once the ClientFinish checks out (docs/protocol/lower.md §2.3): `pair-device` after a
    /// registration payload, `<success>`/`<failure>` after a login payload.
    private func afterHandshake(clientPayload: [UInt8]) async {
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
        switch payload.kind {
        case "registration":
            let refs = await world.makePairingRefs { (0..<9).map { _ in UInt8.random(in: 0...255) } }
            let iqID = "pd-\(id)-\(nextIQ)"
            nextIQ += 1
            pendingPairDeviceID = iqID
            await send(
                ServerNodes.pairDevice(id: iqID, refs: refs),
                note: "sent pair-device with \(refs.count) refs; first ref \(refs.first ?? "")")
        default:
            // No simulated accounts yet: every login is for a device the server does not know (docs/protocol/lower.md §6.4).
            await send(ServerNodes.failure(reason: 401, location: "sim"), note: "sent failure reason=401 (unknown device)")
            await close("login for an unknown device")
        }
    }

    /// A node from the client: acks of our IQs, IQs for the handlers.
    private func route(_ node: BinaryNode) async {
        if node.tag == "iq", let type = node.string("type"), let iqID = node.string("id") {
            if (type == "result" || type == "error"), iqID == pendingPairDeviceID {
                pendingPairDeviceID = nil
                await world.record(id, event: type == "result" ? "pair-device acked" : "pair-device answered with error")
                return
            }
            if type == "get" || type == "set" {
                let reply = handlers.answer(node)
                await send(reply, note: "answered iq xmlns=\(node.string("xmlns") ?? "-") type=\(type)")
                return
            }
        }
        await world.record(id, event: "received <\(node.tag)>")
    }
}

/// What the listener feeds a session.
enum SessionInput: Sendable {
    case binary([UInt8])
    case text
}
