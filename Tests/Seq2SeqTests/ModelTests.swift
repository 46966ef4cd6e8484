import NeuralNetwork
import Seq2Seq
import TensorCore
import Testing

private func random(_ shape: [Int], seed: UInt64) -> Tensor {
    var generator = SplitMix64(seed: seed)
    return Tensor.randomNormal(shape: shape, using: &generator)
}

private func dot(_ a: Tensor, _ b: Tensor) -> Double {
    zip(a.scalars, b.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
}

/// A small model whose weights are large enough for gradients to be measurable.
private func smallModel(_ architecture: Seq2SeqArchitecture, reversed: Bool = false, seed: UInt64 = 3) throws -> Seq2SeqModel {
    let vocabulary = SymbolVocabulary(symbols: Array("_ abc"))
    let configuration = Seq2SeqConfiguration(architecture: architecture, reversesInput: reversed, embeddingSize: 3,
                                             hiddenSize: 4, questionWidth: 3, answerWidth: 2, seed: seed)
    let model = try Seq2SeqModel(configuration: configuration, vocabulary: vocabulary)
    var generator = SplitMix64(seed: seed)
    for p in model.parameters { p.value = Tensor.randomNormal(shape: p.shape, standardDeviation: 0.5, using: &generator) }
    return model
}

private let questions = SequenceBatch(ids: [2, 3, 4, 4, 1, 2], batchSize: 2, timeSize: 3)
private let answers = SequenceBatch(ids: [0, 4, 3, 0, 2, 1], batchSize: 2, timeSize: 3)

@Suite("Seq2Seq models")
struct ModelTests {
    @Test(arguments: Seq2SeqArchitecture.allCases, [false, true])
    func wholeModelGradients(architecture: Seq2SeqArchitecture, reversed: Bool) throws {
        let model = try smallModel(architecture, reversed: reversed)
        let result = GradientCheck.compare(inputs: [], parameters: model.parameters,
                                           objective: { _ in Double(model.loss(questions: questions, answers: answers)) },
                                           analytic: { _ in
                                               _ = model.loss(questions: questions, answers: answers)
                                               model.backward()
                                               return []
                                           })
        #expect(result.maxRelativeError < 2e-2, "\(result)")
    }

    @Test(arguments: Seq2SeqArchitecture.allCases)
    func decoderGradientsIncludingTheEncoding(architecture: Seq2SeqArchitecture) throws {
        let model = try smallModel(architecture)
        let decoder = model.decoder
        let encoding = architecture == .attention ? random([2, 3, 4], seed: 20) : random([2, 4], seed: 20)
        let inputs = Seq2SeqModel.teacherForcing(answers).inputs
        let r = random([2, 2, 5], seed: 21)
        let result = GradientCheck.compare(inputs: [encoding], parameters: decoder.parameters,
                                           objective: { dot(decoder.forward(inputs, encoding: $0[0]), r) },
                                           analytic: { xs in
                                               _ = decoder.forward(inputs, encoding: xs[0])
                                               return [decoder.backward(r)]
                                           })
        #expect(result.maxRelativeError < 1e-2, "\(result)")
    }

    @Test(arguments: [Seq2SeqArchitecture.baseline, .attention])
    func encoderGradients(architecture: Seq2SeqArchitecture) throws {
        let encoder = try smallModel(architecture).encoder
        let shape = architecture == .attention ? [2, 3, 4] : [2, 4]
        let r = random(shape, seed: 22)
        let result = GradientCheck.compare(inputs: [], parameters: encoder.parameters,
                                           objective: { _ in dot(encoder.forward(questions), r) },
                                           analytic: { _ in
                                               _ = encoder.forward(questions)
                                               encoder.backward(r)
                                               return []
                                           })
        #expect(result.maxRelativeError < 1e-2, "\(result)")
    }

    /// The baseline's loss rebuilt from the shared time layers by hand.
    @Test func teacherForcedLossIsTheLayerComposition() throws {
        let model = try smallModel(.baseline, reversed: true)
        let p = Dictionary(uniqueKeysWithValues: model.namedTensors.map { ($0.name, Parameter($0.tensor, name: $0.name)) })
        let reversedQuestions = SequenceBatch(ids: [4, 3, 2, 2, 1, 4], batchSize: 2, timeSize: 3)
        let encoderLSTM = TimeLSTM(inputWeight: p["encoder.lstm.Wx"]!, hiddenWeight: p["encoder.lstm.Wh"]!, bias: p["encoder.lstm.b"]!)
        _ = encoderLSTM.forward(TimeEmbedding(weight: p["encoder.embedding"]!).forward(reversedQuestions), training: false)
        let h = encoderLSTM.finalState!.hidden
        let decoderLSTM = TimeLSTM(inputWeight: p["decoder.lstm.Wx"]!, hiddenWeight: p["decoder.lstm.Wh"]!, bias: p["decoder.lstm.b"]!)
        decoderLSTM.setState(LSTMState(hidden: h, cell: Tensor(shape: h.shape)))
        let decoderInputs = SequenceBatch(ids: [0, 4, 0, 2], batchSize: 2, timeSize: 2)
        let targets = SequenceBatch(ids: [4, 3, 2, 1], batchSize: 2, timeSize: 2)
        let hs = decoderLSTM.forward(TimeEmbedding(weight: p["decoder.embedding"]!).forward(decoderInputs), training: false)
        let scores = TimeAffine(weight: p["decoder.affine.W"]!, bias: p["decoder.affine.b"]!).forward(hs, training: false)
        let expected = TimeSoftmaxWithLoss().forward(scores, labels: targets)
        #expect(abs(model.loss(questions: questions, answers: answers) - expected) < 1e-6)
    }

    /// The attention model's loss rebuilt from the time layers and TimeAttention.
    @Test func attentionLossIsTheLayerComposition() throws {
        let model = try smallModel(.attention)
        let p = Dictionary(uniqueKeysWithValues: model.namedTensors.map { ($0.name, Parameter($0.tensor, name: $0.name)) })
        let encoderLSTM = TimeLSTM(inputWeight: p["encoder.lstm.Wx"]!, hiddenWeight: p["encoder.lstm.Wh"]!, bias: p["encoder.lstm.b"]!)
        let encoderStates = encoderLSTM.forward(TimeEmbedding(weight: p["encoder.embedding"]!).forward(questions), training: false)
        let decoderLSTM = TimeLSTM(inputWeight: p["decoder.lstm.Wx"]!, hiddenWeight: p["decoder.lstm.Wh"]!, bias: p["decoder.lstm.b"]!)
        let last = SequenceTensors.step(encoderStates, 2)
        decoderLSTM.setState(LSTMState(hidden: last, cell: Tensor(shape: last.shape)))
        let (inputs, targets) = Seq2SeqModel.teacherForcing(answers)
        let hs = decoderLSTM.forward(TimeEmbedding(weight: p["decoder.embedding"]!).forward(inputs), training: false)
        let contexts = TimeAttention().forward(encoderStates: encoderStates, decoderStates: hs)
        let scores = TimeAffine(weight: p["decoder.affine.W"]!, bias: p["decoder.affine.b"]!)
            .forward(SequenceTensors.concatenate(contexts, hs), training: false)
        let expected = TimeSoftmaxWithLoss().forward(scores, labels: targets)
        #expect(abs(model.loss(questions: questions, answers: answers) - expected) < 1e-6)
    }

    @Test(arguments: Seq2SeqArchitecture.allCases)
    func decodingIsDeterministicAndStorable(architecture: Seq2SeqArchitecture) throws {
        let model = try smallModel(architecture, reversed: true)
        let first = model.generate(questions)
        #expect(first.count == 2 && first.allSatisfy { $0.count == 2 })
        #expect(model.generate(questions) == first)
        let tensors = Dictionary(uniqueKeysWithValues: model.namedTensors.map { ($0.name, $0.tensor) })
        let restored = try Seq2SeqModel(configuration: model.configuration, vocabulary: model.vocabulary, tensors: tensors)
        #expect(restored.generate(questions) == first)
        #expect(try Seq2SeqModel(configuration: model.configuration, vocabulary: model.vocabulary).generate(questions)
                == Seq2SeqModel(configuration: model.configuration, vocabulary: model.vocabulary).generate(questions))
    }

    @Test func generationAttentionWeightsSumToOne() throws {
        let model = try smallModel(.attention, reversed: true)
        let (_, weights) = try model.predict("abc")
        let w = try #require(weights)
        #expect(w.shape == [2, 3])
        for t in 0..<2 { #expect(abs(w[t, 0] + w[t, 1] + w[t, 2] - 1) < 1e-5) }
        #expect(try smallModel(.peeky).predict("ab").attention == nil)
    }

    @Test func archiveMismatchesAreErrors() throws {
        let model = try smallModel(.peeky)
        var tensors = Dictionary(uniqueKeysWithValues: model.namedTensors.map { ($0.name, $0.tensor) })
        tensors["decoder.lstm.Wx"] = Tensor(shape: [3, 16])
        #expect(throws: Seq2SeqError.invalidArchive(reason: "the tensor \"decoder.lstm.Wx\" has shape [3, 16] instead of [7, 16]")) {
            try Seq2SeqModel(configuration: model.configuration, vocabulary: model.vocabulary, tensors: tensors)
        }
        tensors["decoder.lstm.Wx"] = nil
        #expect(throws: Seq2SeqError.invalidArchive(reason: "the tensor \"decoder.lstm.Wx\" is missing")) {
            try Seq2SeqModel(configuration: model.configuration, vocabulary: model.vocabulary, tensors: tensors)
        }
    }
}

/// Tiny tasks every model must learn completely, in a few seconds in debug.
@Suite("Seq2Seq learning")
struct LearningTests {
    static func tinyTask(reverse: Bool) -> [Seq2SeqExample] {
        var examples: [Seq2SeqExample] = []
        for a in "abc" { for b in "abc" { for c in "abc" {
            let question = String([a, b, c])
            examples.append(Seq2SeqExample(question: question, answer: reverse ? String(question.reversed()) : question))
        } } }
        return examples
    }

    @Test(arguments: [(Seq2SeqArchitecture.peeky, false), (.attention, true), (.baseline, false)])
    func learnsCopyAndReverseCompletely(architecture: Seq2SeqArchitecture, reverse: Bool) throws {
        let examples = Self.tinyTask(reverse: reverse)
        let vocabulary = SymbolVocabulary(examples: examples)
        let model = try Seq2SeqModel(configuration: Seq2SeqConfiguration(
            architecture: architecture, reversesInput: architecture == .baseline, embeddingSize: 8, hiddenSize: 24,
            questionWidth: 3, answerWidth: 3, seed: 5), vocabulary: vocabulary)
        let encoded = try EncodedExamples(examples, vocabulary: vocabulary, questionWidth: 3, answerWidth: 3)
        let result = try Seq2SeqTrainer(options: Seq2SeqTrainingOptions(epochs: 150, batchSize: 9, learningRate: 0.01, seed: 2))
            .train(model, training: encoded, test: encoded)
        #expect(result.testAccuracy == 1, "\(result.epochs.suffix(3))")
        #expect(result.history.points.count == 150)
        #expect(try model.accuracy(examples).accuracy == 1)
        #expect(try model.predict(reverse ? "abc" : "cab").answer == (reverse ? "cba" : "cab"))
    }

    @Test func cancellationStopsTraining() throws {
        let examples = Self.tinyTask(reverse: false)
        let vocabulary = SymbolVocabulary(examples: examples)
        let model = try Seq2SeqModel(configuration: Seq2SeqConfiguration(architecture: .baseline, hiddenSize: 4,
                                                                         questionWidth: 3, answerWidth: 3), vocabulary: vocabulary)
        let encoded = try EncodedExamples(examples, vocabulary: vocabulary, questionWidth: 3, answerWidth: 3)
        let flag = CancellationFlag()
        flag.cancel()
        let result = try Seq2SeqTrainer(options: Seq2SeqTrainingOptions(epochs: 3)).train(model, training: encoded, test: nil, cancellation: flag)
        #expect(result.wasCancelled && result.epochs.isEmpty)
    }
}
