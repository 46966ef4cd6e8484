// Tests for Embeddings are being written.
