// Tests for W2VCommands are being written.
