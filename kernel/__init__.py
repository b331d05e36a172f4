"""The simulated Linux 4.19 kernel behind klpsh, importable without the shell."""
