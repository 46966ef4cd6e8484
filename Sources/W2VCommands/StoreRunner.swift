import Embeddings
import Foundation
import TensorCore
import VectorFormats
import ModelStorage

/// `import`, `export`, `models` and `info`.
enum StoreRunner {
    static func importVectors(_ command: Import) throws {
        let access = StoreAccess(command.storeOptions)
        let name = command.resolvedModelName
        let format: VectorFileFormat
        let vectors: WordVectors
        do {
            format = try command.format ?? VectorFileFormat.detect(path: command.file)
            vectors = try VectorFileReader.read(contentsOf: command.file, format: format)
        } catch {
            throw importFailure(error, file: command.file)
        }
        let metadata = ModelMetadata(method: "imported", parameters: ["format": format.rawValue],
                                     notes: "Imported from \(command.file)")
        // Opened only after the file was read, so a bad file leaves no new store behind.
        let store = try access.openForWriting()
        do {
            try store.save(vectors, as: name, metadata: metadata, replace: true)
        } catch {
            throw access.mapped(error)
        }
        StandardStreams.printLine("Imported \(vectors.count) words x \(vectors.dimension) dimensions from \(command.file) (\(format.rawValue)) as \"\(name)\" in \(access.path).")
    }

    static func importFailure(_ error: any Error, file: String) -> CommandFailure {
        let base = CommandFailure(error)
        if let error = error as? VectorFormatError, case .fileNotFound = error { return base }
        var failure = base
        if !failure.message.contains(file) { failure.message = "Cannot import \(file): " + lowercasedFirst(failure.message) }
        // A format hint only where the contents were read and found wanting, not for a file
        // that could not be opened (permissions, a directory).
        if let error = error as? VectorFormatError, error.concernsContents {
            failure.hint = failure.hint ?? "Check that it is a word2vec (text or binary) or GloVe file, or name the format with --format."
        }
        return failure
    }

    static func export(_ command: Export) throws {
        let access = StoreAccess(command.storeOptions)
        let model = try access.loadModel(command.modelName)
        let format = command.resolvedFormat
        // Never onto the store itself (or its journal files), whatever path names it.
        let protected = ["", "-wal", "-shm", "-journal"].map { (path: access.path + $0, what: "the model store being exported from") }
        do {
            try VectorFileWriter.write(model.vectors, to: command.file, format: format, protectedFiles: protected)
        } catch {
            throw CommandFailure(error)
        }
        StandardStreams.printLine("Wrote \"\(model.name)\" (\(model.vectors.count) words x \(model.vectors.dimension) dimensions) to \(command.file) (\(format.rawValue)).")
    }

    static func models(_ command: Models) throws {
        let access = StoreAccess(command.storeOptions)
        let service = QueryService(storeOptions: command.storeOptions)
        let list = try service.modelList(in: try service.openStore())
        let listed = list.models, networks = list.networks
        if command.output.json {
            StandardStreams.printLine(try JSONOutput.string(list))
            return
        }
        if !networks.isEmpty {
            let table = TextTable(
                columns: [.init("name"), .init("kind"), .init("words", .right), .init("parameters", .right),
                          .init("epochs", .right), .init("valid ppl", .right), .init("created")],
                rows: networks.map { [$0.name, $0.kind, $0.vocabularySize.map(grouped) ?? "-", grouped($0.parameters), "\($0.epochs)",
                                      $0.validPerplexity.map { formatFixed($0, decimals: 2) } ?? "-", $0.createdAt] })
            StandardStreams.printLine(table.render() + (listed.isEmpty ? "" : "\n"))
            if listed.isEmpty { return }
        }
        guard !listed.isEmpty else {
            StandardStreams.printLine("The store \(access.path) holds no models. Train one with: w2v train\(access.storeFlag)")
            return
        }
        let table = TextTable(
            columns: [.init("name"), .init("method"), .init("words", .right), .init("dimension", .right),
                      .init("created"), .init("corpus")],
            rows: listed.map { [$0.name, $0.method, grouped($0.vocabularySize), "\($0.dimension)", $0.createdAt,
                                $0.damage.map { "DAMAGED: \($0)" } ?? $0.corpus ?? "-"] })
        StandardStreams.printLine(table.render())
    }

    static func info(_ command: Info) throws {
        let service = QueryService(storeOptions: command.storeOptions)
        let store = try service.openStore()
        if let network = try service.networkDetails(of: command.modelName, in: store) {
            StandardStreams.printLine(command.output.json ? try JSONOutput.string(network) : network.text)
            return
        }
        let details = try service.details(of: command.modelName, in: store)
        if command.output.json {
            StandardStreams.printLine(try JSONOutput.string(details))
            return
        }
        var rows: [[String]] = [
            ["name", details.name], ["store", details.store], ["method", details.method],
            ["words", grouped(details.vocabularySize)], ["dimension", "\(details.dimension)"],
            ["created", details.createdAt], ["toolkit", details.toolkitVersion],
        ]
        if let seconds = details.trainingSeconds { rows.append(["training time", formatFixed(seconds, decimals: 1) + " s"]) }
        if let corpus = details.corpus {
            rows.append(["corpus", corpus.path + (corpus.format.map { " (\($0))" } ?? "")])
            let compressed = corpus.compressedSizeBytes.map { " of text from \(grouped($0)) compressed" } ?? ""
            rows.append(["corpus size", "\(grouped(corpus.sizeBytes)) bytes\(compressed)" + (corpus.tokenCount.map { ", \(grouped($0)) words" } ?? "")])
            rows.append(["corpus checksum", corpus.checksum + (corpus.format.map { $0 == "text" ? "" : " (of the text)" } ?? "")])
            for (index, file) in (corpus.files ?? []).enumerated() {
                let compressedFile = file.compressedSizeBytes.map { ", \(grouped($0)) compressed" } ?? ""
                rows.append(["corpus file \(index + 1)", "\(file.path) (\(file.format ?? "text"), \(grouped(file.sizeBytes)) bytes\(compressedFile), \(file.checksum))"])
            }
        }
        let runs = details.trainingRuns ?? []
        if runs.count > 1 {
            for (index, run) in runs.enumerated() {
                var parts = ["\(run.corpus.path)" + (run.corpus.format.map { " (\($0))" } ?? "")]
                if let tokens = run.corpus.tokenCount { parts.append("\(grouped(tokens)) words") }
                if let epochs = run.epochs { parts.append("\(epochs) epoch\(epochs == 1 ? "" : "s")") }
                if index > 0, let added = run.addedWords { parts.append("+\(grouped(added)) new words") }
                if let size = run.vocabularySize { parts.append("\(grouped(size)) words after") }
                rows.append(["training run \(index + 1)", parts.joined(separator: ", ")])
            }
        }
        if details.method == "skipgram" || details.method == "cbow" {
            rows.append(["output weights", details.outputWeightsStored == true
                            ? "stored (can be continued: w2v train MORE --continue \(shellQuoted(details.name)))"
                            : "not stored (trained before w2v kept them; cannot be continued)"])
        }
        for key in details.parameters.keys.sorted() where key != "dimension" { rows.append([key, details.parameters[key]!]) }
        if let notes = details.notes { rows.append(["notes", notes]) }
        var text = TextTable(columns: [.init("property"), .init("value")], rows: rows).render()
        if let history = details.trainingHistory, !history.points.isEmpty {
            text += "\n\n" + historyTable(history)
        }
        StandardStreams.printLine(text)
    }

    /// The training history as a table: every point when there are at most 12, else the points
    /// at (or first past) each tenth of training (all of them are in `--json`).
    static func historyTable(_ history: TrainingHistory) -> String {
        var shown = history.points
        var heading = "Training history (\(history.points.count) point\(history.points.count == 1 ? "" : "s")"
        if history.points.count > 12 {
            let step = history.unit == "percent" ? 10.0 : max(1, ((history.points.last?.position ?? 1) / 10).rounded(.up))
            var next = step
            shown = [history.points[0]]
            for point in history.points.dropFirst() where point.position >= next {
                shown.append(point)
                while next <= point.position { next += step }
            }
            if shown.last != history.points.last, let last = history.points.last { shown.append(last) }
            heading += ", \(shown.count) shown; all in --json"
        }
        heading += "):"
        let names = Set(history.points.flatMap { $0.validation.keys }).sorted()
        var columns: [TextTable.Column] = [.init(history.unit == "percent" ? "%" : history.unit, .right), .init("loss", .right),
                                           .init("learning rate", .right)]
        columns += names.map { TextTable.Column($0, .right) }
        columns.append(.init("seconds", .right))
        let rows = shown.map { point -> [String] in
            var row = [formatFixed(point.position, decimals: point.position == point.position.rounded() ? 0 : 1),
                       point.loss.map { formatFixed($0, decimals: 4) } ?? "-",
                       point.learningRate.map { String(format: "%.6f", $0) } ?? "-"]
            row += names.map { name in point.validation[name].map { formatFixed($0, decimals: 4) } ?? "-" }
            row.append(point.elapsedSeconds.map { formatFixed($0, decimals: 1) } ?? "-")
            return row
        }
        return heading + "\n" + TextTable(columns: columns, rows: rows).render()
    }
}

func lowercasedFirst(_ text: String) -> String {
    guard let first = text.first else { return text }
    // Keep "The" -> "the" but leave names and acronyms ("UTF-8", "SQLite") alone.
    let firstWord = text.prefix { $0 != " " }
    if firstWord.dropFirst().contains(where: \.isUppercase) { return text }
    return first.lowercased() + text.dropFirst()
}

/// ISO 8601 time in UTC, to the second.
func isoTime(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.string(from: date)
}

/// One model in `w2v models --json`.
public struct ModelListing: Codable, Sendable, Equatable {
    public var name: String
    public var method: String
    public var vocabularySize: Int
    public var dimension: Int
    public var createdAt: String
    public var toolkitVersion: String
    public var corpus: String?
    public var trainingSeconds: Double?
    /// What is wrong with the model's record, for a damaged model (absent otherwise).
    public var damage: String?

    init(_ summary: ModelSummary) {
        name = summary.name
        method = summary.method
        vocabularySize = summary.vocabularySize
        dimension = summary.dimension
        createdAt = isoTime(summary.createdAt)
        toolkitVersion = summary.toolkitVersion
        corpus = summary.metadata.corpus?.path
        trainingSeconds = summary.metadata.trainingSeconds
        damage = summary.damage
    }
}

/// `w2v models --json`.
public struct ModelList: Codable, Sendable, Equatable {
    public var store: String
    public var models: [ModelListing]
    /// Language models (and other networks) stored beside the vectors.
    public var networks: [NetworkListing] = []
}

/// `w2v info --json`.
public struct ModelDetails: Codable, Sendable, Equatable {
    public var name: String
    public var store: String
    public var method: String
    public var vocabularySize: Int
    public var dimension: Int
    public var createdAt: String
    public var toolkitVersion: String
    public var trainingSeconds: Double?
    public var parameters: [String: String]
    public var corpus: CorpusDescription?
    public var notes: String?
    /// Loss and learning rate per percent of training (absent for imported and older models).
    public var trainingHistory: TrainingHistory?
    /// Every training run, oldest first (the lineage of a continued model).
    public var trainingRuns: [TrainingRun]?
    /// Whether word2vec's output weights are stored, so that the model can be continued.
    public var outputWeightsStored: Bool?

    init(_ summary: ModelSummary, store: String) {
        name = summary.name
        self.store = store
        method = summary.method
        vocabularySize = summary.vocabularySize
        dimension = summary.dimension
        createdAt = isoTime(summary.createdAt)
        toolkitVersion = summary.toolkitVersion
        trainingSeconds = summary.metadata.trainingSeconds
        parameters = summary.metadata.parameters
        corpus = summary.metadata.corpus
        notes = summary.metadata.notes
        trainingHistory = summary.metadata.trainingHistory
        trainingRuns = summary.metadata.trainingRuns
    }
}
