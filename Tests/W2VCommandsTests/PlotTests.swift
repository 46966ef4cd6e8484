import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// Whether `text` parses as XML, with the texts of its `<text>` elements.
private func parsedSVG(_ text: String) -> (ok: Bool, root: String?, texts: [String]) {
    final class Collector: NSObject, XMLParserDelegate {
        var root: String?
        var texts: [String] = []
        var current = ""
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            if root == nil { root = name }
            current = ""
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { current += string }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "text" { texts.append(current) }
        }
    }
    let parser = XMLParser(data: Data(text.utf8))
    let collector = Collector()
    parser.delegate = collector
    return (parser.parse(), collector.root, collector.texts)
}

extension CommandLineTests {
    /// `w2v plot` and the training history in `w2v info`, on the shared tiny model.
    @Suite("w2v plot and training history", .serialized)
    struct PlotTests {
        @Test func wordPlotsAreWellFormedSVGWithEveryLabel() throws {
            let workspace = try TrainedTiny.copy()
            let env = ["W2V_STORE": workspace.store]
            let pca = try workspace.run(["plot", "king", "queen", "man", "woman", "paris", "--output", workspace.path("pca.svg")], environment: env)
            #expect(pca.status == 0, "\(pca)")
            #expect(pca.stdout.contains("Wrote 5 words (PCA of \"tiny\")"))
            let svg = parsedSVG(try String(contentsOfFile: workspace.path("pca.svg"), encoding: .utf8))
            #expect(svg.ok && svg.root == "svg")
            for word in ["king", "queen", "man", "woman", "paris"] { #expect(svg.texts.contains(word)) }
            #expect(svg.texts.contains { $0.contains("of the variance") }, "the caption gives the explained variance")

            let tsne = try workspace.run(["plot", "king", "paris", "--neighbors", "4", "--method", "tsne", "-o", workspace.path("t.svg")], environment: env)
            #expect(tsne.status == 0, "\(tsne)")
            #expect(tsne.stdout.contains("words (t-SNE of \"tiny\")"), "up to 10: a neighbour of both appears once")
            let tsneSVG = parsedSVG(try String(contentsOfFile: workspace.path("t.svg"), encoding: .utf8))
            #expect(tsneSVG.ok)
            #expect(tsneSVG.texts.filter { $0 == "king" || $0 == "paris" }.count == 4, "labels and legend")
            // Seeded: the same command draws the same file.
            _ = try workspace.run(["plot", "king", "paris", "--neighbors", "4", "--method", "tsne", "-o", workspace.path("t2.svg")], environment: env)
            #expect(try Data(contentsOf: URL(fileURLWithPath: workspace.path("t.svg"))) == Data(contentsOf: URL(fileURLWithPath: workspace.path("t2.svg"))))
        }

        @Test func trainingRecordsAHistoryThatInfoPrintsAndPlotDraws() throws {
            let workspace = try TrainedTiny.copy()
            let env = ["W2V_STORE": workspace.store]
            let json = try workspace.run(["info", "--json"], environment: env)
            #expect(json.status == 0, "\(json)")
            let history = try #require(try json.json()["trainingHistory"] as? [String: Any])
            #expect(history["unit"] as? String == "percent")
            let points = try #require(history["points"] as? [[String: Any]])
            #expect(!points.isEmpty)
            let positions = points.compactMap { $0["position"] as? Double }
            #expect(positions == positions.sorted() && positions.last == 100)
            #expect(points.allSatisfy { ($0["loss"] as? Double).map { $0 > 0 && $0.isFinite } ?? false })
            let rates = points.compactMap { $0["learningRate"] as? Double }
            #expect(rates.count == points.count && rates == rates.sorted(by: >), "the learning rate decays")

            let table = try workspace.run(["info"], environment: env)
            #expect(table.stdout.contains("Training history (\(points.count) point"))
            #expect(table.stdout.contains("learning rate"))

            let plot = try workspace.run(["plot", "--loss", "--output", workspace.path("loss.svg")], environment: env)
            #expect(plot.status == 0, "\(plot)")
            let svg = parsedSVG(try String(contentsOfFile: workspace.path("loss.svg"), encoding: .utf8))
            #expect(svg.ok && svg.texts.contains("percent of training") && svg.texts.contains("learning rate (right axis)"))
        }

        @Test func ppmiRecordsStagesButNoLoss() throws {
            let workspace = try TrainedTiny.copy()
            let env = ["W2V_STORE": workspace.store]
            let corpus = try workspace.write("tiny.txt", TinyCorpus.text())
            let train = try workspace.run(["train", corpus, "--model", "ppmi-svd", "--dimension", "8", "--min-count", "2",
                                           "--name", "counts", "--quiet"], environment: env)
            #expect(train.status == 0, "\(train)")
            let info = try workspace.run(["info", "counts", "--json"], environment: env)
            let points = try #require((try info.json()["trainingHistory"] as? [String: Any])?["points"] as? [[String: Any]])
            #expect(points.compactMap { $0["position"] as? Double } == [33, 67, 100])
            let plot = try workspace.run(["plot", "--loss", "--name", "counts", "-o", workspace.path("l.svg")], environment: env)
            #expect(plot.status == 1)
            #expect(plot.stderr.contains("recorded no loss"), "\(plot)")
            #expect(!FileManager.default.fileExists(atPath: workspace.path("l.svg")))
        }

        @Test func errorPaths() throws {
            let workspace = try TrainedTiny.copy()
            let env = ["W2V_STORE": workspace.store]
            let out = workspace.path("x.svg")
            let unknown = try workspace.run(["plot", "king", "kingg", "-o", out], environment: env)
            #expect(unknown.status == 1)
            #expect(unknown.stderrLines.first == "w2v: \"kingg\" is not in the vocabulary of model \"tiny\".", "\(unknown)")
            #expect(unknown.stderr.contains("Did you mean: king"))

            // An imported model has no history.
            let vectors = try workspace.write("v.txt", "3 2\na 1 0\nb 0 1\nc 1 1\n")
            #expect(try workspace.run(["import", vectors, "--name", "imp"], environment: env).status == 0)
            let noHistory = try workspace.run(["plot", "--loss", "--name", "imp", "-o", out], environment: env)
            #expect(noHistory.status == 1)
            #expect(noHistory.stderr.contains("has no training history"), "\(noHistory)")
            #expect(noHistory.stderr.contains("Imported vectors carry no history"))
            let infoTable = try workspace.run(["info", "imp"], environment: env)
            #expect(!infoTable.stdout.contains("Training history"))

            let usage: [[String]] = [
                ["plot", "-o", out],                                  // no words
                ["plot", "king", "-o", out],                          // one word without neighbours
                ["plot", "king", "queen"],                            // no --output
                ["plot", "--loss", "king", "-o", out],                // words with --loss
                ["plot", "king", "--neighbors", "101", "-o", out],    // out of range
                ["plot", "king", "--neighbors", "-1", "-o", out],
                ["plot", "king", "queen", "--method", "umap", "-o", out],
            ]
            for arguments in usage {
                let result = try workspace.run(arguments, environment: env)
                #expect(result.status == 64, "\(arguments): \(result)")
            }
            let directory = try workspace.run(["plot", "king", "queen", "--name", "tiny", "-o", workspace.directory.path], environment: env)
            #expect(directory.status == 1)
            #expect(directory.stderr.contains("Cannot write the plot"), "\(directory)")
            let missingModel = try workspace.run(["plot", "king", "queen", "--name", "nope", "-o", out], environment: env)
            #expect(missingModel.status == 1 && missingModel.stderr.contains("There is no model named \"nope\""))
            #expect(!FileManager.default.fileExists(atPath: out))
        }
    }
}
