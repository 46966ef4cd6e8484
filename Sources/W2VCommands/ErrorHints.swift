import Embeddings

/// Library errors turned into ``CommandFailure``s with a second line that says how to fix them.
enum ErrorHints {
    static func failure(for error: any Error) -> CommandFailure? {
        switch error {
        case let error as WordVectorsError:
            return CommandFailure(CommandFailure.sentence(error.description))
        default:
            return nil
        }
    }
}
