// Tests for Word2Vec are being written.
