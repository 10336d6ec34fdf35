// swift-tools-version:6.1
// crm-whatsapp: the native-messaging host, the WhatsApp multi-device engine and its simulator.
// Dependencies follow docs/dependencies.md (versions the local mirror carries).
import PackageDescription

let package = Package(
    name: "crm-whatsapp",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "crm-whatsapp-host", targets: ["NativeHost"]),
        .executable(name: "wa-sim", targets: ["WASimServer"]),
        .library(name: "HostProtocol", targets: ["HostProtocol"]),
        .library(name: "WABinary", targets: ["WABinary"]),
        .library(name: "WANoise", targets: ["WANoise"]),
        .library(name: "SignalProtocol", targets: ["SignalProtocol"]),
        .library(name: "WAEngine", targets: ["WAEngine"]),
        .library(name: "WASim", targets: ["WASim"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/vapor/websocket-kit.git", from: "2.16.2"),
    ],
    targets: [
        // System libraries. Debian: libsodium-dev libqrencode-dev libsqlite3-dev zlib1g-dev pkg-config.
        .systemLibrary(
            name: "CSodium", path: "Sources/CSodium", pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"]), .brew(["libsodium"])]),
        .systemLibrary(
            name: "CQRencode", path: "Sources/CQRencode", pkgConfig: "libqrencode",
            providers: [.apt(["libqrencode-dev"]), .brew(["qrencode"])]),
        .systemLibrary(
            name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),
        .systemLibrary(
            name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]),

        // Native messaging framing, envelopes and typed messages. Pure, no IO.
        // The folder is Sources/Protocol; the module is HostProtocol so it never clashes with
        // the Objective-C `Protocol` type on macOS.
        .target(name: "HostProtocol", path: "Sources/Protocol"),

        // The executable Chrome starts: a thin IO shell around HostProtocol and (later) WAEngine.
        .executableTarget(
            name: "NativeHost",
            dependencies: [
                "HostProtocol",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),

        // WhatsApp binary nodes (tokens, JIDs, nibble/hex packing, zlib frames). Pure.
        .target(name: "WABinary", dependencies: ["CZlib"]),

        // Generated protobuf code (proto/*.proto → scripts/gen-proto.sh). Never hand-edited.
        .target(
            name: "WAProto",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")]),

        // The Signal protocol (v3, libsignal-compatible): XEdDSA, X3DH, double ratchet, sender keys. Pure.
        .target(
            name: "SignalProtocol",
            dependencies: [
                "CSodium",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),  // AES-CBC (Signal v3 message cipher)
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]),

        // Noise (generic XX core + WhatsApp's variant), the server certificate chain, transport
        // encryption and the 3-byte frame codec. Pure: bytes, keys and randomness in, bytes out.
        .target(
            name: "WANoise",
            dependencies: [
                "WAProto", "SignalProtocol",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]),

        // The engine's SQLite store: one database per linked account, forward-only migrations.
        .target(name: "WAStore", dependencies: ["CSQLite", "SignalProtocol"]),

        // The WhatsApp multi-device client: transport, Noise, handshake, client payloads, engine.
        .target(
            name: "WAEngine",
            dependencies: [
                "WABinary", "WAProto", "WANoise", "SignalProtocol", "WAStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "WebSocketKit", package: "websocket-kit"),
            ]),

        // The WhatsApp simulator (server side + simulated phones), as a library and as `wa-sim`.
        .target(
            name: "WASim",
            dependencies: [
                "WAEngine", "WABinary", "WAProto", "WANoise", "SignalProtocol",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "WebSocketKit", package: "websocket-kit"),
            ]),
        .executableTarget(
            name: "WASimServer",
            dependencies: [
                "WASim",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),

        .testTarget(name: "ProtocolTests", dependencies: ["HostProtocol"]),
        .testTarget(name: "NativeHostTests", dependencies: ["HostProtocol"], exclude: ["Fixtures"]),
        .testTarget(
            name: "WABinaryTests",
            dependencies: ["WABinary", "WAProto", .product(name: "SwiftProtobuf", package: "swift-protobuf")]),
        .testTarget(name: "SignalProtocolTests", dependencies: ["SignalProtocol"]),
        .testTarget(name: "WANoiseTests", dependencies: ["WANoise", "WAProto", "SignalProtocol"]),
        .testTarget(name: "WAStoreTests", dependencies: ["WAStore", "SignalProtocol"]),
        .testTarget(name: "WAEngineTests", dependencies: ["WAEngine", "WABinary", "WAProto", "WANoise", "SignalProtocol"]),
        .testTarget(
            name: "WASimTests",
            dependencies: ["WASim", "WAEngine", "WANoise", "WABinary", "WAProto", "SignalProtocol"]),
    ]
)
