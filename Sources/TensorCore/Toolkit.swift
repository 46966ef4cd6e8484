/// Facts about this build of the toolkit, recorded in stored models' metadata.
public enum Toolkit {
    /// The w2v version (semantic versioning).
    public static let version = "0.1.0"
}
