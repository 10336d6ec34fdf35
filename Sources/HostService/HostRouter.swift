import HostProtocol

/// The table of request handlers: each ``HostRequest`` type registered once with its handler, which
/// receives the type's decoded payload and must return the type's result.
///
/// ``route(frame:)`` does the synchronous part on the reader thread (envelope, lookup) and hands back
/// either a finished error reply or the handler to run; the handler decodes the payload (a schema
/// failure is `invalidPayload`), runs, and encodes one framed reply. Replies above Chrome's 1 MiB
/// limit become `responseTooLarge`.
public struct HostRouter: Sendable {
    /// A registered handler, type-erased: payload JSON and id in, one framed reply out.
    public typealias Route = @Sendable (_ payload: JSONValue?, _ id: RequestID) async -> HostReply

    private var routes: [String: (barrier: Bool, route: Route)] = [:]
    /// The registered request types, in registration order.
    public private(set) var requestTypes: [String] = []

    public init() {}

    /// Registers the handler of `request`; registering a type twice is a programming error.
    ///
    /// - Parameter barrier: when true, the session answers this request before it dispatches the next.
    public mutating func register<R: HostRequest>(
        _ request: R.Type, barrier: Bool = false, _ handler: @escaping @Sendable (R.Payload) async throws(HostError) -> R.Result
    ) {
        precondition(routes[R.type] == nil, "\(R.type) registered twice")
        requestTypes.append(R.type)
        routes[R.type] = (barrier: barrier, route: { json, id in
            let payload: R.Payload
            do throws(PayloadError) {
                payload = try R.Payload(json: json)
            } catch {
                return .failure(id: id, type: R.type, .invalidPayload(error))
            }
            let result: R.Result
            do throws(HostError) {
                result = try await handler(payload)
            } catch {
                return .failure(id: id, type: R.type, error)
            }
            do throws(NativeFrameError) {
                return HostReply(
                    frame: try OutboundMessage.responseFrame(id: id, result: result), requestID: id, type: R.type,
                    errorCode: nil)
            } catch {
                guard case .messageTooLarge(let length, let limit) = error else {
                    return .failure(id: id, type: R.type, .internalFailure)
                }
                return .failure(id: id, type: R.type, .responseTooLarge(length: length, limit: limit))
            }
        })
    }

    /// What to do with one inbound frame.
    public enum Routing: Sendable {
        /// Answer with this reply now (the envelope was unusable or names no request).
        case reply(HostReply)
        /// Run this handler with the request's payload and id (before the next one, when `barrier`).
        case handle(Route, RequestEnvelope, barrier: Bool)
    }

    /// Decodes the envelope and finds its handler.
    public func route(frame: [UInt8]) -> Routing {
        let request: RequestEnvelope
        do {
            request = try RequestEnvelope.decode(frame)
        } catch {
            return .reply(.failure(id: error.requestID, type: nil, error.hostError))
        }
        guard let entry = routes[request.type] else {
            return .reply(.failure(id: request.id, type: nil, .unknownType(request.type)))
        }
        return .handle(entry.route, request, barrier: entry.barrier)
    }

    /// Runs a frame to its reply (both steps; for tests and the fuzz target).
    public func reply(toFrame frame: [UInt8]) async -> HostReply {
        switch route(frame: frame) {
        case .reply(let reply): return reply
        case .handle(let route, let request, _): return await route(request.payload, request.id)
        }
    }

    /// The reply to a frame the decoder rejected before reading it (its id is unknown: `id: null`).
    public static func reply(toRejectedFrame error: NativeFrameError) -> HostReply {
        switch error {
        case .frameTooLarge(let length, let limit):
            return .failure(id: nil, type: nil, .frameTooLarge(length: length, limit: limit))
        case .messageTooLarge, .truncatedHeader, .truncatedBody:
            return .failure(id: nil, type: nil, .internalFailure)
        }
    }

    /// The reply to any frame when the caller origin is refused: `originNotAllowed`, with the frame's id
    /// when it has a usable one.
    public static func refusal(toFrame frame: [UInt8]?) -> HostReply {
        var id: RequestID?
        if let frame {
            do {
                id = try RequestEnvelope.decode(frame).id
            } catch {
                id = error.requestID
            }
        }
        return .failure(id: id, type: nil, .originNotAllowed)
    }
}

/// One outbound reply frame and a content-free summary of it for the log.
public struct HostReply: Equatable, Sendable {
    /// Header + JSON, at most 4 + 1 MiB bytes.
    public var frame: [UInt8]
    public var requestID: RequestID?
    /// The request type, when it named a known request.
    public var type: String?
    /// `nil` for a result.
    public var errorCode: HostErrorCode?

    public init(frame: [UInt8], requestID: RequestID?, type: String?, errorCode: HostErrorCode?) {
        self.frame = frame
        self.requestID = requestID
        self.type = type
        self.errorCode = errorCode
    }

    /// An error reply (error bodies are small: ids are at most 128 bytes and messages fixed text).
    public static func failure(id: RequestID?, type: String?, _ error: HostError) -> HostReply {
        HostReply(frame: OutboundMessage.errorFrame(id: id, error: error), requestID: id, type: type, errorCode: error.code)
    }
}
