/// IQ handlers of the simulated server, keyed by the IQ's `xmlns` (wa-protocol-lower §6.1).
struct IQHandlerRegistry: Sendable {
    static let standard = IQHandlerRegistry()
}
