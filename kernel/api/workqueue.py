"""linux/workqueue.h: workqueues as modules see them (work_struct and workqueue_struct keyed by
guest address; kernel/workqueue.py does the queueing)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.api import kapi, s32
from kernel.api.vsprintf import vsnprintf
from kernel.cpu import VarArgs
from kernel.sched import TaskKind, TaskState
from kernel.workqueue import WQ_MEM_RECLAIM, WQ_NAME_LEN, Work, WorkqueueStruct

if TYPE_CHECKING:
    from kernel.machine import Kernel

WORK_BUSY_PENDING, WORK_BUSY_RUNNING = 1, 2


def _work(k: "Kernel", addr: int) -> Work:
    return k.workqueues.work(addr)


def _wq(k: "Kernel", addr: int) -> WorkqueueStruct:
    wq = k.workqueues.by_addr.get(addr)
    if wq is None:
        # not a workqueue this kernel made (a stray or freed pointer): what the kernel
        # would dereference is garbage; queue on the system workqueue, loudly
        k.unchecked(f"work queued on unknown workqueue {addr:#x}",
                    "__queue_work() dereferences it")
        return k.wq
    return wq


# --- creating and destroying workqueues ------------------------------------------------------
@kapi("__alloc_workqueue_key", variadic=True)
def alloc_workqueue_key(k: "Kernel", fmt: int, flags: int, max_active: int, key: int,
                        lock_name: int, va: VarArgs) -> int:
    """The name is printf-formatted (WQ_NAME_LEN); WQ_MEM_RECLAIM gives it a rescuer thread."""
    name = vsnprintf(k, k.mem.cstr(fmt), va.next)[:WQ_NAME_LEN - 1]
    addr = k.slab.kmalloc(WQ_NAME_LEN, zero=True)
    if not addr:
        return 0
    k.mem.write(addr, name.encode("latin-1", "replace") + b"\0")
    wq = k.workqueues.create(name, flags & 0xFFFFFFFF, s32(max_active), addr)
    if wq.flags & WQ_MEM_RECLAIM:
        # rescuer_thread(): a kthread named after the workqueue, idle until memory is short
        from kernel.fork import kernel_thread
        wq.rescuer = kernel_thread(k, name, base="rescuer", sleep_on="idle")
        wq.rescuer.state = TaskState.IDLE
    return addr


@kapi()
def destroy_workqueue(k: "Kernel", addr: int) -> None:
    wq = k.workqueues.by_addr.get(addr)
    if wq is None:
        return
    wq.drain()
    if wq.rescuer is not None:
        k.sched.exit_task(wq.rescuer)
        wq.rescuer = None
    wq.destroyed = True
    del k.workqueues.by_addr[addr]
    k.slab.kfree(addr)


@kapi()
def flush_workqueue(k: "Kernel", addr: int) -> None:
    _wq(k, addr).flush()


@kapi()
def drain_workqueue(k: "Kernel", addr: int) -> None:
    _wq(k, addr).drain()


@kapi()
def workqueue_set_max_active(k: "Kernel", addr: int, max_active: int) -> None:
    _wq(k, addr).set_max_active(s32(max_active))


@kapi()
def workqueue_congested(k: "Kernel", cpu: int, addr: int) -> int:
    return int(bool(_wq(k, addr).inactive))


# --- queueing --------------------------------------------------------------------------------
@kapi()
def schedule_work(k: "Kernel", work: int) -> int:
    return int(k.wq.queue_work(_work(k, work)))


@kapi()
def queue_work(k: "Kernel", wq: int, work: int) -> int:
    return int(_wq(k, wq).queue_work(_work(k, work)))


@kapi()
def queue_work_on(k: "Kernel", cpu: int, wq: int, work: int) -> int:
    return queue_work(k, wq, work)


@kapi()
def schedule_delayed_work(k: "Kernel", dwork: int, delay: int) -> int:
    return int(k.wq.queue_delayed_work(_work(k, dwork), delay))


@kapi()
def queue_delayed_work(k: "Kernel", wq: int, dwork: int, delay: int) -> int:
    return int(_wq(k, wq).queue_delayed_work(_work(k, dwork), delay))


@kapi()
def queue_delayed_work_on(k: "Kernel", cpu: int, wq: int, dwork: int, delay: int) -> int:
    return queue_delayed_work(k, wq, dwork, delay)


@kapi()
def mod_delayed_work(k: "Kernel", wq: int, dwork: int, delay: int) -> int:
    return int(_wq(k, wq).mod_delayed_work(_work(k, dwork), delay))


@kapi()
def mod_delayed_work_on(k: "Kernel", cpu: int, wq: int, dwork: int, delay: int) -> int:
    return mod_delayed_work(k, wq, dwork, delay)


# --- cancelling and flushing -----------------------------------------------------------------
@kapi()
def cancel_work_sync(k: "Kernel", work: int) -> int:
    return int(k.workqueues.cancel_sync(_work(k, work)))


@kapi()
def cancel_delayed_work(k: "Kernel", dwork: int) -> int:
    return int(k.workqueues.cancel(_work(k, dwork)))


@kapi()
def cancel_delayed_work_sync(k: "Kernel", dwork: int) -> int:
    return int(k.workqueues.cancel_sync(_work(k, dwork)))


@kapi()
def flush_work(k: "Kernel", work: int) -> int:
    return int(k.workqueues.flush_work(_work(k, work)))


@kapi()
def flush_delayed_work(k: "Kernel", dwork: int) -> int:
    return int(k.workqueues.flush_delayed_work(_work(k, dwork)))


@kapi()
def flush_scheduled_work(k: "Kernel") -> None:
    k.wq.flush()


@kapi()
def work_busy(k: "Kernel", work: int) -> int:
    w = _work(k, work)
    return (WORK_BUSY_PENDING if w.pending else 0) | (WORK_BUSY_RUNNING if w.running else 0)


@kapi()
def current_work(k: "Kernel") -> int:
    info = k.workqueues.worker_info(k.current)
    return info[1].key if info is not None and info[1].key > 0 else 0
