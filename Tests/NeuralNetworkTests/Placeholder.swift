// Tests for NeuralNetwork are being written.
