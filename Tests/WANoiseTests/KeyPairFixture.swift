// The shared test helpers (hex fixtures, SeededGenerator, Repository, PythonOracle), visible in every
// file of this target.
@_exported import TestSupport
import WANoise

func keyPair(_ seed: UInt8) -> NoiseKeyPair {
    // 32 fixed bytes always make a valid X25519 private key.
    try! NoiseKeyPair(privateKey: [UInt8](repeating: seed, count: 32))
}
