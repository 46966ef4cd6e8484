import Testing
import W2VCommands

@Suite("OpenBLAS core selection at start-up")
struct OpenBLASLauncherTests {
    static let avx512: Set<String> = ["avx2", "fma", "avx512f", "avx512bw", "avx512dq", "avx512vl"]

    @Test func genericCoreOnAnAVX512MachineIsReexecutedWithSkylakeX() {
        #expect(OpenBLASLauncher.decide(environment: [:], loadedCore: "Prescott", cpuFlags: Self.avx512) == .reexecute(coreType: "SkylakeX"))
    }

    @Test func genericCoreOnAnAVX2MachineIsReexecutedWithHaswell() {
        #expect(OpenBLASLauncher.decide(environment: [:], loadedCore: "Prescott", cpuFlags: ["avx2", "fma"]) == .reexecute(coreType: "Haswell"))
    }

    @Test func aRecognisedCoreIsKept() {
        #expect(OpenBLASLauncher.decide(environment: [:], loadedCore: "Zen", cpuFlags: Self.avx512) == .keep)
        #expect(OpenBLASLauncher.decide(environment: [:], loadedCore: "SkylakeX", cpuFlags: Self.avx512) == .keep)
    }

    @Test func theUsersChoiceIsRespectedAndThereIsNoSecondReexecution() {
        #expect(OpenBLASLauncher.decide(environment: ["OPENBLAS_CORETYPE": "Prescott"], loadedCore: "Prescott", cpuFlags: Self.avx512) == .keep)
        #expect(OpenBLASLauncher.decide(environment: ["W2V_OPENBLAS_REEXEC": "1"], loadedCore: "Prescott", cpuFlags: Self.avx512) == .keep)
    }

    @Test func aCPUWithoutFastKernelsKeepsTheGenericCore() {
        #expect(OpenBLASLauncher.decide(environment: [:], loadedCore: "Prescott", cpuFlags: ["sse2", "avx"]) == .keep)
    }
}
