import ArgumentParser
import Embeddings
import LanguageModels
import Testing
import VectorFormats
import Word2Vec
@testable import W2VCommands

/// Parses `arguments` as `w2v ...` and returns the subcommand as `T`.
func parse<T: ParsableCommand>(_ arguments: [String], as type: T.Type = T.self) throws -> T {
    let command = try W2VCommand.parseAsRoot(arguments)
    return try #require(command as? T, "parsed \(Swift.type(of: command)), expected \(T.self)")
}

/// The message ArgumentParser would print for `arguments`, which must fail to parse.
func parseFailure(_ arguments: [String]) -> String? {
    do {
        _ = try W2VCommand.parseAsRoot(arguments)
        return nil
    } catch {
        return W2VCommand.message(for: error)
    }
}

@Suite("Parsing w2v train")
struct TrainParseTests {
    @Test func defaults() throws {
        let train = try parse(["train"], as: Train.self)
        #expect(train.corpus == nil)
        #expect(train.model == .skipgram)
        #expect(train.dimension == 100)
        #expect(train.window == nil)
        #expect(train.resolvedWindow == 5)
        #expect(train.negative == 5)
        #expect(train.minCount == 5)
        #expect(train.maxVocabularySize == nil)
        #expect(train.sample == 1e-3)
        #expect(train.epochs == 5)
        #expect(train.threads == nil)
        #expect(train.resolvedThreads >= 1)
        #expect(train.seed == 1)
        #expect(train.alpha == nil)
        #expect(train.update == nil)
        #expect(train.resolvedUpdate == .hogBatch)
        #expect(train.cds == 0.75)
        #expect(train.eig == 0.5)
        #expect(train.contextVectors == true)
        #expect(train.shift == 1)
        #expect(!train.lowercase)
        #expect(!train.quiet)
        #expect(train.storeOptions.store == nil)
        #expect(train.name == nil)
    }

    @Test func everyFlag() throws {
        let train = try parse([
            "train", "corpus.txt", "--model", "ppmi-svd", "--dimension", "50", "--window", "2", "--negative", "10",
            "--min-count", "3", "--max-vocab", "1000", "--sample", "1e-4", "--epochs", "3", "--threads", "4",
            "--seed", "42", "--alpha", "0.05", "--cds", "1", "--eig", "0", "--shift", "5", "--no-context-vectors", "--lowercase", "--quiet",
            "--store", "m.sqlite", "--name", "small",
        ], as: Train.self)
        #expect(train.corpus == "corpus.txt")
        #expect(train.model == .ppmiSVD)
        #expect(train.dimension == 50)
        #expect(train.window == 2)
        #expect(train.resolvedWindow == 2)
        #expect(train.negative == 10)
        #expect(train.minCount == 3)
        #expect(train.maxVocabularySize == 1000)
        #expect(train.sample == 1e-4)
        #expect(train.epochs == 3)
        #expect(train.threads == 4)
        #expect(train.resolvedThreads == 4)
        #expect(train.seed == 42)
        #expect(train.alpha == 0.05)
        #expect(train.cds == 1)
        #expect(train.eig == 0)
        #expect(train.contextVectors == false)
        #expect(train.shift == 5)
        #expect(train.lowercase)
        #expect(train.quiet)
        #expect(train.storeOptions.store == "m.sqlite")
        #expect(train.name == "small")
        #expect(train.resolvedModelName(corpusPath: "corpus.txt") == "small")
    }

    @Test(arguments: [("per-pair", SkipGramUpdate.perPair), ("hogbatch", .hogBatch)])
    func skipGramUpdate(flag: String, kind: SkipGramUpdate) throws {
        let train = try parse(["train", "--update", flag], as: Train.self)
        #expect(train.update == kind && train.resolvedUpdate == kind)
    }

    @Test(arguments: [("skipgram", ModelKind.skipgram), ("cbow", .cbow), ("ppmi-svd", .ppmiSVD)])
    func models(flag: String, kind: ModelKind) throws {
        let train = try parse(["train", "--model", flag], as: Train.self)
        #expect(train.model == kind)
        #expect(train.resolvedWindow == (kind == .ppmiSVD ? 2 : 5))
    }

    @Test(arguments: [
        ("/data/wiki8.txt", ModelKind.skipgram, "wiki8-skipgram"),
        ("corpora/sample.txt", .cbow, "sample-cbow"),
        ("text8", .ppmiSVD, "text8-ppmi-svd"),
    ])
    func defaultModelName(path: String, kind: ModelKind, expected: String) throws {
        let train = try parse(["train", path, "--model", kind.rawValue], as: Train.self)
        #expect(train.resolvedModelName(corpusPath: path) == expected)
    }

    @Test(arguments: [
        (["--dimension", "0"], "--dimension must be between 1 and 10000 (got 0)."),
        (["--window", "0"], "--window must be between 1 and 1000 (got 0)."),
        (["--negative", "0"], "--negative must be between 1 and 1000 (got 0)."),
        (["--min-count", "0"], "--min-count must be between 1 and 2147483647 (got 0)."),
        (["--max-vocab", "0"], "--max-vocab must be between 1 and 2147483647 (got 0)."),
        (["--epochs", "0"], "--epochs must be between 1 and 10000 (got 0)."),
        (["--threads", "0"], "--threads must be between 1 and 1024 (got 0)."),
        (["--sample", "1.5"], "--sample must be in 0..<1 (got 1.5); 1e-3 to 1e-5 is typical, 0 turns it off."),
        (["--alpha", "0"], "--alpha must be in (0, 1] (got 0.0); 0.025 is typical for skip-gram."),
        (["--cds", "0"], "--cds must be in (0, 1] (got 0.0); 0.75 is typical, 1 turns smoothing off."),
        (["--eig", "2"], "--eig must be in 0...1 (got 2.0)."),
        (["--shift", "0.5"], "--shift must be at least 1 (got 0.5); 1 means no shift."),
        (["--store", ""], "--store needs a file path, e.g. --store models.sqlite."),
        (["--model", "cbow", "--update", "hogbatch"], "--update applies to --model skipgram only (CBOW already makes one prediction per window)."),
        (["--name", " "], "--name needs a non-empty model name, e.g. --name text8-skipgram."),
    ])
    func validation(arguments: [String], message: String) {
        #expect(parseFailure(["train"] + arguments) == message)
    }

    @Test func unknownModelIsRejected() throws {
        let message = try #require(parseFailure(["train", "--model", "glove"]))
        #expect(message.contains("glove"))
        #expect(message.contains("skipgram"))
    }

    @Test func malformedNumbersAreRejected() {
        #expect(parseFailure(["train", "--dimension", "ten"]) != nil)
        #expect(parseFailure(["train", "--seed", "-1"]) != nil)
        #expect(parseFailure(["train", "--update", "batched"])?.contains("hogbatch") == true)
    }
}

@Suite("Parsing the query commands")
struct QueryParseTests {
    @Test func similarDefaults() throws {
        let similar = try parse(["similar", "king"], as: Similar.self)
        #expect(similar.word == "king")
        #expect(similar.countOption.count == 10)
        #expect(similar.restrict == nil)
        #expect(!similar.output.json)
        #expect(similar.selection.name == nil)
    }

    @Test func similarFlags() throws {
        let similar = try parse(["similar", "paris", "-n", "3", "--restrict", "500", "--json", "--store", "x.sqlite", "--name", "m"],
                                as: Similar.self)
        #expect(similar.word == "paris")
        #expect(similar.countOption.count == 3)
        #expect(similar.restrict == 500)
        #expect(similar.output.json)
        #expect(similar.storeOptions.store == "x.sqlite")
        #expect(similar.selection.name == "m")
        #expect(try parse(["similar", "paris", "--count", "7"], as: Similar.self).countOption.count == 7)
    }

    @Test func analogyUsesWord2VecOrder() throws {
        let analogy = try parse(["analogy", "man", "king", "woman"], as: Analogy.self)
        #expect([analogy.a, analogy.b, analogy.c] == ["man", "king", "woman"])
        #expect(analogy.method == .add)
        #expect(analogy.countOption.count == 10)
        let mul = try parse(["analogy", "a", "b", "c", "--method", "mul", "-n", "1", "--json"], as: Analogy.self)
        #expect(mul.method == .multiply)
        #expect(mul.countOption.count == 1)
        #expect(mul.output.json)
    }

    @Test func analogyHelpExplainsTheOrder() {
        let help = W2VCommand.helpMessage(for: Analogy.self, columns: 200)
        #expect(help.contains("w2v analogy man king woman"))
        #expect(help.contains("queen"))
    }

    @Test func similarityAndDoesntMatch() throws {
        let similarity = try parse(["similarity", "cat", "dog", "--json"], as: Similarity.self)
        #expect(similarity.first == "cat" && similarity.second == "dog" && similarity.output.json)
        let odd = try parse(["doesnt-match", "a", "b", "c", "d"], as: DoesntMatch.self)
        #expect(odd.words == ["a", "b", "c", "d"])
    }

    @Test(arguments: [
        (["similar"], "Missing expected argument '<word>'"),
        (["similar", "king", "-n", "0"], "-n must be between 1 and 100000 (got 0)."),
        (["similar", "king", "--restrict", "0"], "--restrict must be between 1 and 2147483647 (got 0)."),
        (["analogy", "man", "king"], "Missing expected argument '<c>'"),
        (["analogy", "a", "b", "c", "--method", "sub"], nil),
        (["similarity", "cat"], "Missing expected argument '<second>'"),
        (["doesnt-match", "a", "b"], "doesnt-match needs at least three words (got 2), e.g. w2v doesnt-match paris berlin rome apple."),
    ] as [([String], String?)])
    func validation(arguments: [String], message: String?) throws {
        let actual = try #require(parseFailure(arguments))
        if let message { #expect(actual.contains(message)) }
    }
}

@Suite("Parsing eval, import, export, models and info")
struct OtherParseTests {
    @Test func evalAnalogy() throws {
        let eval = try parse(["eval", "analogy", "q.txt"], as: EvaluateAnalogy.self)
        #expect(eval.file == "q.txt")
        #expect(eval.restrict == 30000)
        #expect(eval.method == .add)
        #expect(!eval.output.json)
        let flags = try parse(["eval", "analogy", "q.txt", "--restrict", "0", "--method", "mul", "--json", "--name", "m"],
                              as: EvaluateAnalogy.self)
        #expect(flags.restrict == 0 && flags.method == .multiply && flags.output.json && flags.selection.name == "m")
        #expect(parseFailure(["eval", "analogy", "q.txt", "--restrict", "-3"]) != nil)
        #expect(parseFailure(["eval", "analogy"])?.contains("Missing expected argument '<file>'") == true)
    }

    @Test func evalSimilarity() throws {
        let eval = try parse(["eval", "similarity", "ws.tsv", "--json"], as: EvaluateSimilarity.self)
        #expect(eval.file == "ws.tsv" && eval.output.json)
        #expect(parseFailure(["eval", "nonsense", "x"]) != nil)
    }

    @Test(arguments: [
        ("vectors.txt", VectorFileFormat.word2vecText), ("GoogleNews.BIN", .word2vecBinary),
        ("glove.6B.50d.txt", .glove), ("dir.bin/vectors.vec", .word2vecText),
    ])
    func formatGuess(path: String, format: VectorFileFormat) {
        #expect(VectorFileFormat.guess(fromPath: path) == format)
    }

    @Test func importDefaults() throws {
        let command = try parse(["import", "/tmp/vectors/lee_fasttext.vec"], as: Import.self)
        #expect(command.file == "/tmp/vectors/lee_fasttext.vec")
        #expect(command.format == nil)
        #expect(command.resolvedModelName == "lee_fasttext")
        let named = try parse(["import", "v.bin", "--format", "glove", "--name", "g"], as: Import.self)
        #expect(named.format == .glove)
        #expect(named.resolvedModelName == "g")
        #expect(parseFailure(["import", "v.txt", "--format", "fasttext"]) != nil)
    }

    @Test func exportArguments() throws {
        let both = try parse(["export", "m", "out.bin"], as: Export.self)
        #expect(both.modelName == "m" && both.file == "out.bin" && both.resolvedFormat == .word2vecBinary)
        let fileOnly = try parse(["export", "out.txt", "--format", "glove"], as: Export.self)
        #expect(fileOnly.modelName == nil && fileOnly.file == "out.txt" && fileOnly.resolvedFormat == .glove)
        let byFlag = try parse(["export", "out.txt", "--name", "m"], as: Export.self)
        #expect(byFlag.modelName == "m")
        #expect(parseFailure(["export"])?.contains("export takes a model name and a file") == true)
        #expect(parseFailure(["export", "a", "b", "c"])?.contains("(got 3 arguments)") == true)
        #expect(parseFailure(["export", "a", "b", "--name", "c"]) == "The model is named twice (a and --name c); give it once.")
    }

    @Test func modelsAndInfo() throws {
        let models = try parse(["models", "--json", "--store", "s.sqlite"], as: Models.self)
        #expect(models.output.json && models.storeOptions.store == "s.sqlite")
        #expect(try parse(["info"], as: Info.self).modelName == nil)
        #expect(try parse(["info", "m"], as: Info.self).modelName == "m")
        #expect(try parse(["info", "--name", "m"], as: Info.self).modelName == "m")
        #expect(parseFailure(["info", "a", "--name", "b"]) == "The model is named twice (a and --name b); give it once.")
    }

    @Test(arguments: ["train", "similar", "analogy", "similarity", "doesnt-match", "eval", "import", "export", "models", "info"])
    func everyHelpHasExamples(subcommand: String) throws {
        let type = try #require(W2VCommand.configuration.subcommands.first { $0._commandName == subcommand })
        let help = W2VCommand.helpMessage(for: type, columns: 200)
        #expect(help.contains("Examples:"))
        #expect(help.contains("w2v \(subcommand)"))
    }

    @Test func rootHelpHasExamples() {
        let help = W2VCommand.helpMessage(columns: 200)
        #expect(help.contains("Examples:"))
        #expect(help.contains("w2v train"))
        #expect(help.contains("w2v similar king"))
    }
}

@Suite("Store and model selection")
struct StoreOptionsTests {
    @Test func storePathPrecedence() throws {
        let none = try parse(["models"], as: Models.self).storeOptions
        #expect(none.storePath(environment: [:]) == "w2v.sqlite")
        #expect(none.storePath(environment: ["W2V_STORE": "/data/env.sqlite"]) == "/data/env.sqlite")
        #expect(none.storePath(environment: ["W2V_STORE": ""]) == "w2v.sqlite")
        let explicit = try parse(["models", "--store", "flag.sqlite"], as: Models.self).storeOptions
        #expect(explicit.storePath(environment: ["W2V_STORE": "/data/env.sqlite"]) == "flag.sqlite")
    }
}

@Suite("What --name means, command by command")
struct ModelNameOptionTests {
    /// `train` and `import` store under `--name`; the queries, evaluations, export and info use the
    /// model it names; `models` lists them all and has no `--name` to ignore.
    @Test func helpSaysWhatNameDoes() {
        #expect(Train.helpMessage().contains("The name to store the model under"))
        #expect(Import.helpMessage().contains("The name to store the model under"))
        for help in [Similar.helpMessage(), Info.helpMessage(), Export.helpMessage(), EvaluateAnalogy.helpMessage()] {
            #expect(help.contains("The model to use"))
        }
        #expect(!Models.helpMessage().contains("--name"))
        #expect(parseFailure(["models", "--name", "x"])?.contains("Unknown option '--name'") == true)
    }

    @Test func blankNamesAreRefusedEverywhere() {
        for arguments in [["train", "--name", " "], ["import", "v.txt", "--name", ""], ["similar", "king", "--name", " "]] {
            #expect(parseFailure(arguments)?.contains("--name needs a non-empty model name") == true, "\(arguments)")
        }
    }

    @Test func doesntMatchShowsItsWordsAsRequired() {
        #expect(DoesntMatch.helpMessage().contains("<words> ..."))
        #expect(!DoesntMatch.helpMessage().contains("[<words> ...]"))
        #expect(parseFailure(["doesnt-match", "a", "b"])?.contains("at least three words (got 2)") == true)
    }
}

@Suite("Parsing w2v lm train")
struct LanguageModelParseTests {
    @Test func presetsAndOverrides() throws {
        let base = ["lm", "train", "t.txt", "--valid", "v.txt", "--name", "m"]
        let plain = try parse(base, as: LanguageModelTrain.self).resolvedConfiguration()
        #expect(plain == LanguageModelConfiguration.rnnlm)
        let small = try parse(base + ["--config", "small"], as: LanguageModelTrain.self).resolvedConfiguration()
        #expect(small.initialization == .uniform(limit: 0.1) && small.layers == 2)
        let custom = try parse(base + ["--init", "uniform:0.05", "--optimizer", "adam", "--layers", "3"],
                               as: LanguageModelTrain.self).resolvedConfiguration()
        #expect(custom.initialization == .uniform(limit: 0.05))
        #expect(custom.optimizer == .adam && custom.learningRate == 0.001 && custom.layers == 3)
        let book = try parse(base + ["--config", "small", "--init", "book"], as: LanguageModelTrain.self).resolvedConfiguration()
        #expect(book.initialization == .scaledNormal)
        for bad in ["normal", "uniform:", "uniform:-1", "uniform:x"] {
            let message = parseFailure(base + ["--init", bad])
            #expect(message?.contains("--init") == true, "\(bad): \(String(describing: message))")
        }
        #expect(parseFailure(base + ["--optimizer", "rmsprop"])?.contains("sgd") == true)
    }
}
