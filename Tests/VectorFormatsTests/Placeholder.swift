// Tests for VectorFormats are being written.
