import ArgumentParser
import Foundation
import ImageRecognition
import W2V

/// SimpleConvNet against a fully connected net of the same size on the UCI digits, over seeds.
struct DigitsSuite: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digits",
        abstract: "Held-out accuracy and training seconds of SimpleConvNet and the fully connected baseline on the 8x8 digits, per seed."
    )

    @Option(help: "The digits CSV (gzip or plain).") var data = defaultDataPath("images/digits.csv.gz")
    @Option(help: "Training epochs of both networks.") var epochs = 30
    @Option(help: "Seeds 1...N (each: split, weights and batch order).") var seeds = 5
    @Flag(help: "The seed's SimpleConvNet exactly: no BatchNorm after the hidden Affine layers.") var noBatchNorm = false
    @Option(help: "Dropout after the hidden ReLU of both networks.") var dropout: Float = 0

    func run() throws {
        print(environmentHeader())
        guard FileManager.default.fileExists(atPath: data) else {
            print("skipped: \(data) not found")
            return
        }
        let digits = try DigitsDataSet.load(path: data)
        print("data \(data): \(digits.count) images \(digits.imageShape), epochs \(epochs), batch 50, Adam 0.001, "
            + "BatchNorm \(noBatchNorm ? "off" : "on"), dropout \(dropout), split 80/20 by seed")
        var rows: [[String]] = []
        var cnn: [Double] = [], baseline: [Double] = [], cnnSeconds: [Double] = [], baselineSeconds: [Double] = []
        for seed in 1...UInt64(max(seeds, 1)) {
            let configuration = ClassifierComparison.Configuration(
                architecture: .init(batchNormalization: !noBatchNorm, dropoutRate: dropout),
                training: ImageTrainingSettings(epochs: epochs, seed: seed), seed: seed)
            let result = try ClassifierComparison.run(on: digits, configuration: configuration)
            let c = result.convolutional, b = result.baseline
            cnn.append(c.testAccuracy); baseline.append(b.testAccuracy)
            cnnSeconds.append(c.trainingSeconds); baselineSeconds.append(b.trainingSeconds)
            rows.append(["\(seed)", format(c.testAccuracy, 4), format(b.testAccuracy, 4),
                         format(c.testAccuracy - b.testAccuracy, 4), format(c.trainingSeconds, 2), format(b.trainingSeconds, 2)])
            if seed == 1 {
                print("parameters: SimpleConvNet \(c.parameterCount), fully connected \(b.parameterCount); "
                    + "\(result.trainingCount) training / \(result.testCount) held-out images")
            }
        }
        func summary(_ xs: [Double], _ digits: Int) -> String {
            let mean = xs.reduce(0, +) / Double(xs.count)
            return "\(format(mean, digits)) [\(format(xs.min()!, digits)), \(format(xs.max()!, digits))]"
        }
        rows.append(["mean [min, max]", summary(cnn, 4), summary(baseline, 4),
                     summary(zip(cnn, baseline).map { $0 - $1 }, 4), summary(cnnSeconds, 2), summary(baselineSeconds, 2)])
        print(markdownTable(["seed", "CNN held-out acc", "baseline held-out acc", "CNN − baseline", "CNN train s",
                             "baseline train s"], rows))
    }
}
