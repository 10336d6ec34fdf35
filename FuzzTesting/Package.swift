// swift-tools-version:6.1
// libFuzzer targets over the project's decoders. Built apart from the main package so `swift build`
// there stays plain: swift build -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library (see README.md;
// without -parse-as-library the executables get a Swift main that shadows libFuzzer's and never fuzz).
import PackageDescription

let package = Package(
    name: "crm-whatsapp-fuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "crm-whatsapp", path: "..")],
    targets: [
        // Native messaging frames + envelope decoding + the session's message table (issues 2, 12).
        .executableTarget(
            name: "FuzzNativeMessages",
            dependencies: [
                .product(name: "HostProtocol", package: "crm-whatsapp"),
                .product(name: "HostService", package: "crm-whatsapp"),
            ]),
        // WhatsApp binary node decoder (issue 3).
        .executableTarget(
            name: "FuzzBinaryNode",
            dependencies: [.product(name: "WABinary", package: "crm-whatsapp")]),
        // Noise transport frames (issue 3).
        .executableTarget(
            name: "FuzzNoiseTransport",
            dependencies: [.product(name: "WANoise", package: "crm-whatsapp")]),
        // Signal message decryption and record decoding (issue 4).
        .executableTarget(
            name: "FuzzSignalMessage",
            dependencies: [.product(name: "SignalProtocol", package: "crm-whatsapp")]),
    ]
)
