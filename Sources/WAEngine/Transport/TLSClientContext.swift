import NIOConcurrencyHelpers
import NIOSSL

/// The client TLS context every engine connection uses: the system trust store plus, when given, the
/// certificates of one PEM file (the simulator's test CA).
///
/// Making a context reads and parses the whole system trust store (some 15 ms for ~140 certificates); a
/// context is immutable, so one per trust-roots file is made once, under the lock (a connect that comes while
/// ``prepare(extraTrustRootsFile:)`` is making it waits for that one), and shared for the life of the process.
/// Failures are not kept: the next connect tries again.
enum TLSClientContext {
    private static let made = NIOLockedValueBox<[String: NIOSSLContext]>([:])

    static func make(extraTrustRootsFile: String?) throws(TransportError) -> NIOSSLContext {
        let key = extraTrustRootsFile ?? ""
        let result: Result<NIOSSLContext, TransportError> = made.withLockedValue { contexts in
            if let context = contexts[key] { return .success(context) }
            let result = Result { () throws(TransportError) -> NIOSSLContext in
                try build(extraTrustRootsFile: extraTrustRootsFile)
            }
            if case .success(let context) = result { contexts[key] = context }
            return result
        }
        return try result.get()
    }

    /// Makes the context in the background, ahead of the first connect (the engine calls this when it starts,
    /// so linking does not wait for the trust store).
    static func prepare(extraTrustRootsFile: String?) {
        Task.detached(priority: .utility) { _ = try? make(extraTrustRootsFile: extraTrustRootsFile) }
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
