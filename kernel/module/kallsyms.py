"""kallsyms: every symbol of vmlinux and of each loaded module, by address and by name."""

from __future__ import annotations

import bisect
from itertools import chain
from operator import attrgetter
from typing import Iterator, Sequence

from kernel.record import RecordTuple


class KSym(RecordTuple):
    """One kallsyms entry: address, size, name, nm type letter and owner."""

    addr: int
    size: int
    name: str
    type: str      # nm letter: t/T text, d/D data, r/R rodata, b/B bss
    owner: str     # "vmlinux" or the module name


_ADDR = attrgetter("addr")


class Kallsyms:
    """Sorted address index plus per-owner symbol order (what kallsyms_on_each_symbol walks)."""

    def __init__(self) -> None:
        self._by_owner: dict[str, list[KSym]] = {}
        # (tuples while they are those seed() took, shared with other tables: the first
        # insertion makes them this table's own lists)
        self._sorted: list[KSym] | tuple[KSym, ...] | None = []
        self._addrs: list[int] | tuple[int, ...] = []

    def add_owner(self, owner: str, syms: "Sequence[KSym]") -> None:
        self._by_owner.setdefault(owner, []).extend(syms)
        if self._sorted is None:
            return
        if 8 * len(syms) > len(self._sorted):
            self._sorted = None     # many: the index is made again
            return
        # Each goes where the (stable) sort _index() makes would put it: after the symbols
        # already at its address but those of owners added after OWNER (a module load or a
        # new stub slot does not sort vmlinux's symbols again).
        rank: dict[str, int] | None = None      # the owners' order, if an address is shared
        if type(self._sorted) is tuple:
            self._sorted, self._addrs = list(self._sorted), list(self._addrs)
        index, addrs = self._sorted, self._addrs
        for s in sorted(syms, key=_ADDR) if len(syms) > 1 else syms:
            i = bisect.bisect_right(addrs, s.addr)
            if i and addrs[i - 1] == s.addr:
                if rank is None:
                    rank = {o: n for n, o in enumerate(self._by_owner)}
                mine = rank[owner]
                while i and addrs[i - 1] == s.addr and rank.get(index[i - 1].owner, -1) > mine:
                    i -= 1
                if i and addrs[i - 1] == s.addr and index[i - 1].owner not in rank:
                    self._sorted = None  # a symbol whose owner is not its key: sort them all
                    return
            addrs.insert(i, s.addr)
            index.insert(i, s)

    def remove_owner(self, owner: str) -> None:
        if self._by_owner.pop(owner, None) is not None:
            self._sorted = None

    def _index(self) -> Sequence[KSym]:
        if self._sorted is None:
            self._sorted = sorted(chain.from_iterable(self._by_owner.values()), key=_ADDR)
            self._addrs = list(map(_ADDR, self._sorted))
        return self._sorted

    def sorted_index(self) -> tuple[tuple[KSym, ...], tuple[int, ...]]:
        """The symbols in address order and their addresses (what seed() takes)."""
        return tuple(self._index()), tuple(self._addrs)

    def seed(self, index: tuple[KSym, ...], addrs: tuple[int, ...]) -> None:
        """Take INDEX, ADDRS (sorted_index() of a table with the same owners and symbols, in
        the same order) as this table's index instead of sorting it again (shared until this
        table changes it)."""
        self._sorted, self._addrs = tuple(index), tuple(addrs)

    def symbols_of(self, owner: str | None) -> Iterator[tuple[str, int]]:
        """(name, addr) of one object in symbol-table order; None means vmlinux."""
        for s in self._by_owner.get(owner or "vmlinux", ()):
            yield s.name, s.addr

    def owner_syms(self, owner: str) -> list[KSym]:
        return self._by_owner.get(owner, [])

    def owners(self) -> Iterator[str]:
        """The owners with symbols here, in the order they were added."""
        return iter(self._by_owner)

    def lookup(self, addr: int) -> KSym | None:
        """The symbol containing ADDR (for sized symbols) or the nearest one below it."""
        syms = self._index()
        addrs = self._addrs
        i = bisect.bisect_right(addrs, addr) - 1
        best = None
        while i >= 0:
            # of several symbols at one address the first in symbol-table order wins (a
            # static function before the global alias module_init() gives it)
            first = bisect.bisect_left(addrs, addrs[i], 0, i)
            for s in syms[first:i + 1]:
                if s.addr + max(s.size, 1) > addr:
                    return s
                if best is None and s.size == 0:
                    best = s
            if addrs[i] < addr - 0x10000:
                break
            i = first - 1
        return best

    def lookup_size(self, addr: int) -> tuple[int, int] | None:
        """kallsyms_lookup_size_offset(): (size, offset) of the symbol at ADDR."""
        s = self.lookup(addr)
        if s is None:
            return None
        return s.size, addr - s.addr

    def find(self, name: str, owner: str | None = None) -> KSym | None:
        owners = [owner] if owner else list(self._by_owner)
        for o in owners:
            for s in self._by_owner.get(o, ()):
                if s.name == name:
                    return s
        return None

    def sprint_symbol(self, addr: int, with_size: bool = True) -> str:
        """`name+0xoff/0xsize [module]`, or the bare hex address."""
        s = self.lookup(addr)
        if s is None:
            return f"0x{addr:x}"
        text = f"{s.name}+{addr - s.addr:#x}"
        if with_size:
            text += f"/{s.size:#x}"
        if s.owner != "vmlinux":
            text += f" [{s.owner}]"
        return text

    def all(self) -> list[KSym]:
        return list(self._index())
