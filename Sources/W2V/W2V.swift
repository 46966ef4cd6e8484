// The umbrella module: `import W2V` gives the whole toolkit.
@_exported import CoreIO
@_exported import TensorCore
@_exported import NeuralNetwork
@_exported import TextCorpus
@_exported import Embeddings
@_exported import CountBased
@_exported import Word2Vec
@_exported import VectorFormats
@_exported import ModelStorage
@_exported import Evaluation
@_exported import LanguageModels
