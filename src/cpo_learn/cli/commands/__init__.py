"""One module per built-in command, imported only when that command runs or is listed."""
