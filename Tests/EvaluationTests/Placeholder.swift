// Tests for Evaluation are being written.
