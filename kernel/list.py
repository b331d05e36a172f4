"""struct list_head in guest memory (include/linux/list.h): what the kernel's own code does to a
list that module code walks with list_for_each_entry()."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from kernel.abi import ListHead

if TYPE_CHECKING:
    from kernel.mm import GuestMemory as Memory

__all__ = ["INIT_LIST_HEAD", "list_add_tail", "list_del", "list_entries", "LIST_POISON1",
           "LIST_POISON2"]

# include/linux/poison.h with x86-64's CONFIG_ILLEGAL_POINTER_VALUE (0xdead000000000000)
LIST_POISON1 = 0xDEAD000000000100
LIST_POISON2 = 0xDEAD000000000200
_NEXT = ListHead.next.offset
_PREV = ListHead.prev.offset


def INIT_LIST_HEAD(mem: "Memory", head: int) -> None:  # noqa: N802 - the kernel's name
    """An empty list: HEAD points at itself both ways."""
    mem.set_u64(head + _NEXT, head)
    mem.set_u64(head + _PREV, head)


def list_add_tail(mem: "Memory", new: int, head: int) -> None:
    """NEW goes in before HEAD, i.e. at the end of the list."""
    prev = mem.u64(head + _PREV)
    mem.set_u64(new + _NEXT, head)
    mem.set_u64(new + _PREV, prev)
    mem.set_u64(prev + _NEXT, new)
    mem.set_u64(head + _PREV, new)


def list_del(mem: "Memory", entry: int) -> None:
    """ENTRY leaves its list; its pointers are poisoned, as the kernel leaves them."""
    nxt, prev = mem.u64(entry + _NEXT), mem.u64(entry + _PREV)
    mem.set_u64(prev + _NEXT, nxt)
    mem.set_u64(nxt + _PREV, prev)
    mem.set_u64(entry + _NEXT, LIST_POISON1)
    mem.set_u64(entry + _PREV, LIST_POISON2)


def list_entries(mem: "Memory", head: int, limit: int = 1 << 16) -> Iterator[int]:
    """The addresses of the list_heads on HEAD's list, in order (at most LIMIT)."""
    node = mem.u64(head + _NEXT)
    while node != head and limit > 0:
        yield node
        node = mem.u64(node + _NEXT)
        limit -= 1
