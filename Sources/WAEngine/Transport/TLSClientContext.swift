import NIOSSL

/// The client TLS context every engine connection uses: the system trust store plus, when given, the
/// certificates of one PEM file (the simulator's test CA).
enum TLSClientContext {
    static func make(extraTrustRootsFile: String?) throws(TransportError) -> NIOSSLContext {
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
