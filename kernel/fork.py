"""The guest side of a task's life (kernel/fork.c _do_fork, copy_process, kernel/exit.c
__unhash_process): the fork that makes it, its struct task_struct and its place on
init_task.tasks, the list that for_each_process() walks, in creation order.

Every task the shell's commands and kthreadd make is made by _do_fork(), a kernel function
in Python at its slot: a command's task is bash's fork (fork(2): SIGCHLD), a kernel thread
kthreadd's kernel_thread(kthread, create, CLONE_FS | CLONE_FILES | SIGCHLD), which passes
flags | CLONE_VM | CLONE_UNTRACED, the thread function and its argument. With no probe on
the slot the host calls the function directly, as a call through the bare slot would; a
probed slot is called from guest code in the parent's context, so the probes' handlers see
the arguments in their registers and a kretprobe the pid it returns.
"""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING

from kernel.abi import KERNEL_DS, USER_DS, ListHead, TaskStruct
from kernel.boottasks import take_boot_struct
from kernel.errno import Errno
from kernel.record import record
from kernel.sched import TaskKind
from kernel.signal import free_task_signals, init_task_signals

if TYPE_CHECKING:
    from kernel.machine import Kernel
    from kernel.sched import Task

CSIGNAL = 0x000000FF
CLONE_VM = 0x00000100
CLONE_FS = 0x00000200
CLONE_FILES = 0x00000400
CLONE_UNTRACED = 0x00800000
KTHREADD_FLAGS = CLONE_FS | CLONE_FILES | 17        # create_kthread(): ... | SIGCHLD
CLONE_ARGS_SIZE = 64        # 5.4's struct kernel_clone_args
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
    signal pointers and patch state included, are put together in host memory and written at
    once: a boot makes ~20 of these; only the neighbours' links are written apart.) A fork
    of a boot laid down from its record finds its structs made (kernel.boottasks)."""
    if k.boot_structs and take_boot_struct(k, task):
        return task.guest_struct
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
    pack32(buf, _TS_PATCH_STATE, task.patch_state & 0xFFFF_FFFF)
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
        cred = (k.vmlinux.symbol("init_cred") if k.vmlinux is not None else 0) or 0
        tpl = _TS_TEMPLATES.get((kthread, cred))
        if tpl is None:
            buf = bytearray(_TS_SIZE)
            if kthread:
                _U32.pack_into(buf, _TS_FLAGS, _PF_KTHREAD)
            for off in _TS_PRIOS:
                _U32.pack_into(buf, off, DEFAULT_PRIO)
            _U32.pack_into(buf, _TS_EXIT_SIGNAL, _SIGCHLD)
            _U64.pack_into(buf, _TS_REAL_CRED, cred)
            _U64.pack_into(buf, _TS_CRED, cred)
            _U64.pack_into(buf, _TS_ADDR_LIMIT, KERNEL_DS if kthread else USER_DS)
            tpl = _TS_TEMPLATES[(kthread, cred)] = bytes(buf)
        if k.vmlinux is not None:           # (init_cred is known from here on)
            k.templates[key] = tpl
    return tpl


# The templates of the process, by (kthread, init_cred): every machine's are the same bytes
# (a cache of the process, as kernel.bootimage's images).
_TS_TEMPLATES: dict[tuple[bool, int], bytes] = {}


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
_TS_PATCH_STATE = TaskStruct.patch_state.offset
_TS_ADDR_LIMIT = TaskStruct.thread.offset


# --- _do_fork ----------------------------------------------------------------------------
@record(eq=False)
class ForkRequest:
    """What the host asks of one fork: the parent, and the child's comm, kind and frames
    (the rest of copy_process() is the parent's); CHILD once _do_fork() made it."""

    parent: "Task | None"
    comm: str
    kind: TaskKind
    base: str
    sleep_on: str
    child: "Task | None" = None


def fork_init(k: "Kernel") -> None:
    """_do_fork's slot (a kallsyms symbol of vmlinux, not exported, as in 4.19 and 5.4)."""
    k.do_fork_slot = k.cpu.add_stub("_do_fork", _do_fork, 6).addr


def _do_fork(k: "Kernel", clone_flags: int, stack_start: int, stack_size: int,
             parent_tidptr: int, child_tidptr: int, tls: int) -> int:
    """_do_fork(): copy_process() of the fork the host asked for, then its pid (on 5.4 the
    one argument is a struct kernel_clone_args *); -EINVAL for a call klpsh did not ask
    for (a module calling it by its address: klpsh makes tasks only for the shell's
    commands and kthreadd)."""
    reqs = k.fork_requests
    if not reqs or reqs[-1].child is not None:
        return -Errno.EINVAL
    req = reqs[-1]
    req.child = k.sched.new_task(req.comm, req.kind, base=req.base, sleep_on=req.sleep_on,
                                 parent=req.parent)
    return req.child.pid


def do_fork(k: "Kernel", parent: "Task | None", comm: str, kind: TaskKind, clone_flags: int,
            stack_start: int = 0, stack_size: int = 0, via: str = "__x64_sys_fork",
            base: str = "user", sleep_on: str = "user") -> "Task":
    """The child of PARENT that a call of _do_fork(CLONE_FLAGS, STACK_START, STACK_SIZE,
    NULL, NULL, 0) from host function VIA makes: COMM (what exec or kthread() names it),
    KIND, BASE and SLEEP_ON frames."""
    req = ForkRequest(parent, comm, kind, base, sleep_on)
    reqs = k.fork_requests
    reqs.append(req)
    try:
        kp = k.kprobes
        if kp is not None and k.do_fork_slot in kp.wrapped and parent is not None:
            _fork_probed(k, parent, clone_flags, stack_start, stack_size, via)
        else:
            _do_fork(k, clone_flags, stack_start, stack_size, 0, 0, 0)
    finally:
        reqs.remove(req)
    if req.child is None:               # (a probe's handler cannot stop the call)
        req.child = k.sched.new_task(comm, kind, base=base, sleep_on=sleep_on, parent=parent)
    return req.child


def _fork_probed(k: "Kernel", parent: "Task", clone_flags: int, stack_start: int,
                 stack_size: int, via: str) -> None:
    """_do_fork() called from guest code in PARENT's context (the task that forks is
    current while the probes' handlers run, as it is in Linux; a parent that runs no code
    here lends its context for the call), on 5.4 with its struct kernel_clone_args."""
    sched = k.sched
    prev = sched.current
    args: tuple[int, ...]
    clone_args = 0
    if k.profile.fork_clone_args:
        clone_args = k.slab.kmalloc(CLONE_ARGS_SIZE, zero=True)
        mem = k.mem
        mem.set_u64(clone_args, clone_flags & ~CSIGNAL & 0xFFFFFFFF)
        mem.set_u32(clone_args + 32, clone_flags & CSIGNAL)      # exit_signal
        mem.set_u64(clone_args + 40, stack_start)
        mem.set_u64(clone_args + 48, stack_size)
        args = (clone_args,)
    else:
        args = (clone_flags, stack_start, stack_size, 0, 0, 0)
    sched.current = parent
    try:
        k.cpu.call(parent, k.do_fork_slot, args, via)
    finally:
        sched.current = prev
        if clone_args:
            k.slab.kfree(clone_args)


def fork_user(k: "Kernel", comm: str, parent: "Task | None", sleep_on: str = "user") -> "Task":
    """A user task COMM forked by PARENT (fork(2): _do_fork(SIGCHLD, 0, 0, NULL, NULL, 0),
    then the exec that names it)."""
    return do_fork(k, parent, comm, TaskKind.USER, _SIGCHLD, sleep_on=sleep_on)


def kernel_thread(k: "Kernel", comm: str, base: str = "kthread", sleep_on: str = "kthread") -> "Task":
    """A kernel thread COMM that kthreadd makes (create_kthread(): kernel_thread(kthread,
    create, CLONE_FS | CLONE_FILES | SIGCHLD) -> _do_fork(flags | CLONE_VM | CLONE_UNTRACED,
    kthread, create, NULL, NULL, 0)); before kthreadd exists, swapper/0's."""
    parent = getattr(k, "kthreadd", None)
    fn = k.cpu.add_stub("kthread", None).addr if k.do_fork_slot else 0
    return do_fork(k, parent, comm, TaskKind.KTHREAD, KTHREADD_FLAGS | CLONE_VM | CLONE_UNTRACED,
                   stack_start=fn, via="kernel_thread", base=base, sleep_on=sleep_on)
