import Testing
@testable import NeuralNetwork
import TensorCore

/// Every precondition of the module is a call of one of these validation functions; a failing
/// one stops the program with the error's description. These tests pin down each error path.
@Suite("Validation and error messages")
struct ValidationTests {
    @Test func idsOutOfRange() {
        #expect(throws: NeuralNetworkError.idOutOfRange(operation: "Embedding.forward", id: 7, rowCount: 5)) {
            try Validate.ids([1, 7], rowCount: 5, "Embedding.forward")
        }
        #expect(throws: NeuralNetworkError.idOutOfRange(operation: "x", id: -1, rowCount: 5)) {
            try Validate.ids([-1], rowCount: 5, "x")
        }
        #expect(throws: Never.self) { try Validate.ids([0, 4], rowCount: 5, "x") }
        #expect(NeuralNetworkError.idOutOfRange(operation: "Embedding.forward", id: 7, rowCount: 5).description
            == "Embedding.forward got row id 7, which is outside 0..<5.")
    }

    @Test func shapes() {
        let m = Tensor(shape: [2, 3])
        #expect(throws: NeuralNetworkError.shapeMismatch(operation: "Affine.forward", expected: "[N, 4]", actual: [2, 3])) {
            try Validate.matrix(m, columns: 4, "Affine.forward")
        }
        #expect(throws: NeuralNetworkError.self) { try Validate.matrix(Tensor(vector: [1]), "op") }
        #expect(throws: Never.self) { try Validate.matrix(m, rows: 2, columns: 3, "op") }
        #expect(throws: NeuralNetworkError.shapeMismatch(operation: "op", expected: "[3, 2]", actual: [2, 3])) {
            try Validate.shape(m, [3, 2], "op")
        }
        #expect(throws: NeuralNetworkError.self) { try Validate.elementCount(m, 5, "op") }
        #expect(throws: Never.self) { try Validate.elementCount(m, 6, "op") }
        #expect(NeuralNetworkError.shapeMismatch(operation: "Affine.forward", expected: "[N, 4]", actual: [2, 3]).description
            == "Affine.forward expects a tensor of shape [N, 4], but got shape [2, 3].")
    }

    @Test func labels() {
        #expect(throws: NeuralNetworkError.labelCountMismatch(operation: "loss", expected: 2, actual: 3)) {
            try Validate.classLabels([0, 1, 1], rows: 2, classCount: 3, "loss")
        }
        #expect(throws: NeuralNetworkError.labelOutOfRange(label: 3, classCount: 3)) {
            try Validate.classLabels([0, 3], rows: 2, classCount: 3, "loss")
        }
        #expect(throws: NeuralNetworkError.labelCountMismatch(operation: "loss", expected: 4, actual: 1)) {
            try Validate.labelCount(1, expected: 4, "loss")
        }
        #expect(NeuralNetworkError.labelOutOfRange(label: 3, classCount: 3).description == "Class label 3 is outside 0..<3.")
        #expect(NeuralNetworkError.labelCountMismatch(operation: "loss", expected: 4, actual: 1).description
            == "loss expects 4 labels (one per prediction), but got 1.")
    }

    @Test(arguments: [Float(0), -1, .nan, .infinity])
    func invalidLearningRates(rate: Float) {
        #expect(throws: NeuralNetworkError.self) { try Validate.positive("learning rate", rate) }
    }

    @Test(arguments: [Float(-0.1), 1, 1.5, .nan])
    func invalidRates(rate: Float) {
        #expect(throws: NeuralNetworkError.self) { try Validate.unitInterval("dropout rate", rate) }
    }

    @Test func hyperparameterMessages() {
        #expect(throws: Never.self) { try Validate.unitInterval("momentum", 0) }
        #expect(throws: Never.self) { try Validate.nonNegative("weight decay rate", 0) }
        #expect(throws: NeuralNetworkError.self) { try Validate.nonNegative("weight decay rate", -1) }
        #expect(throws: NeuralNetworkError.invalidHyperparameter(name: "batch size", value: 0, requirement: "at least 1")) {
            try Validate.atLeastOne("batch size", 0)
        }
        #expect(NeuralNetworkError.invalidHyperparameter(name: "learning rate", value: -1, requirement: "positive and finite").description
            == "The learning rate must be positive and finite, but it is -1.0.")
    }

    @Test func backwardBeforeForward() throws {
        #expect(throws: NeuralNetworkError.backwardBeforeForward(layer: "Affine")) {
            _ = try Validate.cached(Int?.none, "Affine")
        }
        let cached = try Validate.cached(Optional(3), "Affine")
        #expect(cached == 3)
        #expect(NeuralNetworkError.backwardBeforeForward(layer: "Affine").description
            == "Affine.backward was called before forward; there is nothing to differentiate.")
    }
}
