import NIOConcurrencyHelpers
import NIOSSL

/// The client TLS context every engine connection uses: the system trust store plus, when given, the
/// certificates of one PEM file (the simulator's test CA).
///
/// Making a context reads and parses the whole system trust store (milliseconds, on every connect and
/// reconnect); a context is immutable, so one per trust-roots file is made once and shared for the life of
/// the process. Failures are not kept: the next connect tries again.
enum TLSClientContext {
    private static let made = NIOLockedValueBox<[String: NIOSSLContext]>([:])

    static func make(extraTrustRootsFile: String?) throws(TransportError) -> NIOSSLContext {
        let key = extraTrustRootsFile ?? ""
        if let context = made.withLockedValue({ $0[key] }) { return context }
        let context = try build(extraTrustRootsFile: extraTrustRootsFile)
        made.withLockedValue { $0[key] = context }
        return context
    }

    private static func build(extraTrustRootsFile: String?) throws(TransportError) -> NIOSSLContext {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let extraTrustRootsFile {
            do {
                let extra = try NIOSSLCertificate.fromPEMFile(extraTrustRootsFile)
                guard !extra.isEmpty else { throw TransportError.trustRootsUnreadable }
                tls.additionalTrustRoots = [.certificates(extra)]
            } catch {
                throw .trustRootsUnreadable
            }
        }
        do {
            return try NIOSSLContext(configuration: tls)
        } catch {
            throw .trustRootsUnreadable
        }
    }
}
