import CoreIO
import Foundation
import ModelStorage
import Testing

extension CommandLineTests {
    /// `w2v train` on a plain file, a .gz, a .xz, a directory and standard input (issue 18).
    @Suite("Corpus formats, end to end")
    struct CorpusFormatsEndToEndTests {
        static let flags = ["--dimension", "8", "--window", "3", "--epochs", "2", "--min-count", "2", "--threads", "1",
                            "--seed", "5", "--quiet"]

        @Test("the same text gives the same vocabulary and, with one thread and a seed, the same vectors whichever way it arrives")
        func sameTextSameVectors() throws {
            let workspace = try Workspace()
            let text = Array(TinyCorpus.text(sentences: 300).utf8)
            try workspace.write("plain.txt", bytes: text)
            try workspace.write("corpus.gz", bytes: try Compression.gzip.compress(text))
            try workspace.write("corpus.xz", bytes: try Compression.xz.compress(text))
            try FileManager.default.createDirectory(atPath: workspace.path("dir"), withIntermediateDirectories: false)
            let lines = TinyCorpus.text(sentences: 300).split(separator: "\n", omittingEmptySubsequences: false)
            let half = lines.count / 2
            try workspace.write("dir/a.txt", lines[..<half].joined(separator: "\n") + "\n")
            try workspace.write("dir/b.xz", bytes: try Compression.xz.compress(Array(lines[half...].joined(separator: "\n").utf8)))
            let runs: [(name: String, corpus: String, input: Data?)] = [
                ("plain", "plain.txt", nil), ("gzip", "corpus.gz", nil), ("xz", "corpus.xz", nil), ("directory", "dir", nil),
                ("stdin-gzip", "-", Data(try Compression.gzip.compress(text))),
            ]
            for run in runs {
                let result = try workspace.run(["train", run.corpus, "--store", workspace.store, "--name", run.name] + Self.flags,
                                               standardInput: run.input)
                #expect(result.status == 0, "\(run.name): \(result)")
            }
            let store = try VectorStore(path: workspace.store, mode: .readOnly)
            let reference = try store.load("plain")
            for run in runs.dropFirst() {
                let model = try store.load(run.name)
                #expect(model.vectors.words == reference.vectors.words, "\(run.name)")
                #expect(model.vectors.counts == reference.vectors.counts, "\(run.name)")
                #expect(model.vectors.vectors.scalars == reference.vectors.vectors.scalars, "\(run.name)")
                #expect(model.metadata.corpus?.checksum == reference.metadata.corpus?.checksum, "\(run.name)")
                #expect(model.metadata.corpus?.sizeBytes == text.count, "\(run.name)")
            }
            #expect(try store.load("gzip").metadata.corpus?.format == "gzip")
            #expect(try store.load("stdin-gzip").metadata.corpus?.format == "gzip")
            #expect(try store.load("stdin-gzip").metadata.corpus?.path == "-")
            #expect(try store.load("xz").metadata.corpus?.compressedSizeBytes == (try Compression.xz.compress(text)).count)
            let directory = try #require(try store.load("directory").metadata.corpus)
            #expect(directory.format == "directory")
            #expect(directory.files?.map { $0.path } == [workspace.path("dir") + "/a.txt", workspace.path("dir") + "/b.xz"].map {
                $0.replacingOccurrences(of: workspace.directory.path + "/", with: "")
            })
            #expect(directory.files?.map { $0.format } == ["text", "xz"])
        }

        @Test("w2v info shows what was read: the format, the text's and the file's size, each file of a directory")
        func infoShowsWhatWasRead() throws {
            let workspace = try Workspace()
            let text = Array(TinyCorpus.text(sentences: 120).utf8)
            try workspace.write("c.txt.xz", bytes: try Compression.xz.compress(text))
            #expect(try workspace.run(["train", "c.txt.xz", "--store", workspace.store] + Self.flags).status == 0)
            let info = try workspace.run(["info", "c-skipgram", "--store", workspace.store])
            #expect(info.status == 0, "\(info)")
            #expect(info.stdout.contains("c.txt.xz (xz)"), "\(info)")
            #expect(info.stdout.contains("of text from"), "\(info)")
            #expect(info.stdout.contains("(of the text)"), "\(info)")
            let json = try workspace.run(["info", "c-skipgram", "--store", workspace.store, "--json"]).json()
            let corpus = try #require(json["corpus"] as? [String: Any])
            #expect(corpus["format"] as? String == "xz")
            #expect(corpus["sizeBytes"] as? Int == text.count)
        }

        @Test("a corrupt or truncated compressed corpus fails clearly and stores nothing")
        func corruptCorpus() throws {
            let workspace = try Workspace()
            var bytes = try Compression.gzip.compress(Array(TinyCorpus.text(sentences: 200).utf8))
            bytes[bytes.count / 2] ^= 0xFF
            try workspace.write("bad.gz", bytes: bytes)
            let bad = try workspace.run(["train", "bad.gz", "--store", workspace.store, "--quiet"])
            #expect(bad.status == 1, "\(bad)")
            #expect(bad.stderr.hasPrefix("w2v: The corpus file \"bad.gz\" could not be read: its gzip data is corrupt"), "\(bad)")
            #expect(bad.stderr.contains("Check the file with `gzip -t bad.gz`"), "\(bad)")
            try workspace.write("cut.xz", bytes: Array(try Compression.xz.compress(Array(TinyCorpus.text(sentences: 200).utf8)).prefix(100)))
            let cut = try workspace.run(["train", "cut.xz", "--store", workspace.store, "--quiet"])
            #expect(cut.status == 1 && cut.stderr.contains("its xz data ends early (the file is truncated)"), "\(cut)")
            let models = try workspace.run(["models", "--store", workspace.store])
            #expect(models.stdout.contains("holds no models"), "\(models)")
        }
    }
}
