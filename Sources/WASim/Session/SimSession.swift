import Foundation
import WAEngine

/// One chat connection on the server side: feeds inbound WebSocket messages to a
/// ``ServerConnectionStateMachine``, performs the actions it returns, applies faults, and reports to the world.
actor SimSession {
    let id: Int
    private var machine: ServerConnectionStateMachine
    private let faults: ConnectionFaults
    private let world: SimWorld
    private let handlers: IQHandlerRegistry
    private let output: any SessionOutput
    private var closeReason: String?

    init(id: Int, faults: ConnectionFaults, world: SimWorld, handlers: IQHandlerRegistry, output: any SessionOutput) {
        self.id = id
        self.faults = faults
        self.world = world
        self.handlers = handlers
        self.output = output
        self.machine = ServerConnectionStateMachine(identity: world.serverIdentity)
    }

    func run(inbound: AsyncStream<[UInt8]>) async {
        if await applyFault(at: .connect) {
            for await message in inbound {
                let actions = machine.received(message, now: Date())
                for action in actions {
                    await perform(action)
                }
                if closeReason != nil { break }
            }
        }
        if closeReason == nil { closeReason = "client closed" }
        await output.close()
        await world.close(id, reason: closeReason ?? "closed")
    }

    /// Applies the fault for `stage`, if any. Returns false when the connection was dropped.
    private func applyFault(at stage: FaultRule.Stage) async -> Bool {
        guard let rule = faults.rule(at: stage) else { return true }
        switch rule.kind {
        case .drop:
            await world.record(id, event: "fault drop at \(stage.rawValue)")
            closeReason = "fault: drop at \(stage.rawValue)"
            await output.close()
            return false
        case .delay:
            let ms = rule.delayMs ?? 0
            await world.record(id, event: "fault delay \(ms)ms at \(stage.rawValue)")
            try? await Task.sleep(for: .milliseconds(ms))
            return true
        case .streamError:
            return true  // handled by the state machine's handshake step (it needs the transport keys)
        }
    }

    private func perform(_ action: ServerConnectionStateMachine.Action) async {
        switch action {
        case .send(let bytes):
            await output.send(bytes)
        case .close(let reason):
            closeReason = reason.description
            await world.record(id, event: "closed: \(reason.description)")
            await output.close()
        case .stateChanged(let state):
            await world.update(id, state: state)
        case .event(let text):
            await world.record(id, event: text)
        }
    }
}
