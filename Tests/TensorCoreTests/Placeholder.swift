// Tests for TensorCore are being written.
