"""Function redirection, as the ftrace handler does it (kernel/livepatch/patch.c).

Each patched function gets an ftrace_ops on its fentry site (kernel/ftrace.py); the handler
picks the target from the func_stack and the current task's patch_state and rewrites regs->ip
(the return address of the site's call) so that the `ret` lands in the new function.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel import cost
from kernel.abi import KLP_UNPATCHED
from kernel.errno import Errno, KernelError
from kernel.bug import WarnSite
from kernel.ftrace import FtraceOps
from kernel.record import field, record

if TYPE_CHECKING:
    from kernel.livepatch import Livepatch
    from kernel.livepatch.core import KlpFunc, KlpObject
    from kernel.machine import Kernel

# kernel/livepatch/patch.c's WARN_ON()s (4.19)
WARN_UNPATCH_UNPATCHED = WarnSite("kernel/livepatch/patch.c", 143, "klp_unpatch_func")  # !func->patched
WARN_UNPATCH_NO_OPS = WarnSite("kernel/livepatch/patch.c", 149, "klp_unpatch_func")     # !ops
WARN_PATCH_NO_ADDR = WarnSite("kernel/livepatch/patch.c", 177, "klp_patch_func")        # !func->old_addr
WARN_PATCH_PATCHED = WarnSite("kernel/livepatch/patch.c", 180, "klp_patch_func")        # func->patched
WARN_OBJECT_PATCHED = WarnSite("kernel/livepatch/patch.c", 255, "klp_patch_object")     # obj->patched

__all__ = ["KlpOps", "klp_find_ops", "klp_patch_object", "klp_unpatch_object", "klp_unpatch_objects",
           "klp_unpatch_objects_dynamic", "klp_ftrace_handler"]


@record(eq=False)
class KlpOps:
    """One per patched old function: the func_stack, newest first, and its ftrace_ops."""

    old_addr: int
    func_stack: list["KlpFunc"] = field(default_factory=list)
    fops: FtraceOps = field(default_factory=lambda: FtraceOps("klp_ftrace_handler", klp_ftrace_handler))


def klp_find_ops(lp: "Livepatch", old_addr: int) -> KlpOps | None:
    return lp.ops.get(old_addr)


def klp_ftrace_handler(k: "Kernel", ip: int, ret_slot: int) -> None:
    """The ftrace handler of a patched function at IP: regs->ip (at RET_SLOT) becomes the new
    function of the current task's patch state."""
    lp = k.livepatch
    assert lp is not None
    task = k.current
    ops = lp.ops.get(ip)
    if ops is None or not ops.func_stack:
        return
    func = ops.func_stack[0]
    if func.transition:
        # The corresponding write barriers are in klp_init_transition(); one thread runs here.
        if task.patch_state == KLP_UNPATCHED:
            func = ops.func_stack[1] if len(ops.func_stack) > 1 else None
    if func is None or func.nop:
        return  # run the original function (a nop of a cumulative patch does so on purpose)
    k.mem.set_u64(ret_slot, func.new_func)


def klp_patch_func(lp: "Livepatch", func: "KlpFunc") -> None:
    k = lp.k
    if not func.old_addr or func.patched:
        k.warn_at(WARN_PATCH_NO_ADDR if not func.old_addr else WARN_PATCH_PATCHED)
        raise KernelError(Errno.EINVAL)
    ops = lp.ops.get(func.old_addr)
    if ops is None:
        # x86's klp_get_ftrace_location() is the address itself, so "failed to find location"
        # cannot happen there; a function without an fentry call fails in
        # ftrace_set_filter_ip() (ftrace_match_addr: not an ftrace location, -EINVAL).
        if k.ftrace.location(func.old_addr) != func.old_addr:
            lp.log.err(f"failed to set ftrace filter for function '{func.old_name}' ({-Errno.EINVAL})")
            raise KernelError(Errno.EINVAL)
        ops = KlpOps(func.old_addr)
        try:
            k.ftrace.register(ops.fops, func.old_addr)
        except KernelError as e:
            # register_ftrace_function(): another ops that modifies regs->ip (a kprobe) is there
            lp.log.err(f"failed to register ftrace handler for function '{func.old_name}' ({-e.errno})")
            raise
        lp.ops[func.old_addr] = ops
        cost.spend(k, "ftrace_register")
    ops.func_stack.insert(0, func)
    func.patched = True


def klp_unpatch_func(lp: "Livepatch", func: "KlpFunc") -> None:
    ops = lp.ops.get(func.old_addr)
    if not func.patched or ops is None:
        lp.k.warn_at(WARN_UNPATCH_UNPATCHED if not func.patched else WARN_UNPATCH_NO_OPS)
        return
    if func in ops.func_stack:
        ops.func_stack.remove(func)
    if not ops.func_stack:
        del lp.ops[func.old_addr]
        lp.k.ftrace.unregister(ops.fops, func.old_addr)
        cost.spend(lp.k, "ftrace_unregister")
    func.patched = False


def klp_unpatch_object(lp: "Livepatch", obj: "KlpObject") -> None:
    for func in obj.funcs:
        if func.patched:
            klp_unpatch_func(lp, func)
    obj.set_patched(lp.k, False)


def klp_patch_object(lp: "Livepatch", obj: "KlpObject") -> None:
    if obj.patched:
        lp.k.warn_at(WARN_OBJECT_PATCHED)
        raise KernelError(Errno.EINVAL)
    try:
        for func in obj.funcs:
            klp_patch_func(lp, func)
    except KernelError:
        klp_unpatch_object(lp, obj)
        raise
    obj.set_patched(lp.k, True)


def klp_unpatch_objects(lp: "Livepatch", patch) -> None:
    for obj in patch.objs:
        if obj.patched:
            klp_unpatch_object(lp, obj)


def klp_unpatch_objects_dynamic(lp: "Livepatch", patch) -> None:
    """Unpatch only the nop functions; objects made for nops are then unpatched too."""
    for obj in patch.objs:
        if not obj.patched:
            continue
        for func in obj.funcs:
            if func.nop and func.patched:
                klp_unpatch_func(lp, func)
        if obj.dynamic:
            obj.set_patched(lp.k, False)
