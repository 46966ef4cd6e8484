// TensorCore re-exports swift-numerics' RealModule so that `Float.exp`, `Float.log` and
// `Relaxed` arithmetic are available wherever tensors are used.
@_exported import RealModule
