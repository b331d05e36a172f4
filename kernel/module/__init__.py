"""The module loader (kernel/module/*.c): ELF parsing, layout, symbols, relocations,
parameters, kallsyms, module states and /sys/module."""
