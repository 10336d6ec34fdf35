/// A fault the simulator injects into chat connections, set through `POST /faults`.
///
/// JSON: `{"kind": "drop"|"delay"|"stream-error"|"failure", "scope": "next"|"all", "stage": "connect"|
/// "client-hello"|"handshake", "delayMs": 1500, "code": 515, "conflict": "replaced", "reason": 402,
/// "expire": 3600}`. Only `kind` is required (and `reason` for `failure`).
///
/// | kind | at `stage` the server… |
/// |---|---|
/// | `drop` | closes the TCP connection without a word |
/// | `delay` | waits `delayMs` before answering |
/// | `stream-error` | (stage `handshake` only) answers the ClientFinish with `<stream:error code=…>` (and a `<conflict type=…/>` child when `conflict` is set), then `<xmlstreamend/>`, then closes — docs/protocol/lower.md §6.3 |
/// | `failure` | (stage `handshake` only) answers the ClientFinish with `<failure reason=… [code=…] [expire=…]/>` instead of `<success>` and closes — §6.4 (402 temporary ban: `code` = ban reason, `expire` = seconds; 403, 405, 503…) |
///
/// Stages: `connect` right after the WebSocket upgrade; `client-hello` when the ClientHello arrives (before the
/// ServerHello); `handshake` when the ClientFinish arrives (before `<success>`, `<failure>` or `pair-device`).
public struct FaultRule: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        case drop
        case delay
        case streamError = "stream-error"
        case failure
    }

    public enum Scope: String, Codable, Sendable {
        /// Applies to the next chat connection only, then is used up.
        case next
        /// Applies to every chat connection until `DELETE /faults`.
        case all
    }

    public enum Stage: String, Codable, Sendable {
        case connect
        case clientHello = "client-hello"
        case handshake
    }

    public var kind: Kind
    public var scope: Scope
    public var stage: Stage
    public var delayMs: Int?
    public var code: Int?
    public var conflict: String?
    /// `failure` only: the `reason` attribute.
    public var reason: Int?
    /// `failure` only: the `expire` attribute (seconds).
    public var expire: Int?

    public init(
        kind: Kind, scope: Scope = .next, stage: Stage = .handshake, delayMs: Int? = nil, code: Int? = nil,
        conflict: String? = nil, reason: Int? = nil, expire: Int? = nil
    ) {
        self.kind = kind
        self.scope = scope
        self.stage = stage
        self.delayMs = delayMs
        self.code = code
        self.conflict = conflict
        self.reason = reason
        self.expire = expire
    }

    enum CodingKeys: String, CodingKey {
        case kind, scope, stage, delayMs, code, conflict, reason, expire
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.kind = try c.decode(Kind.self, forKey: .kind)
        self.scope = try c.decodeIfPresent(Scope.self, forKey: .scope) ?? .next
        self.stage = try c.decodeIfPresent(Stage.self, forKey: .stage) ?? .handshake
        self.delayMs = try c.decodeIfPresent(Int.self, forKey: .delayMs)
        self.code = try c.decodeIfPresent(Int.self, forKey: .code)
        self.conflict = try c.decodeIfPresent(String.self, forKey: .conflict)
        self.reason = try c.decodeIfPresent(Int.self, forKey: .reason)
        self.expire = try c.decodeIfPresent(Int.self, forKey: .expire)
    }

    /// Why a rule is refused.
    public enum ValidationError: Error, Equatable, Sendable {
        case delayNeedsPositiveDelayMs
        case streamErrorOnlyAtHandshake
        case delayTooLong
        case failureNeedsReason
    }

    /// The longest delay accepted (ms): long enough to trip a client's 20 s handshake timeout.
    public static let maximumDelayMs = 120_000

    public func validate() throws(ValidationError) {
        switch kind {
        case .drop:
            break
        case .delay:
            guard let delayMs, delayMs > 0 else { throw .delayNeedsPositiveDelayMs }
            guard delayMs <= Self.maximumDelayMs else { throw .delayTooLong }
        case .streamError:
            guard stage == .handshake else { throw .streamErrorOnlyAtHandshake }
        case .failure:
            guard stage == .handshake else { throw .streamErrorOnlyAtHandshake }
            guard let reason, (400...599).contains(reason) else { throw .failureNeedsReason }
        }
    }
}

/// The faults one connection got when it was accepted.
public struct ConnectionFaults: Sendable, Equatable {
    public var rules: [FaultRule]

    public init(rules: [FaultRule] = []) { self.rules = rules }

    /// The first rule for `stage`, if any.
    public func rule(at stage: FaultRule.Stage) -> FaultRule? {
        rules.first { $0.stage == stage }
    }
}
