// The Evaluation module; its contents are being written. This file keeps the target buildable.
