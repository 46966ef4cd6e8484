// Tests for CountBased are being written.
