// swift-tools-version:6.1
// Signal benchmarks (issue 4), in its own folder so its package identity never clashes with the root's; built apart from the main package so `swift build` there stays lean.
// Run with ./run.sh (release build, python-axolotl baseline in the same run).
import PackageDescription

let package = Package(
    name: "signal-bench",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "crm-whatsapp", path: "../../.."),
        // The primitives' own rates (the ceilings of docs/performance-targets.md): same version as the root's.
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
    ],
    targets: [
        .executableTarget(
            name: "SignalBench",
            dependencies: [
                .product(name: "SignalProtocol", package: "crm-whatsapp"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
    ]
)
