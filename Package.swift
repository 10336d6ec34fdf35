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
        .library(name: "HostService", targets: ["HostService"]),
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
        // No default traits: BinaryDelimitedStreams imports the whole of Foundation (and ICU) into the host.
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0", traits: []),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
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

        // The host's session: stdin reader, message table, single writer, engine hookup, settings,
        // paths and logs. No Foundation (it costs start-up time and memory in the host).
        .target(
            name: "HostService",
            dependencies: ["HostProtocol", .product(name: "Logging", package: "swift-log")]),

        // The host's engine: WAEngine's WAClient behind HostService's HostEngine (the one place that
        // knows both).
        .target(
            name: "EngineBridge",
            dependencies: [
                "HostProtocol", "HostService", "WAEngine", "WANoise", .product(name: "Logging", package: "swift-log"),
            ]),

        // The executable Chrome starts: `main`, argument parsing, `doctor`.
        .executableTarget(
            name: "NativeHost",
            dependencies: [
                "HostProtocol", "HostService", "EngineBridge",
                .product(name: "Logging", package: "swift-log"),
            ]),

        // WhatsApp binary nodes (tokens, JIDs, nibble/hex packing, zlib frames). Pure.
        .target(name: "WABinary", dependencies: ["CZlib"]),

        // Generated protobuf code (proto/*.proto → scripts/gen-proto.sh). Never hand-edited.
        .target(
            name: "WAProto",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")]),

        // Shared by the protocol modules and the simulator: hex, the constant-time compare, Curve25519 key types
        // and XEdDSA, and their error type. Pure.
        .target(name: "WACore", dependencies: ["CSodium", .product(name: "Crypto", package: "swift-crypto")]),

        // The Signal protocol (v3, libsignal-compatible): X3DH, double ratchet, sender keys. Pure.
        // Re-exports WACore (keys, XEdDSA, SignalError).
        .target(
            name: "SignalProtocol",
            dependencies: [
                "WACore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),  // AES-CBC (Signal v3 message cipher)
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]),

        // Noise (generic XX core + WhatsApp's variant), the server certificate chain, transport
        // encryption and the 3-byte frame codec. Pure: bytes, keys and randomness in, bytes out.
        .target(
            name: "WANoise",
            dependencies: [
                "WAProto", "WACore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]),

        // The engine's SQLite store: one database per linked account, forward-only migrations.
        .target(name: "WAStore", dependencies: ["CSQLite", "SignalProtocol"]),

        // The WhatsApp multi-device client: transport, Noise, handshake, client payloads, engine.
        .target(
            name: "WAEngine",
            dependencies: [
                "WABinary", "WACore", "WAProto", "WANoise", "SignalProtocol", "WAStore", "CQRencode", "CZlib",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),  // AES-CTR (pairing code, docs/protocol/lower.md §5.7)
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]),

        // The WhatsApp simulator (server side + simulated phones), as a library and as `wa-sim`.
        .target(
            name: "WASim",
            dependencies: [
                "WABinary", "WACore", "WAProto", "WANoise", "SignalProtocol",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),  // PBKDF2, AES-CTR (phone-number linking)
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]),
        .executableTarget(
            name: "WASimServer",
            dependencies: [
                "WASim",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),

        // What the test targets share: hex fixtures, the seeded generator, the repository root, the oracles.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        // The fuzz target bodies: run by the libFuzzer executables below and replayed by FuzzReplayTests.
        .target(
            name: "FuzzBodies",
            dependencies: ["HostProtocol", "HostService", "WABinary", "WANoise", "SignalProtocol", "TestSupport"],
            path: "FuzzTesting/Bodies"),

        .testTarget(name: "ProtocolTests", dependencies: ["HostProtocol", "TestSupport"]),
        .testTarget(name: "NativeHostTests", dependencies: ["HostProtocol", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "HostServiceTests", dependencies: ["HostService", "HostProtocol", "TestSupport"]),
        .testTarget(
            name: "EngineBridgeTests",
            dependencies: [
                "EngineBridge", "HostService", "HostProtocol", "WASim", "TestSupport", "WAEngine", "WAStore", "WABinary",
                "WACore", "SignalProtocol",
            ]),
        .testTarget(
            name: "WABinaryTests",
            dependencies: ["WABinary", "WAProto", "TestSupport", .product(name: "SwiftProtobuf", package: "swift-protobuf")]),
        .testTarget(name: "SignalProtocolTests", dependencies: ["SignalProtocol", "WACore", "TestSupport"]),
        .testTarget(name: "WANoiseTests", dependencies: ["WANoise", "WAProto", "SignalProtocol", "TestSupport"]),
        .testTarget(name: "WAStoreTests", dependencies: ["WAStore", "SignalProtocol", "TestSupport"]),
        .testTarget(name: "FuzzReplayTests", dependencies: ["FuzzBodies", "TestSupport"]),
        .testTarget(
            name: "WAEngineTests",
            dependencies: [
                "WAEngine", "WABinary", "WACore", "WAProto", "WANoise", "SignalProtocol", "WAStore", "TestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ]),
        .testTarget(
            name: "WASimTests",
            dependencies: [
                "WASim", "WAEngine", "WACore", "WANoise", "WABinary", "WAProto", "SignalProtocol",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
    ]
)

// libFuzzer executables (tests/suites/50-fuzz.sh, FuzzTesting/README.md), built by the same `swift build`
// as everything else, so the dependencies (swift-crypto's BoringSSL above all) are compiled once. Our
// modules they fuzz are compiled a second time, instrumented (libFuzzer coverage + AddressSanitizer), from
// the same sources (FuzzTesting/Instrumented/* are links to Sources/*), under Fuzzing* module names that
// `-module-alias` maps back to the names the sources import. Linux only: Apple's toolchain has no libFuzzer.
#if os(Linux)
let sanitizers = "-sanitize=fuzzer,address"
func instrumented(_ name: String, _ dependencies: [Target.Dependency], aliasing aliases: [String] = []) -> Target {
    .target(
        name: "Fuzzing" + name, dependencies: dependencies + aliases.map { .target(name: "Fuzzing" + $0) },
        path: "FuzzTesting/Instrumented/" + name,
        swiftSettings: [.unsafeFlags([sanitizers] + aliases.flatMap { ["-module-alias", "\($0)=Fuzzing\($0)"] })])
}
package.targets += [
    instrumented("HostProtocol", []),
    instrumented("HostService", [.product(name: "Logging", package: "swift-log")], aliasing: ["HostProtocol"]),
    instrumented("WABinary", ["CZlib"]),
    instrumented("WACore", ["CSodium", .product(name: "Crypto", package: "swift-crypto")]),
    instrumented(
        "SignalProtocol",
        [
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "_CryptoExtras", package: "swift-crypto"),
            .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        ],
        aliasing: ["WACore"]),
    instrumented(
        "WANoise",
        ["WAProto", .product(name: "Crypto", package: "swift-crypto"), .product(name: "SwiftProtobuf", package: "swift-protobuf")],
        aliasing: ["WACore"]),
    instrumented(
        "FuzzBodies", ["TestSupport"],
        aliasing: ["HostProtocol", "HostService", "WABinary", "WACore", "WANoise", "SignalProtocol"]),
    // `<Target>_main` for each executable: hands control to libFuzzer's driver.
    .target(name: "FuzzEntryPoints", path: "FuzzTesting/EntryPoints"),
]
for fuzzTarget in ["FuzzNativeMessages", "FuzzBinaryNode", "FuzzNoiseTransport", "FuzzSignalMessage"] {
    package.targets.append(
        .executableTarget(
            name: fuzzTarget, dependencies: ["FuzzingFuzzBodies", "FuzzEntryPoints"],
            path: "FuzzTesting/Sources/" + fuzzTarget,
            swiftSettings: [.unsafeFlags([sanitizers, "-parse-as-library", "-module-alias", "FuzzBodies=FuzzingFuzzBodies"])],
            linkerSettings: [.unsafeFlags([sanitizers, "-use-ld=lld"])]))
}
#endif
