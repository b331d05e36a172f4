"""The guest side of a task's life (kernel/fork.c copy_process, kernel/exit.c
__unhash_process): its struct task_struct and its place on init_task.tasks, the list that
for_each_process() walks, in creation order."""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING

from kernel.abi import KERNEL_DS, USER_DS, ListHead, TaskStruct
from kernel.sched import TaskKind
from kernel.signal import free_task_signals, init_task_signals

if TYPE_CHECKING:
    from kernel.machine import Kernel
    from kernel.sched import Task

DEFAULT_PRIO = 120          # MAX_RT_PRIO + NICE_WIDTH / 2: nice 0
MM_STRUCT_SIZE = 1024       # the zeroed stand-in a user task's mm points at


def _list_add_tail(k: "Kernel", new: int, head: int) -> None:
    prev = k.mem.u64(head + ListHead.prev.offset)
    k.mem.set_u64(new + ListHead.next.offset, head)
    k.mem.set_u64(new + ListHead.prev.offset, prev)
    k.mem.set_u64(prev + ListHead.next.offset, new)
    k.mem.set_u64(head + ListHead.prev.offset, new)


def _list_del(k: "Kernel", entry: int) -> None:
    nxt = k.mem.u64(entry + ListHead.next.offset)
    prev = k.mem.u64(entry + ListHead.prev.offset)
    if nxt and prev:
        k.mem.set_u64(prev + ListHead.next.offset, nxt)
        k.mem.set_u64(nxt + ListHead.prev.offset, prev)
    k.mem.write(entry, _NULL_LIST_HEAD)          # next and prev


def init_task_addr(k: "Kernel") -> int:
    """vmlinux's init_task (swapper/0), 0 before vmlinux is loaded."""
    return k.vmlinux.symbol("init_task") if k.vmlinux is not None else 0


def _user_mm(k: "Kernel") -> int:
    if not k.user_mm:
        k.user_mm = k.heap.alloc(MM_STRUCT_SIZE)
        k.mem.zero(k.user_mm, MM_STRUCT_SIZE)
    return k.user_mm


def alloc_task_struct(k: "Kernel", task: "Task") -> int:
    """Give TASK its guest task_struct (init_task for swapper/0) and, unless it is another
    CPU's idle task, put it at the tail of init_task.tasks. (Its fields, list links and
    signal pointers included, are put together in host memory and written at once: a boot
    makes ~20 of these; only the neighbours' links are written apart.)"""
    head = init_task_addr(k)
    is_init = task.kind is TaskKind.IDLE and task.cpu == 0 and head and not k.task_by_struct(head)
    addr = head if is_init else k.heap.alloc(_TS_SIZE)     # the task_struct cache
    task.guest_struct = addr
    k._structs[addr] = task
    if is_init or not head:
        parent = addr
    else:                                       # a parent without one gets its own first
        parent = k.task_struct(task.parent) if task.parent is not None else head
    mem = k.mem
    kthread = task.is_kthread
    buf = bytearray(_template(k, kthread))
    pack32, pack64 = _U32.pack_into, _U64.pack_into
    pack32(buf, _TS_PID, task.pid)
    pack32(buf, _TS_TGID, task.pid)
    comm = task.comm.encode()[:15]
    buf[_TS_COMM:_TS_COMM + len(comm)] = comm
    # copy_process(): start times on the monotonic and the boot clock (no suspend: the same)
    now = k.clock.now
    pack64(buf, _TS_START_TIME, now)
    pack64(buf, _TS_REAL_START_TIME, now)
    for off in (_TS_CHILDREN, _TS_SIBLING):            # INIT_LIST_HEAD: empty, self-linked
        pack64(buf, off, addr + off)
        pack64(buf, off + 8, addr + off)
    pack64(buf, _TS_GROUP_LEADER, addr)
    pack64(buf, _TS_REAL_PARENT, parent)
    pack64(buf, _TS_PARENT, parent)
    init_task_signals(k, task, addr, buf)
    if not kthread:
        mm = _user_mm(k)
        pack64(buf, _TS_MM, mm)
        pack64(buf, _TS_ACTIVE_MM, mm)
    links = []                                  # list_add_tail(): the neighbours' links
    if is_init or not head:
        pack64(buf, _TS_TASKS, addr + _TS_TASKS)
        pack64(buf, _TS_TASKS + 8, addr + _TS_TASKS)
    elif task.kind is not TaskKind.IDLE:
        links.append(_link_tail(k, buf, addr, _TS_TASKS, head + _TS_TASKS))
        if parent != addr:                      # copy_process(): pid 0 is no child
            links.append(_link_tail(k, buf, addr, _TS_SIBLING, parent + _TS_CHILDREN))
    mem.write(addr, buf)
    for prev, new, at in links:
        mem.set_u64(prev + ListHead.next.offset, new)
        mem.set_u64(at + ListHead.prev.offset, new)
    return addr


def _template(k: "Kernel", kthread: bool) -> bytes:
    """What every new task_struct of K starts as, a kthread's or a user task's: flags,
    priorities, exit signal, creds (init_cred) and address limit (the rest is per task)."""
    key = ("task_struct", kthread)
    tpl = k.templates.get(key)
    if tpl is None:
        buf = bytearray(_TS_SIZE)
        if kthread:
            _U32.pack_into(buf, _TS_FLAGS, _PF_KTHREAD)
        for off in _TS_PRIOS:
            _U32.pack_into(buf, off, DEFAULT_PRIO)
        _U32.pack_into(buf, _TS_EXIT_SIGNAL, _SIGCHLD)
        cred = k.vmlinux.symbol("init_cred") if k.vmlinux is not None else 0
        _U64.pack_into(buf, _TS_REAL_CRED, cred or 0)
        _U64.pack_into(buf, _TS_CRED, cred or 0)
        _U64.pack_into(buf, _TS_ADDR_LIMIT, KERNEL_DS if kthread else USER_DS)
        tpl = bytes(buf)
        if k.vmlinux is not None:           # (init_cred is known from here on)
            k.templates[key] = tpl
    return tpl


def _link_tail(k: "Kernel", buf: bytearray, addr: int, off: int, at: int) -> tuple[int, int, int]:
    """list_add_tail() of the node at ADDR+OFF (in BUF, not yet written) before the head AT:
    the node's own links go in BUF; the (prev, node, head) whose links change are returned."""
    prev = k.mem.u64(at + ListHead.prev.offset)
    _U64.pack_into(buf, off + ListHead.next.offset, at)
    _U64.pack_into(buf, off + ListHead.prev.offset, prev)
    return prev, addr + off, at


def unhash_process(k: "Kernel", task: "Task") -> None:
    """An exited task leaves the task list and, reaped at once, gives its struct back to the
    task_struct cache (a module that kept the pointer reads freed memory, as on Linux)."""
    if task.guest_struct and task.guest_struct != init_task_addr(k):
        _list_del(k, task.guest_struct + TaskStruct.tasks.offset)
        _list_del(k, task.guest_struct + _TS_SIBLING)
        _reparent_children(k, task)
        free_task_signals(k, task)
        k.heap.free(task.guest_struct)


def _reparent_children(k: "Kernel", task: "Task") -> None:
    """forget_original_parent(): the children of an exiting task go to the child reaper,
    init (pid 1), or swapper/0 before init exists."""
    head = task.guest_struct + _TS_CHILDREN
    mem = k.mem
    node = mem.u64(head + ListHead.next.offset)
    if not node or node == head:                # no children (most tasks)
        return
    reaper = next((t.guest_struct for t in k._structs.values() if t.pid == 1 and t is not task
                   and t.guest_struct), 0) or init_task_addr(k)
    if not reaper:
        return
    for _ in range(1 << 16):                    # a bounded walk of guest memory
        if not node or node == head:
            break
        nxt = mem.u64(node + ListHead.next.offset)
        child = node - _TS_SIBLING
        _list_del(k, node)
        _list_add_tail(k, node, reaper + _TS_CHILDREN)
        mem.set_u64(child + _TS_REAL_PARENT, reaper)
        mem.set_u64(child + _TS_PARENT, reaper)
        node = nxt


_PF_KTHREAD = 0x00200000
_NULL_LIST_HEAD = bytes(ListHead.size)
_SIGCHLD = 17
_U32, _U64 = struct.Struct("<I"), struct.Struct("<Q")
_TS_SIZE = TaskStruct.size
_TS_PID, _TS_TGID, _TS_COMM, _TS_FLAGS = (TaskStruct.pid.offset, TaskStruct.tgid.offset,
                                          TaskStruct.comm.offset, TaskStruct.flags.offset)
_TS_PRIOS = (TaskStruct.prio.offset, TaskStruct.static_prio.offset, TaskStruct.normal_prio.offset)
_TS_EXIT_SIGNAL, _TS_TASKS = TaskStruct.exit_signal.offset, TaskStruct.tasks.offset
_TS_REAL_PARENT, _TS_PARENT = TaskStruct.real_parent.offset, TaskStruct.parent.offset
_TS_REAL_CRED, _TS_CRED = TaskStruct.real_cred.offset, TaskStruct.cred.offset
_TS_MM, _TS_ACTIVE_MM = TaskStruct.mm.offset, TaskStruct.active_mm.offset
_TS_START_TIME, _TS_REAL_START_TIME = TaskStruct.start_time.offset, TaskStruct.real_start_time.offset
_TS_CHILDREN, _TS_SIBLING = TaskStruct.children.offset, TaskStruct.sibling.offset
_TS_GROUP_LEADER = TaskStruct.group_leader.offset
_TS_ADDR_LIMIT = TaskStruct.thread.offset
