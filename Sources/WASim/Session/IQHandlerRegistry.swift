import WABinary

/// IQ handlers of the simulated server, keyed by the IQ's `xmlns` (docs/protocol/lower.md §6.1). Later iterations
/// add `encrypt` (pre-keys), `usync`, `md` and so on; an unknown namespace gets a 501 IQ error.
struct IQHandlerRegistry: Sendable {
    typealias Handler = @Sendable (BinaryNode) -> BinaryNode

    private var handlers: [String: Handler] = [:]

    func answer(_ iq: BinaryNode) -> BinaryNode {
        guard let xmlns = iq.string("xmlns"), let handler = handlers[xmlns] else {
            return ServerNodes.error(to: iq, code: 501, text: "feature-not-implemented")
        }
        return handler(iq)
    }

    mutating func register(_ xmlns: String, _ handler: @escaping Handler) {
        handlers[xmlns] = handler
    }

    /// Keep-alive (docs/protocol/lower.md §6.2): `<iq xmlns="w:p" type="get"/>` (with or without `<ping/>`) → an empty result.
    static let standard: IQHandlerRegistry = {
        var registry = IQHandlerRegistry()
        registry.register("w:p") { ServerNodes.result(to: $0) }
        return registry
    }()
}
