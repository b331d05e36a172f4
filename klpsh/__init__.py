"""klpsh: a livepatch lab, a shell over a simulated Linux 4.19 kernel."""

__version__ = "0.1.0"
