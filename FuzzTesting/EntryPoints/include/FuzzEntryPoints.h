// The entry points of the libFuzzer executables (FuzzTesting/Sources/<Target>).
//
// SwiftPM links every executable target of a debug build on Linux with `main=<Target>_main`, so neither
// libFuzzer's own `main` nor top-level Swift code would run the fuzzer: each `<Target>_main` here hands
// control to libFuzzer's driver with the target's LLVMFuzzerTestOneInput (exported by its Swift file).
#ifndef FUZZ_ENTRY_POINTS_H
#define FUZZ_ENTRY_POINTS_H

int FuzzNativeMessages_main(int argc, char **argv);
int FuzzBinaryNode_main(int argc, char **argv);
int FuzzNoiseTransport_main(int argc, char **argv);
int FuzzSignalMessage_main(int argc, char **argv);

#endif
