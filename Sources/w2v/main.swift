import W2VCommands

OpenBLASLauncher.reexecuteIfNeeded()
W2VCommand.execute()
