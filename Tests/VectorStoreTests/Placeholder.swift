// Tests for VectorStore are being written.
