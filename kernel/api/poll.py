"""linux/poll.h: the poll table's queueing function drivers reach through poll_wait()
(fs/select.c __pollwait; the poll itself is kernel/fs/select.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.api import kapi

if TYPE_CHECKING:
    from kernel.machine import Kernel


@kapi("__pollwait")
def pollwait(k: "Kernel", filp: int, wait_address: int, p: int) -> None:
    from kernel.fs.select import pollwait as queue
    queue(k, filp, wait_address, p)
