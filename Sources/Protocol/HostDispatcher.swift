/// Turns one inbound frame into exactly one outbound frame: the protocol logic of the host, without IO.
///
/// Overview: the NativeHost executable reads stdin into a ``NativeFrameDecoder`` and hands every
/// frame (or framing rejection) to a dispatcher; it writes the returned ``HostReply/frame`` to stdout
/// through its single writer. Every input gets a reply: a result, or a typed ``HostError``
/// (PROTOCOL.md §Error codes). Replies are never above Chrome's 1 MiB limit: a larger result is
/// replaced by `responseTooLarge`.
public struct HostDispatcher: Sendable {
    public let context: HostContext

    public init(context: HostContext) { self.context = context }

    /// Answers one frame body.
    public func reply(toFrame frame: [UInt8]) -> HostReply {
        let request: RequestEnvelope
        do {
            request = try RequestEnvelope.decode(frame)
        } catch {
            if !context.originAllowed { return refuseOrigin(id: error.requestID) }
            return failure(id: error.requestID, type: nil, error.hostError)
        }
        if !context.originAllowed { return refuseOrigin(id: request.id) }
        guard let type = MessageType(rawValue: request.type), type.isRequest else {
            return failure(id: request.id, type: nil, .unknownType(request.type))
        }
        do {
            return try answer(type, request)
        } catch {
            return failure(id: request.id, type: type, error)
        }
    }

    /// Answers a frame the decoder rejected before reading it (its id is unknown: `id: null`).
    public func reply(toRejectedFrame error: NativeFrameError) -> HostReply {
        switch error {
        case .frameTooLarge(let length, let limit):
            return failure(id: nil, type: nil, .frameTooLarge(length: length, limit: limit))
        case .messageTooLarge, .truncatedHeader, .truncatedBody:
            return failure(id: nil, type: nil, .internalFailure)
        }
    }

    private func answer(_ type: MessageType, _ request: RequestEnvelope) throws(HostError) -> HostReply {
        switch type {
        case .hostHello:
            _ = try payload { () throws(PayloadError) in try HelloPayload(json: request.payload) }
            let result = HelloResult(
                hostVersion: context.hostVersion, protocolVersion: HostProtocolVersion.current,
                engine: EngineSummary(state: context.engineState), storePath: context.storePath)
            return success(id: request.id, type: type, result)
        case .hostPing:
            let ping = try payload { () throws(PayloadError) in try PingPayload(json: request.payload) }
            return success(id: request.id, type: type, PingResult(echo: ping.echo))
        case .hostDiagnostics:
            _ = try payload { () throws(PayloadError) in try PayloadReader(request.payload) }
            return success(id: request.id, type: type, context.diagnostics())
        case .engineStatus, .linkCancel, .engineLogout:
            _ = try payload { () throws(PayloadError) in try PayloadReader(request.payload) }
            throw .engineUnavailable
        case .linkStart:
            _ = try payload { () throws(PayloadError) in try LinkStartPayload(json: request.payload) }
            throw .engineUnavailable
        case .messageSend:
            _ = try payload { () throws(PayloadError) in try MessageSendPayload(json: request.payload) }
            throw .engineUnavailable
        case .engineState, .linkQR, .linkPairingCode, .messageStatus, .messageIncoming:
            throw .unknownType(request.type)
        }
    }

    private func payload<T>(_ read: () throws(PayloadError) -> T) throws(HostError) -> T {
        do {
            return try read()
        } catch {
            throw .invalidPayload(error)
        }
    }

    private func success(id: RequestID, type: MessageType, _ result: some Encodable) -> HostReply {
        let body: [UInt8]
        do {
            body = try OutboundMessage.response(id: id, result: result)
        } catch {
            return failure(id: id, type: type, .internalFailure)
        }
        guard let frame = try? NativeFrameEncoder.encode(body) else {
            return failure(
                id: id, type: type, .responseTooLarge(length: body.count, limit: NativeFrameEncoder.maximumMessageLength))
        }
        return HostReply(frame: frame, requestID: id, type: type, errorCode: nil, endsSession: false)
    }

    private func failure(id: RequestID?, type: MessageType?, _ error: HostError) -> HostReply {
        let body = OutboundMessage.error(id: id, error: error)
        // An error body is small: its id is at most 128 bytes and messages are fixed text.
        let frame = (try? NativeFrameEncoder.encode(body)) ?? []
        return HostReply(frame: frame, requestID: id, type: type, errorCode: error.code, endsSession: false)
    }

    private func refuseOrigin(id: RequestID?) -> HostReply {
        var reply = failure(id: id, type: nil, .originNotAllowed)
        reply.endsSession = true
        return reply
    }
}

/// What the dispatcher needs to know about the running host.
public struct HostContext: Sendable {
    public var hostVersion: String
    public var storePath: String
    /// False when the caller origin is not an allowed extension: every request is refused.
    public var originAllowed: Bool
    public var engineState: EngineState
    /// Collects `host.diagnostics` (reads the log tail and the store directory: the IO edge).
    public var diagnostics: @Sendable () -> DiagnosticsResult

    public init(
        hostVersion: String, storePath: String, originAllowed: Bool, engineState: EngineState = .unavailable,
        diagnostics: @escaping @Sendable () -> DiagnosticsResult
    ) {
        self.hostVersion = hostVersion
        self.storePath = storePath
        self.originAllowed = originAllowed
        self.engineState = engineState
        self.diagnostics = diagnostics
    }
}

/// One outbound frame and a content-free summary of it for the log.
public struct HostReply: Equatable, Sendable {
    /// Header + JSON, at most 4 + 1 MiB bytes.
    public var frame: [UInt8]
    public var requestID: RequestID?
    public var type: MessageType?
    /// `nil` for a result.
    public var errorCode: HostErrorCode?
    /// True when the host must stop after writing this frame (caller origin refused).
    public var endsSession: Bool
}
