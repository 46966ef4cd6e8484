import CoreIO
import NeuralNetwork
import TensorCore

/// One line of a seq2seq file: `question_answer`, split at the first `_` (Saitoh 2, §7.2.1's
/// format). Both sides keep their padding spaces; every character is a symbol.
public struct Seq2SeqExample: Sendable, Equatable {
    public var question: String
    public var answer: String
    /// The line number in its file (from 1).
    public var line: Int

    public init(question: String, answer: String, line: Int = 0) {
        self.question = question
        self.answer = answer
        self.line = line
    }
}

/// Reading, splitting and batching seq2seq examples.
public enum Seq2SeqData {
    /// The examples of `text` (from the file `path`, for messages). Blank lines are skipped; a
    /// trailing `\r` is dropped. Throws on a line without `_` and when there is no example.
    public static func parse(_ text: String, path: String) throws(Seq2SeqError) -> [Seq2SeqExample] {
        var examples: [Seq2SeqExample] = []
        var number = 0
        // "\r\n" is one Character in Swift, so both line ends are separators here.
        for var line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            number += 1
            if line.hasSuffix("\r") { line = line.dropLast() }
            if line.isEmpty { continue }
            guard let separator = line.firstIndex(of: "_") else { throw .missingSeparator(path: path, line: number) }
            examples.append(Seq2SeqExample(question: String(line[..<separator]),
                                           answer: String(line[line.index(after: separator)...]), line: number))
        }
        if examples.isEmpty { throw .emptyFile(path: path) }
        return examples
    }

    /// The examples of the file at `path` (through ``InputFile``; `-` is standard input).
    public static func read(path: String) throws(Seq2SeqError) -> [Seq2SeqExample] {
        let bytes: [UInt8]
        do {
            let file = try InputFile(path: path, skippingByteOrderMark: true)
            bytes = try file.readAll()
        } catch { throw .file(error) }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .notText(path: path) }
        return try parse(text, path: path)
    }

    /// A seeded 90/10 split (a Fisher-Yates shuffle by `SplitMix64(seed:)`): the last
    /// `max(1, count/10)` shuffled examples are held out. Needs two examples or more.
    public static func split(_ examples: [Seq2SeqExample], seed: UInt64, path: String = "the data",
                             testFraction: Double = 0.1) throws(Seq2SeqError) -> (training: [Seq2SeqExample], test: [Seq2SeqExample]) {
        guard examples.count >= 2 else { throw .tooFewExamples(path: path, count: examples.count) }
        var order = Array(examples.indices)
        var generator = SplitMix64(seed: seed)
        for i in stride(from: order.count - 1, to: 0, by: -1) {
            order.swapAt(i, generator.nextIndex(below: i + 1))
        }
        let testCount = max(1, Int(Double(examples.count) * testFraction))
        let cut = examples.count - testCount
        return (order[..<cut].map { examples[$0] }, order[cut...].map { examples[$0] })
    }
}

/// The symbols of a seq2seq model: every character of the data, the separator `_` (the decoder's
/// start symbol) and the padding space, in sorted order (so a file always gives the same ids).
public struct SymbolVocabulary: Sendable, Equatable {
    /// The start symbol of every answer (the line format's separator).
    public static let separator: Character = "_"
    /// The padding symbol.
    public static let padding: Character = " "

    /// The symbols by id.
    public let symbols: [Character]
    private let ids: [Character: Int]

    /// The vocabulary of `symbols` (duplicates removed; order kept).
    public init(symbols: [Character]) {
        var seen: [Character: Int] = [:]
        var list: [Character] = []
        for symbol in symbols where seen[symbol] == nil {
            seen[symbol] = list.count
            list.append(symbol)
        }
        self.symbols = list
        self.ids = seen
    }

    /// The characters of `examples` plus `_` and space, sorted.
    public init(examples: [Seq2SeqExample]) {
        var all = Set<Character>([Self.separator, Self.padding])
        for example in examples {
            all.formUnion(example.question)
            all.formUnion(example.answer)
        }
        self.init(symbols: all.sorted())
    }

    public var count: Int { symbols.count }
    public func id(of symbol: Character) -> Int? { ids[symbol] }
    public var separatorID: Int { ids[Self.separator]! }
    public var paddingID: Int { ids[Self.padding]! }

    /// The symbols as one-character strings (for storage).
    public var strings: [String] { symbols.map { String($0) } }

    /// The vocabulary of stored one-character strings.
    public init(strings: [String]) throws(Seq2SeqError) {
        var symbols: [Character] = []
        for string in strings {
            guard string.count == 1 else { throw .invalidArchive(reason: "the vocabulary entry \"\(string)\" is not one symbol") }
            symbols.append(string.first!)
        }
        guard Set(symbols).count == symbols.count else { throw .invalidArchive(reason: "the vocabulary repeats a symbol") }
        guard symbols.contains(Self.separator), symbols.contains(Self.padding) else {
            throw .invalidArchive(reason: "the vocabulary lacks the separator \"_\" or the padding space")
        }
        self.init(symbols: symbols)
    }

    /// The ids of `question` padded with spaces to `width`.
    public func encodeQuestion(_ question: String, width: Int, line: Int? = nil) throws(Seq2SeqError) -> [Int] {
        let characters = Array(question)
        guard characters.count <= width else { throw .questionTooLong(length: characters.count, width: width, line: line) }
        var out: [Int] = []
        out.reserveCapacity(width)
        for symbol in characters {
            guard let id = ids[symbol] else { throw .unseenSymbol(symbol: String(symbol), line: line) }
            out.append(id)
        }
        out.append(contentsOf: repeatElement(paddingID, count: width - characters.count))
        return out
    }

    /// `_` followed by the ids of `answer` padded (or cut) to `width`; unseen symbols become
    /// nil (so such an answer can never be matched).
    public func encodeAnswer(_ answer: String, width: Int) -> [Int?] {
        var out: [Int?] = [separatorID]
        for symbol in answer.prefix(width) { out.append(ids[symbol]) }
        out.append(contentsOf: repeatElement(Optional(paddingID), count: width + 1 - out.count))
        if answer.count > width { out[width] = nil }  // too long: no output of this width matches
        return out
    }

    /// The text of `ids`.
    public func decode(_ ids: [Int]) -> String { String(ids.map { symbols[$0] }) }
}

/// Examples as id batches for one model: questions `[N, Tq]`, answers `[N, 1 + Ta]` starting
/// with `_` (decoder inputs are answers[:, :-1], targets answers[:, 1:]).
public struct EncodedExamples: Sendable, Equatable {
    public var questions: SequenceBatch
    public var answers: SequenceBatch
    public var count: Int { questions.batchSize }

    public init(questions: SequenceBatch, answers: SequenceBatch) {
        precondition(questions.batchSize == answers.batchSize, "Questions and answers need one row each per example.")
        self.questions = questions
        self.answers = answers
    }

    /// Encodes training or test examples: unseen symbols and too-long questions are errors;
    /// answers are padded or cut to `answerWidth` (a symbol missing from the vocabulary is an error too).
    public init(_ examples: [Seq2SeqExample], vocabulary: SymbolVocabulary, questionWidth: Int, answerWidth: Int) throws(Seq2SeqError) {
        var questions: [Int] = [], answers: [Int] = []
        questions.reserveCapacity(examples.count * questionWidth)
        answers.reserveCapacity(examples.count * (answerWidth + 1))
        for example in examples {
            questions += try vocabulary.encodeQuestion(example.question, width: questionWidth, line: example.line)
            for (k, id) in vocabulary.encodeAnswer(example.answer, width: answerWidth).enumerated() {
                guard let id else {
                    if example.answer.count > answerWidth {
                        throw .invalidConfiguration(reason: "the answer on line \(example.line) is longer than the answer width \(answerWidth)")
                    }
                    throw .unseenSymbol(symbol: String(Array(example.answer)[k - 1]), line: example.line)
                }
                answers.append(id)
            }
        }
        self.init(questions: SequenceBatch(ids: questions, batchSize: examples.count, timeSize: questionWidth),
                  answers: SequenceBatch(ids: answers, batchSize: examples.count, timeSize: answerWidth + 1))
    }

    /// The examples `indices`, in that order.
    public func selecting(_ indices: [Int]) -> EncodedExamples {
        EncodedExamples(questions: questions.selecting(indices), answers: answers.selecting(indices))
    }
}
