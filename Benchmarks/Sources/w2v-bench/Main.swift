import ArgumentParser

/// The benchmark runner. Each suite is a subcommand in its own file.
@main
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "w2v-bench",
        abstract: "Measure w2v's speed and quality (figures for Benchmarks/README.md).",
        subcommands: [TrainSuite.self, TrainOneSuite.self, KernelsSuite.self, CorpusSuite.self, PPMISuite.self, StoreSuite.self,
                      QueriesSuite.self, EvaluationSuite.self, Word2VecSuite.self, LanguageModelSuite.self, ServeSuite.self,
                      ConvolutionSuite.self, DigitsSuite.self, Seq2SeqSuite.self]
    )
}
