"""The livepatch core (kernel/livepatch/*.c of 4.19): core, transition, patch, shadow."""
