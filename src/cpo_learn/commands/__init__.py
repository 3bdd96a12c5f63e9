"""Built-in commands, one module each; imported only when run or listed."""
