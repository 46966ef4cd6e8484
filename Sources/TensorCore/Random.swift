import RealModule

/// Seeded pseudo-random numbers for every random choice in w2v.
///
/// `SplitMix64` (Steele, Lea & Flood 2014) is a 64-bit generator with one word of state: fast,
/// passes BigCrush, and trivially seedable, so every run with the same seed is reproducible.
/// Use `split()` to derive independent streams (one per worker thread).
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator whose sequence is fully determined by `seed`.
    public init(seed: UInt64) { state = seed }

    @inline(__always)
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A new generator seeded from this one's next output (for per-thread streams).
    public mutating func split() -> SplitMix64 { SplitMix64(seed: next()) }

    /// A uniform `Float` in `[0, 1)` with 24 random bits.
    @inline(__always)
    public mutating func nextUnitFloat() -> Float { Float(next() >> 40) * 0x1p-24 }

    /// A uniform `Double` in `[0, 1)` with 53 random bits.
    @inline(__always)
    public mutating func nextUnitDouble() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// A uniform integer in `0..<bound` (Lemire's multiply-shift; negligible bias for bound << 2^64).
    @inline(__always)
    public mutating func nextIndex(below bound: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(bound)).high)
    }
}

extension RandomNumberGenerator {
    /// A standard normal sample by the Box-Muller transform.
    public mutating func nextNormal(mean: Float = 0, standardDeviation: Float = 1) -> Float {
        var u1 = Double.random(in: 0..<1, using: &self)
        if u1 < .leastNonzeroMagnitude { u1 = .leastNonzeroMagnitude }
        let u2 = Double.random(in: 0..<1, using: &self)
        let z = (-2 * Double.log(u1)).squareRoot() * Double.cos(2 * Double.pi * u2)
        return mean + standardDeviation * Float(z)
    }
}

extension Tensor {
    /// A tensor of independent normal samples.
    public static func randomNormal<G: RandomNumberGenerator>(shape: [Int], mean: Float = 0, standardDeviation: Float = 1,
                                                              using generator: inout G) -> Tensor {
        var t = Tensor(shape: shape)
        for i in 0..<t.count { t.scalars[i] = generator.nextNormal(mean: mean, standardDeviation: standardDeviation) }
        return t
    }

    /// A tensor of independent uniform samples in `range`.
    public static func randomUniform<G: RandomNumberGenerator>(shape: [Int], in range: ClosedRange<Float> = 0...1,
                                                               using generator: inout G) -> Tensor {
        var t = Tensor(shape: shape)
        for i in 0..<t.count { t.scalars[i] = Float.random(in: range, using: &generator) }
        return t
    }
}
