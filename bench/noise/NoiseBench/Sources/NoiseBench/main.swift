// Times complete WhatsApp Noise handshakes in process (initiator + responder, certificate chain verified,
// split, one transport frame each way) and prints handshakes per second. Usage: NoiseBench [seconds]
import Foundation
import WANoise

let seconds = CommandLine.arguments.count > 1 ? Double(CommandLine.arguments[1]) ?? 3 : 3
let root = NoiseKeyPair.generate()
let serverStatic = NoiseKeyPair.generate()
let now = UInt64(Date().timeIntervalSince1970)
var random = SystemRandomNumberGenerator()
let chain = try WACertificateChain.build(
    rootPrivateKey: root.privateKey, intermediateKey: .generate(), serverStaticKey: serverStatic.publicKey,
    validity: (now - 3600)...(now + 3600), random: &random)
let configuration = WAHandshakeConfiguration(rootPublicKey: root.publicKey)
let clientStatic = NoiseKeyPair.generate()
let payload = [UInt8](repeating: 7, count: 200)

func handshake() throws {
    var client = WAHandshakeInitiator(staticKey: clientStatic, ephemeralKey: .generate(), configuration: configuration)
    var server = WAHandshakeResponder(staticKey: serverStatic, ephemeralKey: .generate(), certificateChain: chain)
    let serverHello = try server.receivedClientHello(try client.clientHello())
    var clientDone = try client.receivedServerHello(serverHello, clientPayload: payload, now: now)
    var serverDone = try server.receivedClientFinish(clientDone.clientFinish)
    _ = try serverDone.transport.decrypt(try clientDone.transport.encrypt(payload))
    _ = try clientDone.transport.decrypt(try serverDone.transport.encrypt(payload))
}

for _ in 0..<50 { try handshake() }  // warm-up
var count = 0
let start = DispatchTime.now().uptimeNanoseconds
var elapsed = 0.0
while elapsed < seconds {
    for _ in 0..<50 { try handshake() }
    count += 50
    elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}
print(String(format: "%.1f", Double(count) / elapsed))
