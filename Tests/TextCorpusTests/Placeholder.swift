// Tests for TextCorpus are being written.
