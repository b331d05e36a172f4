"""linux/workqueue.h: the system workqueue as seen by modules (work_struct keyed by address)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.api import kapi

if TYPE_CHECKING:
    from kernel.machine import Kernel


@kapi()
def schedule_work(k: "Kernel", work: int) -> int:
    return int(k.wq.queue_work(k.wq.work(work)))


@kapi()
def queue_work(k: "Kernel", wq: int, work: int) -> int:
    return schedule_work(k, work)


@kapi()
def schedule_delayed_work(k: "Kernel", dwork: int, delay: int) -> int:
    return int(k.wq.queue_delayed_work(k.wq.work(dwork), delay))


@kapi()
def queue_delayed_work(k: "Kernel", wq: int, dwork: int, delay: int) -> int:
    return schedule_delayed_work(k, dwork, delay)


@kapi()
def mod_delayed_work(k: "Kernel", wq: int, dwork: int, delay: int) -> int:
    return int(k.wq.mod_delayed_work(k.wq.work(dwork), delay))


@kapi()
def cancel_work_sync(k: "Kernel", work: int) -> int:
    return int(k.wq.cancel_sync(k.wq.work(work)))


@kapi()
def cancel_delayed_work(k: "Kernel", dwork: int) -> int:
    return int(k.wq.cancel(k.wq.work(dwork)))


@kapi()
def cancel_delayed_work_sync(k: "Kernel", dwork: int) -> int:
    return int(k.wq.cancel_sync(k.wq.work(dwork)))


@kapi()
def flush_work(k: "Kernel", work: int) -> int:
    return int(k.wq.flush(k.wq.work(work)))


@kapi()
def flush_delayed_work(k: "Kernel", dwork: int) -> int:
    return flush_work(k, dwork)


@kapi()
def flush_scheduled_work(k: "Kernel") -> None:
    k.wq.flush_all()
