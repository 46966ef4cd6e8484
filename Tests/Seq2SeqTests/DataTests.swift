import CoreIO
import Foundation
import Seq2Seq
import TensorCore
import Testing

@Suite("Seq2Seq data")
struct DataTests {
    @Test func parsesAtTheFirstSeparatorKeepingPadding() throws {
        let examples = try Seq2SeqData.parse("16+75  _91  \r\n\n1_2_3\n", path: "f")
        #expect(examples == [Seq2SeqExample(question: "16+75  ", answer: "91  ", line: 1),
                             Seq2SeqExample(question: "1", answer: "2_3", line: 3)])
    }

    @Test func badLinesAreNamed() {
        #expect(throws: Seq2SeqError.missingSeparator(path: "f", line: 2)) { try Seq2SeqData.parse("1+1_2\n1+2 3\n", path: "f") }
        #expect(throws: Seq2SeqError.emptyFile(path: "f")) { try Seq2SeqData.parse("\n\n", path: "f") }
        #expect(throws: Seq2SeqError.emptyFile(path: "f")) { try Seq2SeqData.parse("", path: "f") }
        #expect(throws: Seq2SeqError.tooFewExamples(path: "f", count: 1)) {
            try Seq2SeqData.split([Seq2SeqExample(question: "a", answer: "b")], seed: 1, path: "f")
        }
        #expect(throws: Seq2SeqError.file(.notFound(path: "/nonexistent/x.txt"))) { try Seq2SeqData.read(path: "/nonexistent/x.txt") }
    }

    @Test func readsFilesAndRejectsBinary() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("seq2seq-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = directory.appendingPathComponent("good.txt").path, bad = directory.appendingPathComponent("bad.txt").path
        try Data("1+1  _2 \n".utf8).write(to: URL(fileURLWithPath: good))
        try Data([0xFF, 0xFE, 0x5F, 0x00]).write(to: URL(fileURLWithPath: bad))
        #expect(try Seq2SeqData.read(path: good).count == 1)
        #expect(throws: Seq2SeqError.notText(path: bad)) { try Seq2SeqData.read(path: bad) }
    }

    @Test func splitIsSeededNinetyTen() throws {
        let examples = (0..<100).map { Seq2SeqExample(question: "\($0)", answer: "x", line: $0 + 1) }
        let (train, test) = try Seq2SeqData.split(examples, seed: 7)
        #expect(train.count == 90 && test.count == 10)
        #expect(Set((train + test).map(\.line)).count == 100)
        let again = try Seq2SeqData.split(examples, seed: 7), other = try Seq2SeqData.split(examples, seed: 8)
        #expect(again.test == test && other.test != test)
    }

    @Test func vocabularyAndEncodingErrors() throws {
        let examples = [Seq2SeqExample(question: "1+2", answer: "3")]
        let vocabulary = SymbolVocabulary(examples: examples)
        #expect(vocabulary.symbols == Array(" +123_"))
        #expect(try vocabulary.encodeQuestion("21", width: 4) == [3, 2, 0, 0])
        #expect(throws: Seq2SeqError.unseenSymbol(symbol: "9", line: nil)) { try vocabulary.encodeQuestion("19", width: 4) }
        #expect(throws: Seq2SeqError.questionTooLong(length: 5, width: 4, line: 7)) {
            try vocabulary.encodeQuestion("1+2+3", width: 4, line: 7)
        }
        #expect(vocabulary.encodeAnswer("3", width: 2) == [5, 4, 0])
        #expect(vocabulary.encodeAnswer("333", width: 2) == [5, 4, nil])
        #expect(throws: Seq2SeqError.invalidArchive(reason: "the vocabulary entry \"ab\" is not one symbol")) {
            try SymbolVocabulary(strings: ["ab", "_", " "])
        }
        #expect(throws: Seq2SeqError.invalidArchive(reason: "the vocabulary lacks the separator \"_\" or the padding space")) {
            try SymbolVocabulary(strings: ["a", " "])
        }
        #expect(try SymbolVocabulary(strings: vocabulary.strings) == vocabulary)
    }

    @Test func generatedAdditionLines() {
        let lines = Seq2SeqCorpus.addition.lines(count: 2000, seed: 1)
        #expect(lines.count == 2000 && Set(lines).count == 2000)
        #expect(lines == Seq2SeqCorpus.addition.lines(count: 2000, seed: 1))
        #expect(lines != Seq2SeqCorpus.addition.lines(count: 2000, seed: 2))
        for line in lines {
            #expect(line.count == 12 && Array(line)[7] == "_")
            let parts = line.split(separator: "_", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            let terms = parts[0].split(separator: "+").map { Int($0)! }
            #expect(terms.allSatisfy { (0...999).contains($0) } && terms[0] + terms[1] == Int(parts[1])!)
        }
        // The book's distribution: a term has 1, 2 or 3 digits drawn equally often (leading zeros
        // fall away), so about a third of the terms are below 10 — not 1% as for 0...999 uniform.
        let terms = lines.flatMap { $0.prefix(7).split(separator: "+").map { Int($0.trimmingCharacters(in: .whitespaces))! } }
        let small = terms.filter { $0 < 10 }.count, large = terms.filter { $0 >= 100 }.count
        #expect(Double(small) / Double(terms.count) > 0.2 && Double(small) / Double(terms.count) < 0.4, "\(small) of \(terms.count)")
        #expect(Double(large) / Double(terms.count) > 0.25 && Double(large) / Double(terms.count) < 0.4, "\(large) of \(terms.count)")
        // A pair is used once, in one order or the other.
        let pairs = Set(lines.map { line in
            let t = line.prefix(7).split(separator: "+").map { Int($0.trimmingCharacters(in: .whitespaces))! }
            return [min(t[0], t[1]), max(t[0], t[1])]
        })
        #expect(pairs.count == lines.count)
    }

    @Test func generatedDateLines() throws {
        let lines = Seq2SeqCorpus.dates.lines(count: 3000, seed: 1)
        #expect(lines.count == 3000 && Set(lines).count == 3000)
        #expect(lines.allSatisfy { $0.count == 40 && Array($0)[29] == "_" })
        let answers = lines.map { String($0.dropFirst(30)) }
        #expect(answers.allSatisfy { $0 >= "1970-01-01" && $0 <= "2029-12-31" && $0.count == 10 })
        #expect(answers.contains { $0.hasPrefix("1970") } && answers.contains { $0.hasPrefix("2029") })
        let examples = try Seq2SeqData.parse(lines.joined(separator: "\n"), path: "dates")
        #expect(examples.allSatisfy { $0.question.count == 29 && $0.answer.count == 10 })
    }

    @Test func theThirteenDateFormats() {
        let day = 9035  // 1994-09-27, a Tuesday
        let questions = (0..<13).map { Seq2SeqCorpus.dateQuestion(day: day, format: $0) }
        #expect(questions == [
            "september 27, 1994", "September 27, 1994", "SEPTEMBER 27, 1994", "Sep 27, 1994", "SEP 27, 1994", "9/27/94",
            "09/27/1994", "Tuesday, September 27, 1994", "TUESDAY, SEPTEMBER 27, 1994", "tuesday, september 27, 1994",
            "27 September 1994", "1994-09-27", "27.09.1994",
        ])
        #expect(Seq2SeqCorpus.dateQuestion(day: 0, format: 11) == "1970-01-01")
        #expect(Seq2SeqCorpus.dateQuestion(day: 0, format: 7) == "Thursday, January 1, 1970")
        #expect(Seq2SeqCorpus.dateQuestion(day: 21_914, format: 11) == "2029-12-31")
        #expect(Seq2SeqCorpus.dateQuestion(day: 11_016, format: 12) == "29.02.2000")
    }

    @Test func everyErrorExplainsItself() {
        let errors: [Seq2SeqError] = [
            .file(.notFound(path: "x")), .notText(path: "x"), .emptyFile(path: "x"), .missingSeparator(path: "x", line: 3),
            .tooFewExamples(path: "x", count: 1), .unseenSymbol(symbol: " ", line: 2), .unseenSymbol(symbol: "é", line: nil),
            .questionTooLong(length: 9, width: 7, line: nil), .invalidConfiguration(reason: "r"), .invalidArchive(reason: "r"),
            .cancelled, .diverged(epoch: 2),
        ]
        for error in errors {
            #expect(error.problem.hasSuffix("."), "\(error)")
            if case .file = error {} else { #expect(error.problem.first!.isUppercase, "\(error)") }
            if let remedy = error.remedy { #expect(remedy.hasSuffix(".") || remedy.hasSuffix(")")) }
        }
        #expect(Seq2SeqError.unseenSymbol(symbol: " ", line: 2).problem.contains("line 2") )
        #expect(Seq2SeqError.unseenSymbol(symbol: "é", line: nil).problem.contains("\"é\""))
    }
}
