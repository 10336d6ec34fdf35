// libFuzzer target FuzzNativeMessages: the body is FuzzTarget.nativeMessages (FuzzTesting/Bodies), built here with libFuzzer
// and AddressSanitizer over instrumented copies of our modules (see FuzzTesting/README.md).
// Compiled with -parse-as-library: this file only exports LLVMFuzzerTestOneInput; the entry point
// FuzzNativeMessages_main (FuzzTesting/EntryPoints) hands control to libFuzzer's driver.
import FuzzBodies

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTarget.nativeMessages.testOneInput(data, size)
}
