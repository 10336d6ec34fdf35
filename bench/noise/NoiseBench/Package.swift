// swift-tools-version:6.1
// Handshake benchmark for WANoise, built apart from the main package (release): see ../run.sh.
import PackageDescription

let package = Package(
    name: "noise-bench",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "crm-whatsapp", path: "../../..")],
    targets: [
        .executableTarget(
            name: "NoiseBench",
            dependencies: [.product(name: "WANoise", package: "crm-whatsapp")]),
    ]
)
