import ArgumentParser
import Foundation
import W2V

/// LSTM language models on PTB: words/s, perplexity, peak RSS, and where the time goes.
struct LanguageModelSuite: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lm",
        abstract: "Train an LSTM language model on PTB (rnnlm, small or better): words/s, perplexities, peak RSS, profile.",
        discussion: """
        Runs the configuration's epochs (or --epochs, or until --max-minutes), measuring validation perplexity after each
        epoch and test perplexity at the end; then profiles one chunk's parts (output sgemms, softmax, LSTM) in isolation.
        Compare with: ../shared/tools/peers.sh lm rnnlm --threads 2
        """
    )

    @Option(help: "rnnlm, small or better.") var config = "rnnlm"
    @Option(help: "Epochs (default: the configuration's).") var epochs: Int?
    @Option(help: "Stop training after this many minutes (the epoch in progress is cut short and reported as partial).") var maxMinutes: Double?
    @Option(help: "Directory with ptb.train.txt, ptb.valid.txt, ptb.test.txt.") var data = defaultDataPath("corpora")
    @Option(help: "OpenBLAS threads.") var threads = 2
    @Flag(help: "Only profile one chunk (no training).") var profileOnly = false
    @Option(help: "At most this many chunks per epoch (as the PyTorch peer's --max-batches).") var maxBatches: Int?
    @Option(name: .customLong("init"), help: "book or uniform (the PyTorch peer's U(-0.1, 0.1)); default: the configuration's.") var initialization: String?
    @Option(help: "Initialisation and dropout seed.") var seed: UInt64 = 1

    func run() throws {
        print(environmentHeader())
        OpenBLAS.threadCount = threads
        var configuration = try LanguageModelConfiguration.preset(named: config)
        if let epochs { configuration.epochs = epochs }
        configuration.seed = seed
        switch initialization {
        case nil: break
        case "book": configuration.initialization = .scaledNormal
        case "uniform": configuration.initialization = .uniform(limit: 0.1)
        default: throw ValidationError("--init is book or uniform")
        }
        let train = data + "/ptb.train.txt", valid = data + "/ptb.valid.txt", test = data + "/ptb.test.txt"
        guard FileManager.default.fileExists(atPath: train) else {
            print("skipped: \(train) not found")
            return
        }
        let (vocabulary, trainIDs) = try LanguageModelCorpus.training(path: train)
        let validIDs = try LanguageModelCorpus.encode(path: valid, vocabulary: vocabulary)
        let testIDs = try LanguageModelCorpus.encode(path: test, vocabulary: vocabulary)
        print("config \(config): layers \(configuration.layers), \(configuration.embeddingSize)/\(configuration.hiddenSize), time \(configuration.timeSize), batch \(configuration.batchSize), lr \(configuration.learningRate), clip \(configuration.clip), dropout \(configuration.dropout), tied \(configuration.tieWeights), init \(configuration.initialization), seed \(configuration.seed); vocabulary \(vocabulary.count), train tokens \(trainIDs.count)")
        let model = try RecurrentLanguageModel(configuration: configuration, vocabulary: vocabulary)
        try profile(model, ids: trainIDs)
        if profileOnly { return }

        let cancel = CancellationFlag()
        let deadline = maxMinutes.map { monotonicSeconds() + $0 * 60 }
        var lastPrint = 0.0
        let (result, seconds) = try measure {
            try LanguageModelTrainer(configuration: configuration, chunkLimit: maxBatches).train(
                model, training: trainIDs, validation: validIDs,
                progress: { report in
                    if let deadline, monotonicSeconds() > deadline { cancel.cancel() }
                    if report.elapsedSeconds - lastPrint > 30 {
                        lastPrint = report.elapsedSeconds
                        FileHandle.standardError.write(Data("\(report.stage) \(format(report.fraction * 100, 1))% \(Int(report.wordsPerSecond)) words/s ppl \(format(report.perplexity ?? .nan, 1))\n".utf8))
                    }
                },
                cancellation: cancel,
                epochFinished: { e in
                    print("epoch \(e.epoch): train ppl \(format(e.trainPerplexity, 2)), valid ppl \(format(e.validPerplexity ?? .nan, 2)), \(Int(e.wordsPerSecond)) words/s, \(format(e.seconds, 1)) s, lr \(e.learningRate)")
                })
        }
        let testPerplexity = try LanguageModelTrainer.evaluate(model, ids: testIDs, batchSize: configuration.batchSize,
                                                                timeSize: configuration.timeSize)!.perplexity
        let rows = result.epochs.map { e in
            ["\(e.epoch)", format(e.trainPerplexity, 2), format(e.validPerplexity ?? .nan, 2), "\(Int(e.wordsPerSecond))", format(e.seconds, 1)]
        }
        print(markdownTable(["epoch", "train ppl", "valid ppl", "words/s", "seconds"], rows))
        print("test perplexity \(format(testPerplexity, 2)) (best epoch \(result.bestEpoch.map(String.init) ?? "—")), \(result.wasCancelled ? "stopped early by --max-minutes, " : "")total \(format(seconds, 1)) s, peak RSS \(format(peakRSSMiB(), 0)) MiB")
    }

    /// Times each part of one training step on a real chunk, and the output layer's sgemm GFLOP/s.
    func profile(_ model: RecurrentLanguageModel, ids: [Int]) throws {
        let c = model.configuration
        let batches = StreamBatches(ids: ids, batchSize: c.batchSize, timeSize: c.timeSize)
        let (inputs, targets) = batches.chunk(0)
        let parameters = model.trainableParameters
        var sgd = SGD(learningRate: 0.01)
        // warm-up
        for _ in 0..<2 { _ = model.loss(inputs: inputs, targets: targets, training: true); parameters.zeroGradients(); model.backward() }
        let repetitions = 10
        var times = [String: Double]()
        func time(_ name: String, _ body: () -> Void) {
            let (_, s) = measure(body)
            times[name, default: 0] += s / Double(repetitions)
        }
        let rows = c.batchSize * c.timeSize, h = c.hiddenSize, v = model.vocabularySize
        let x = Tensor.randomUniform(shape: [c.batchSize, c.timeSize, h], in: -1...1, using: &generatorForProfile)
        for _ in 0..<repetitions {
            time("whole step (forward, backward, clip, update)") {
                let loss = model.loss(inputs: inputs, targets: targets, training: true)
                parameters.zeroGradients()
                model.backward()
                parameters.clipGradients(maxNorm: c.clip)
                sgd.update(parameters)
                _ = loss
            }
            var scores = Tensor(shape: [1])
            time("output forward sgemm [N·T,H]x[H,V]") { scores = model.output.forward(x, training: true) }
            let lossLayer = TimeSoftmaxWithLoss()
            // As in training: the score matrix is handed over, not copied.
            time("softmax + cross-entropy forward") {
                var owned = Tensor(shape: [1])
                swap(&owned, &scores)
                _ = lossLayer.forward(consuming: consume owned, labels: targets)
            }
            var dScores = Tensor(shape: [1])
            time("softmax backward") { dScores = lossLayer.backward(1) }
            time("output backward (2 sgemms)") { _ = model.output.backward(dScores) }
            let lstmInput = Tensor.randomUniform(shape: [c.batchSize, c.timeSize, c.embeddingSize], in: -1...1, using: &generatorForProfile)
            var hs = Tensor(shape: [1])
            time("LSTM forward (per layer)") { model.lstms[0].resetState(); hs = model.lstms[0].forward(lstmInput, training: true) }
            time("LSTM backward (per layer)") { _ = model.lstms[0].backward(hs) }
            time("clip + update") { parameters.clipGradients(maxNorm: c.clip); sgd.update(parameters) }
        }
        let flop = 2.0 * Double(rows) * Double(h) * Double(v)
        var table: [[String]] = []
        for (name, seconds) in times.sorted(by: { $0.value > $1.value }) {
            var note = ""
            if name.hasPrefix("output forward") { note = "\(format(flop / seconds / 1e9, 1)) GFLOP/s" }
            if name.hasPrefix("output backward") { note = "\(format(2 * flop / seconds / 1e9, 1)) GFLOP/s" }
            table.append([name, format(seconds * 1000, 2), note])
        }
        print("profile of one \(c.batchSize)x\(c.timeSize) chunk (mean of \(repetitions)):")
        print(markdownTable(["part", "ms", "note"], table))
        print("step time implies \(Int(Double(rows) / times["whole step (forward, backward, clip, update)"]!)) words/s")
        model.resetState()
    }
}

nonisolated(unsafe) private var generatorForProfile = SplitMix64(seed: 5)
