"""Patch, object and function life cycle, sysfs and the module notifier hooks
(kernel/livepatch/core.c), over the Livepatch state of a kernel (kernel/livepatch/__init__.py).

4.19: register -> enable -> disable -> unregister. 5.4 (5.1+): enable only (it initialises the
patch), the patch is freed when disabled or replaced, cumulative patches with nop functions.
Where the two differ, `lp.profile` (kernel/profile.py LivepatchProfile) says which to do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from kernel import abi
from kernel.abi import KLP_PATCHED, KLP_UNPATCHED, MODULE_NAME_LEN, KlpCallbacks, ModuleState
from kernel.errno import Errno, KernelError, RawReturn
from kernel.bug import WarnSite
from kernel.fs import Attr, Dir
from kernel.list import LIST_POISON1, INIT_LIST_HEAD, list_add_tail, list_del
from kernel.livepatch import transition as tr
from kernel.livepatch.patch import (klp_patch_object, klp_unpatch_object, klp_unpatch_objects,
                                    klp_unpatch_objects_dynamic)
from kernel.module.params import kstrtobool
from kernel.record import field, record

if TYPE_CHECKING:
    from kernel.livepatch import Livepatch
    from kernel.machine import Kernel
    from kernel.module.main import Module

# kernel/livepatch/core.c's WARN_ON()s (4.19.0; 4.19.67+ have them a line or six further down)
WARN_DISABLE_DISABLED = WarnSite("kernel/livepatch/core.c", 285, "__klp_disable_patch")  # !patch->enabled
WARN_ENABLE_ENABLED = WarnSite("kernel/livepatch/core.c", 358, "__klp_enable_patch")     # patch->enabled
WARN_MODULE_COMING = WarnSite("kernel/livepatch/core.c", 954, "klp_module_coming")
WARN_MODULE_GOING = WarnSite("kernel/livepatch/core.c", 1032, "klp_module_going")
KSYM_NAME_LEN = 128
__all__ = ["KlpPatch", "KlpObject", "KlpFunc"]


@record(eq=False)
class KlpFunc:
    """struct klp_func: one function a patch replaces, and its state."""

    addr: int
    old_name: str
    new_func: int
    old_sympos: int
    old_addr: int = 0
    old_size: int = 0
    new_size: int = 0
    patched: bool = False
    transition: bool = False
    nop: bool = False           # 5.4: added by a cumulative patch; runs the original
    cstruct: abi.Struct = abi.KlpFunc  # this kernel's struct klp_func layout

    def set_old_addr(self, k: "Kernel", addr: int) -> None:
        self.old_addr = addr
        if self.addr:
            k.mem.set_u64(self.addr + self.cstruct.old_addr.offset, addr)


@record(eq=False)
class KlpObject:
    """struct klp_object: vmlinux or one module a patch changes, with its functions."""

    addr: int
    name: str | None
    funcs: list[KlpFunc]
    callbacks: tuple[int, int, int, int]
    mod: "Module | None" = None
    patched: bool = False
    post_unpatch_enabled: bool = False
    dynamic: bool = False       # 5.4: made by a cumulative patch for its nops
    cstruct: abi.Struct = abi.KlpObject  # this kernel's struct klp_object layout

    @property
    def label(self) -> str:
        return self.name or "vmlinux"

    def is_loaded(self) -> bool:
        return self.name is None or self.mod is not None

    def set_patched(self, k: "Kernel", v: bool) -> None:
        self.patched = v
        if self.addr:
            k.mem.set_u8(self.addr + self.cstruct.patched.offset, int(v))

    def set_mod(self, k: "Kernel", mod: "Module | None") -> None:
        self.mod = mod
        if self.addr:
            k.mem.set_u64(self.addr + self.cstruct.mod.offset, mod.struct_addr if mod else 0)


@record(eq=False)
class KlpPatch:
    """struct klp_patch: one livepatch module's patch, its objects and its state."""

    addr: int
    mod: "Module"
    objs: list[KlpObject]
    cstruct: abi.Struct = abi.KlpPatch   # this kernel's struct klp_patch layout
    enabled: bool = False
    replace: bool = False          # 5.4: a cumulative patch
    forced: bool = False           # 5.4: a forced transition ran while it was listed
    dir: Dir = field(default_factory=Dir)
    free_work: object = None       # 5.4: klp_free_patch_work_fn's work item

    @property
    def name(self) -> str:
        return self.mod.name

    def set_enabled(self, k: "Kernel", v: bool) -> None:
        self.enabled = v
        k.mem.set_u8(self.addr + self.cstruct.enabled.offset, int(v))


# --- callbacks (core.h) ----------------------------------------------------------
def _call(lp: "Livepatch", obj: KlpObject, idx: int, via: str) -> int:
    fn = obj.callbacks[idx]
    if not fn:
        return 0
    ret = lp.k.run_guest(lp.k.current, fn, (obj.addr,), via=via)
    ret &= 0xFFFFFFFF
    return ret - (1 << 32) if ret >> 31 else ret


def _set_post_unpatch_enabled(lp: "Livepatch", obj: KlpObject, v: bool) -> None:
    obj.post_unpatch_enabled = v
    if obj.addr:
        lp.k.mem.set_u8(obj.addr + obj.cstruct.callbacks.offset
                        + KlpCallbacks.post_unpatch_enabled.offset, int(v))


def pre_patch_callback(lp: "Livepatch", obj: KlpObject, via: str) -> int:
    ret = _call(lp, obj, 0, via)
    _set_post_unpatch_enabled(lp, obj, ret == 0)
    return ret


def post_patch_callback(lp: "Livepatch", obj: KlpObject, via: str) -> None:
    _call(lp, obj, 1, via)


def pre_unpatch_callback(lp: "Livepatch", obj: KlpObject, via: str) -> None:
    _call(lp, obj, 2, via)


def post_unpatch_callback(lp: "Livepatch", obj: KlpObject, via: str) -> None:
    if obj.post_unpatch_enabled:
        _call(lp, obj, 3, via)
    _set_post_unpatch_enabled(lp, obj, False)


# --- registration ----------------------------------------------------------------
def find_patch(lp: "Livepatch", addr: int) -> KlpPatch | None:
    return next((p for p in lp.patches if p.addr == addr), None)


def _read_funcs(lp: "Livepatch", addr: int) -> list[KlpFunc]:
    mem, out, CFunc = lp.k.mem, [], lp.func_struct
    while True:
        name_p = mem.u64(addr + CFunc.old_name.offset)
        new = mem.u64(addr + CFunc.new_func.offset)
        pos = mem.u64(addr + CFunc.old_sympos.offset)
        if not (name_p or new or pos):
            return out
        if not name_p or not new:
            raise KernelError(Errno.EINVAL)
        name = mem.cstr(name_p, KSYM_NAME_LEN + 1)
        if len(name) >= KSYM_NAME_LEN:
            raise KernelError(Errno.EINVAL)
        out.append(KlpFunc(addr, name, new, pos, cstruct=CFunc))
        addr += CFunc.size


def _read_objects(lp: "Livepatch", addr: int) -> list[KlpObject]:
    mem, out, CObject = lp.k.mem, [], lp.object_struct
    if not addr:
        raise KernelError(Errno.EINVAL)
    while True:
        name_p = mem.u64(addr + CObject.name.offset)
        funcs_p = mem.u64(addr + CObject.funcs.offset)
        if not (name_p or funcs_p):
            return out
        if not funcs_p:
            raise KernelError(Errno.EINVAL)
        name = mem.cstr(name_p, MODULE_NAME_LEN + 1) if name_p else None
        if name is not None and len(name) >= MODULE_NAME_LEN:
            raise KernelError(Errno.EINVAL)
        cb = addr + CObject.callbacks.offset
        callbacks = tuple(mem.u64(cb + getattr(KlpCallbacks, f).offset)
                          for f in ("pre_patch", "post_patch", "pre_unpatch", "post_unpatch"))
        out.append(KlpObject(addr, name, _read_funcs(lp, funcs_p), callbacks,  # type: ignore[arg-type]
                             cstruct=CObject))
        addr += CObject.size


def _patch_module(lp: "Livepatch", addr: int) -> "Module":
    """The checks klp_register_patch() (4.19) and klp_enable_patch() (5.4) start with."""
    k = lp.k
    mod_p = k.mem.u64(addr + lp.patch_struct.mod.offset) if addr else 0
    mod = k.module_by_struct(mod_p) if mod_p else None
    if mod is None:
        raise KernelError(Errno.EINVAL)
    if not mod.klp:
        lp.log.err(f"module {mod.name} is not marked as a livepatch module")
        raise KernelError(Errno.EINVAL)
    if lp.sysfs is None:
        raise KernelError(Errno.ENODEV)
    return mod


def _klp_init_patch_early(lp: "Livepatch", addr: int, mod: "Module") -> KlpPatch:
    """Read the patch's objects and functions from guest memory (-EINVAL if malformed)."""
    k = lp.k
    objs_p = k.mem.u64(addr + lp.patch_struct.objs.offset)
    if not objs_p:
        raise KernelError(Errno.EINVAL)
    patch = KlpPatch(addr, mod, _read_objects(lp, objs_p), lp.patch_struct)
    if lp.profile.atomic_replace:
        patch.replace = bool(k.mem.u8(addr + lp.patch_struct.replace.offset))
    patch.set_enabled(k, False)
    if lp.profile.object_lists:
        INIT_LIST_HEAD(k.mem, addr + lp.patch_struct.obj_list.offset)
        for obj in patch.objs:
            _list_object(lp, patch, obj)
    return patch


# --- 5.4: patch->obj_list and obj->func_list in guest memory -----------------------
def _list_object(lp: "Livepatch", patch: KlpPatch, obj: KlpObject) -> None:
    """klp_init_object_early(): OBJ (and its functions) onto the patch's lists."""
    mem, C = lp.k.mem, obj.cstruct
    INIT_LIST_HEAD(mem, obj.addr + C.func_list.offset)
    list_add_tail(mem, obj.addr + C.node.offset, patch.addr + patch.cstruct.obj_list.offset)
    for func in obj.funcs:
        _list_func(lp, obj, func)


def _list_func(lp: "Livepatch", obj: KlpObject, func: KlpFunc) -> None:
    """klp_init_func_early(): FUNC onto its object's func_list."""
    list_add_tail(lp.k.mem, func.addr + func.cstruct.node.offset,
                  obj.addr + obj.cstruct.func_list.offset)


def _alloc_dynamic(lp: "Livepatch", size: int, name: str | None) -> tuple[int, int]:
    """kzalloc() of a dynamic object or nop function and kstrdup() of its name."""
    k = lp.k
    addr = k.slab.kmalloc(size, zero=True)
    name_p = k.slab.kmalloc(len(name) + 1) if name is not None else 0
    if not addr or (name is not None and not name_p):
        k.slab.kfree(addr)
        k.slab.kfree(name_p)
        raise KernelError(Errno.ENOMEM)
    if name_p:
        k.mem.put_cstr(name_p, name)
    return addr, name_p


def _alloc_object_dynamic(lp: "Livepatch", patch: KlpPatch, name: str | None) -> KlpObject:
    """klp_alloc_object_dynamic(): an object a cumulative patch needs for its nops."""
    C = lp.object_struct
    addr, name_p = (_alloc_dynamic(lp, C.size, name) if lp.profile.object_lists else (0, 0))
    obj = KlpObject(addr, name, [], (0, 0, 0, 0), dynamic=True, cstruct=C)
    if addr:
        lp.k.mem.set_u64(addr + C.name.offset, name_p)
        lp.k.mem.set_u8(addr + C.dynamic.offset, 1)
        _list_object(lp, patch, obj)
    patch.objs.append(obj)
    return obj


def _alloc_func_nop(lp: "Livepatch", obj: KlpObject, old: KlpFunc) -> KlpFunc:
    """klp_alloc_func_nop(): a function that runs the original of OLD."""
    C = lp.func_struct
    addr, name_p = (_alloc_dynamic(lp, C.size, old.old_name) if lp.profile.object_lists
                    else (0, 0))
    func = KlpFunc(addr, old.old_name, 0, old.old_sympos, nop=True, cstruct=C)
    if addr:
        mem = lp.k.mem
        mem.set_u64(addr + C.old_name.offset, name_p)
        mem.set_u64(addr + C.old_sympos.offset, old.old_sympos)
        mem.set_u8(addr + C.nop.offset, 1)
        _list_func(lp, obj, func)
    obj.funcs.append(func)
    return func


def _free_func(lp: "Livepatch", func: KlpFunc) -> None:
    """Off its object's func_list; a nop's memory goes back (klp_free_func_nop)."""
    _unlist(lp, func, func.nop, "old_name")


def _free_object(lp: "Livepatch", obj: KlpObject) -> None:
    """Off the patch's obj_list; a dynamic object's memory goes back."""
    _unlist(lp, obj, obj.dynamic, "name")


def _unlist(lp: "Livepatch", item: "KlpFunc | KlpObject", allocated: bool, name: str) -> None:
    """ITEM's struct off the list its node is on (5.4's lists); one the core ALLOCATED (a
    nop, a dynamic object) is freed with the name string its member NAME points at."""
    if not (lp.profile.object_lists and item.addr):
        return
    mem = lp.k.mem
    node = item.addr + item.cstruct.node.offset
    if mem.u64(node) != LIST_POISON1:
        list_del(mem, node)
    if allocated:
        lp.k.slab.kfree(mem.u64(item.addr + getattr(item.cstruct, name).offset))
        lp.k.slab.kfree(item.addr)
        item.addr = 0


def _klp_init_patch(lp: "Livepatch", patch: KlpPatch) -> None:
    """Sysfs directory, nops of a cumulative patch, objects; then onto klp_patches."""
    _kobject_add_patch_dir(lp, patch.name)
    if patch.replace:
        _klp_add_nops(lp, patch)
    for obj in patch.objs:
        _init_object(lp, patch, obj)
    _sysfs_add(lp, patch)
    lp.patches.append(patch)


def klp_register_patch(lp: "Livepatch", addr: int) -> None:
    """4.19: initialise the patch and list it, disabled."""
    mod = _patch_module(lp, addr)
    with lp.mutex:
        patch = _klp_init_patch_early(lp, addr, mod)
        try:
            _klp_init_patch(lp, patch)
        except KernelError:
            for obj in patch.objs:
                _free_object_loaded(lp, obj)
            raise


def _kobject_add_patch_dir(lp: "Livepatch", name: str) -> None:
    """kobject_init_and_add() of /sys/kernel/livepatch/<name>: a name taken is -EEXIST.

    4.19 has no "already registered" check of its own: registering a patch twice, or two
    patches from one module, fails here, in sysfs.
    """
    assert lp.sysfs is not None
    if name not in lp.sysfs.children:
        return
    k = lp.k
    k.log.warn(f"sysfs: cannot create duplicate filename '/kernel/livepatch/{name}'")
    k.dump_stack(k.sched.current)
    k.log.err(f"kobject_add_internal failed for {name} with -EEXIST, don't try to register "
              "things with the same name in the same directory.")
    raise KernelError(Errno.EEXIST)


def _init_object(lp: "Livepatch", patch: KlpPatch, obj: KlpObject) -> None:
    obj.set_patched(lp.k, False)
    if obj.name is not None:
        target = lp.k.loader.modules.get(obj.name)
        obj.set_mod(lp.k, target if target is not None and target.klp_alive else None)
    if obj.is_loaded():
        _init_object_loaded(lp, patch, obj)


def _init_object_loaded(lp: "Livepatch", patch: KlpPatch, obj: KlpObject) -> None:
    from kernel.livepatch.reloc import klp_find_object_symbol, klp_write_object_relocations
    k = lp.k
    symbols_of = k.kallsyms.symbols_of
    if patch.mod.klp_info is not None:
        from kernel.livepatch.elf_info import apply_klp_section
        klp_write_object_relocations(patch.mod.klp_info, obj.name, symbols_of,
                                     lambda sec, info: apply_klp_section(k, patch.mod, sec, info),
                                     lp.log.err)
    for func in obj.funcs:
        func.set_old_addr(k, klp_find_object_symbol(symbols_of, obj.name, func.old_name,
                                                    func.old_sympos, lp.log.err))
        size = k.kallsyms.lookup_size(func.old_addr)
        if size is None or size[0] == 0:
            lp.log.err(f"kallsyms size lookup failed for '{func.old_name}'")
            raise KernelError(Errno.ENOENT)
        func.old_size = size[0]
        if func.nop:
            func.new_func = func.old_addr
            if func.addr:
                k.mem.set_u64(func.addr + func.cstruct.new_func.offset, func.new_func)
        size = k.kallsyms.lookup_size(func.new_func)
        if size is None or size[0] == 0:
            lp.log.err(f"kallsyms size lookup failed for '{func.old_name}' replacement")
            raise KernelError(Errno.ENOENT)
        func.new_size = size[0]


def _free_object_loaded(lp: "Livepatch", obj: KlpObject) -> None:
    obj.set_mod(lp.k, None) if obj.name is not None else None
    for func in obj.funcs:
        func.set_old_addr(lp.k, 0)
        if func.nop:
            func.new_func = 0
            if func.addr:
                lp.k.mem.set_u64(func.addr + func.cstruct.new_func.offset, 0)


def klp_unregister_patch(lp: "Livepatch", addr: int) -> None:
    with lp.mutex:
        patch = find_patch(lp, addr)
        if patch is None:
            raise KernelError(Errno.EINVAL)
        if patch.enabled:
            raise KernelError(Errno.EBUSY)
        lp.patches.remove(patch)
        for obj in patch.objs:
            if obj.is_loaded():
                _free_object_loaded(lp, obj)
        assert lp.sysfs is not None
        lp.sysfs.remove(patch.name)
        patch.dir.children.clear()      # its attributes' show/store hold the patch


# --- enable / disable --------------------------------------------------------------
def klp_enable_patch(lp: "Livepatch", addr: int) -> None:
    """Enable the patch at ADDR. 4.19: one klp_register_patch() registered. 5.4: called from
    the patch module's init, it initialises, lists and enables the patch; on failure the
    patch is freed again.

    Raises: KernelError (-EINVAL, -ENODEV, -EBUSY, ...) or RawReturn (a callback's value).
    """
    if not lp.profile.enable_registers:
        with lp.mutex:
            patch = find_patch(lp, addr)
            if patch is None:
                raise KernelError(Errno.EINVAL)
            _klp_enable_patch(lp, patch)
        return
    mod = _patch_module(lp, addr)
    with lp.mutex:
        patch = _klp_init_patch_early(lp, addr, mod)
        if not lp.k.loader.try_module_get(patch.mod):
            raise KernelError(Errno.ENODEV)
        try:
            _klp_init_patch(lp, patch)
            _klp_enable_patch(lp, patch)
        except KernelError:
            klp_free_patch_start(lp, patch)
            klp_free_patch_finish(lp, patch)
            raise


def _klp_enable_patch(lp: "Livepatch", patch: KlpPatch) -> None:
    k = lp.k
    if lp.transition_patch is not None:
        raise KernelError(Errno.EBUSY)
    if patch.enabled:
        k.warn_at(WARN_ENABLE_ENABLED)
        raise KernelError(Errno.EINVAL)
    if lp.profile.stacking:
        i = lp.patches.index(patch)
        if i > 0 and not lp.patches[i - 1].enabled:
            raise KernelError(Errno.EBUSY)
    if not lp.profile.enable_registers and not k.loader.try_module_get(patch.mod):
        raise KernelError(Errno.ENODEV)
    lp.log.notice(f"enabling patch '{patch.name}'")
    tr.klp_init_transition(lp, patch, KLP_PATCHED)
    try:
        for obj in patch.objs:
            if not obj.is_loaded():
                continue
            ret = pre_patch_callback(lp, obj, "__klp_enable_patch")
            if ret:
                lp.log.warn(f"pre-patch callback failed for object '{obj.label}'")
                raise RawReturn(ret)
            try:
                klp_patch_object(lp, obj)
            except KernelError:
                lp.log.warn(f"failed to patch object '{obj.label}'")
                raise
    except KernelError:
        lp.log.warn(f"failed to enable patch '{patch.name}'")
        tr.klp_cancel_transition(lp)
        raise
    tr.klp_start_transition(lp)
    if lp.profile.enabled_before_first_attempt:
        patch.set_enabled(k, True)
        tr.klp_try_complete_transition(lp)
    else:
        tr.klp_try_complete_transition(lp)
        patch.set_enabled(k, True)


def klp_disable_patch(lp: "Livepatch", addr: int) -> None:
    with lp.mutex:
        patch = find_patch(lp, addr)
        if patch is None or not patch.enabled:
            raise KernelError(Errno.EINVAL)
        _klp_disable_patch(lp, patch)


def _klp_disable_patch(lp: "Livepatch", patch: KlpPatch) -> None:
    if not patch.enabled:
        lp.k.warn_at(WARN_DISABLE_DISABLED)
        raise KernelError(Errno.EINVAL)
    if lp.transition_patch is not None:
        raise KernelError(Errno.EBUSY)
    if lp.profile.stacking:
        i = lp.patches.index(patch)
        if i + 1 < len(lp.patches) and lp.patches[i + 1].enabled:
            raise KernelError(Errno.EBUSY)
    tr.klp_init_transition(lp, patch, KLP_UNPATCHED)
    for obj in patch.objs:
        if obj.patched:
            pre_unpatch_callback(lp, obj, "__klp_disable_patch")
    tr.klp_start_transition(lp)
    if lp.profile.enabled_before_first_attempt:
        patch.set_enabled(lp.k, False)
        tr.klp_try_complete_transition(lp)
    else:
        tr.klp_try_complete_transition(lp)
        patch.set_enabled(lp.k, False)


# --- 5.4: freeing, atomic replace ------------------------------------------------
def klp_free_patch_start(lp: "Livepatch", patch: KlpPatch) -> None:
    """Off klp_patches; the objects' sysfs entries go (what may be done under klp_mutex)."""
    if patch in lp.patches:
        lp.patches.remove(patch)
    patch.dir.children = {n: c for n, c in patch.dir.children.items() if not isinstance(c, Dir)}
    for obj in patch.objs:                        # klp_free_objects(): off the lists
        for func in obj.funcs:
            _free_func(lp, func)
        _free_object(lp, obj)


def klp_free_patch_finish(lp: "Livepatch", patch: KlpPatch) -> None:
    """The sysfs directory goes, then the module reference (unless a force ran)."""
    assert lp.sysfs is not None
    if lp.sysfs.children.get(patch.name) is patch.dir:
        lp.sysfs.remove(patch.name)
        patch.dir.children.clear()      # its attributes' show/store hold the patch
    if not patch.forced:
        lp.k.loader.module_put(patch.mod)
    patch.free_work = None                  # done: the work's function holds the patch


def schedule_free_work(lp: "Livepatch", patch: KlpPatch) -> None:
    """schedule_work(&patch->free_work): klp_free_patch_finish() in a kworker."""
    if patch.free_work is None:
        patch.free_work = lp.k.wq.host_work("klp_free_patch_work_fn",
                                            lambda: klp_free_patch_finish(lp, patch))
    lp.k.wq.queue_work(patch.free_work)


def _klp_add_nops(lp: "Livepatch", patch: KlpPatch) -> None:
    """A nop function in PATCH for every function an earlier patch changes and PATCH does
    not: it runs the original, so replacing the earlier patches reverts those."""
    for old_patch in lp.patches:
        for old_obj in old_patch.objs:
            obj = next((o for o in patch.objs if o.name == old_obj.name), None)
            if obj is None:
                obj = _alloc_object_dynamic(lp, patch, old_obj.name)
            for old_func in old_obj.funcs:
                if not any(f.old_name == old_func.old_name and f.old_sympos == old_func.old_sympos
                           for f in obj.funcs):
                    _alloc_func_nop(lp, obj, old_func)


def klp_discard_replaced_patches(lp: "Livepatch", new_patch: KlpPatch) -> None:
    """Every patch listed before NEW_PATCH is replaced by it: unpatched, freed, no callbacks."""
    for old_patch in list(lp.patches):
        if old_patch is new_patch:
            return
        old_patch.set_enabled(lp.k, False)
        klp_unpatch_objects(lp, old_patch)
        klp_free_patch_start(lp, old_patch)
        schedule_free_work(lp, old_patch)


def klp_discard_nops(lp: "Livepatch", patch: KlpPatch) -> None:
    """The nops (and the objects made for them) have done their job once the replaced
    patches are gone."""
    klp_unpatch_objects_dynamic(lp, patch)
    for obj in list(patch.objs):
        for func in obj.funcs:
            if func.nop:
                _free_func(lp, func)
        obj.funcs = [f for f in obj.funcs if not f.nop]
        od = patch.dir.children.get(obj.label)
        if obj.dynamic:
            _free_object(lp, obj)
            patch.objs.remove(obj)
            patch.dir.children.pop(obj.label, None)
        elif isinstance(od, Dir):
            od.children = {n: c for n, c in od.children.items()
                           if any(n == _func_dirname(f) for f in obj.funcs)}


# --- module notifier hooks -------------------------------------------------------
def klp_module_coming(lp: "Livepatch", mod: "Module") -> None:
    if mod.state != ModuleState.COMING:
        lp.k.warn_at(WARN_MODULE_COMING)
        raise KernelError(Errno.EINVAL)
    with lp.mutex:
        mod.klp_alive = True
        for patch in lp.patches:
            obj = next((o for o in patch.objs if o.name == mod.name), None)
            if obj is None:
                continue
            obj.set_mod(lp.k, mod)
            try:
                _coming_object(lp, patch, obj, mod)
            except KernelError as e:
                lp.log.warn(f"patch '{patch.name}' failed for module '{mod.name}', refusing to load module '{mod.name}'")
                mod.klp_alive = False
                obj.set_mod(lp.k, None)
                _cleanup_module_patches_limited(lp, mod, patch)
                raise e


def _coming_object(lp: "Livepatch", patch: KlpPatch, obj: KlpObject, mod: "Module") -> None:
    try:
        _init_object_loaded(lp, patch, obj)
    except KernelError as e:
        lp.log.warn(f"failed to initialize patch '{patch.name}' for module '{mod.name}' ({-e.errno})")
        raise
    if not patch.enabled and patch is not lp.transition_patch:
        return
    lp.log.notice(f"applying patch '{patch.name}' to loading module '{mod.name}'")
    ret = pre_patch_callback(lp, obj, "klp_module_coming")
    if ret:
        lp.log.warn(f"pre-patch callback failed for object '{obj.name}'")
        raise RawReturn(ret)
    try:
        klp_patch_object(lp, obj)
    except KernelError as e:
        lp.log.warn(f"failed to apply patch '{patch.name}' to module '{mod.name}' ({-e.errno})")
        post_unpatch_callback(lp, obj, "klp_module_coming")
        raise
    if patch is not lp.transition_patch:
        post_patch_callback(lp, obj, "klp_module_coming")


def klp_module_going(lp: "Livepatch", mod: "Module") -> None:
    if mod.state not in (ModuleState.GOING, ModuleState.COMING):
        lp.k.warn_at(WARN_MODULE_GOING)
        return
    with lp.mutex:
        mod.klp_alive = False
        _cleanup_module_patches_limited(lp, mod, None)


def _cleanup_module_patches_limited(lp: "Livepatch", mod: "Module", limit: KlpPatch | None) -> None:
    for patch in lp.patches:
        if patch is limit:
            break
        obj = next((o for o in patch.objs if o.name == mod.name), None)
        if obj is None or obj.mod is None:
            continue
        if patch.enabled or patch is lp.transition_patch:
            if patch is not lp.transition_patch:
                pre_unpatch_callback(lp, obj, "klp_module_going")
            lp.log.notice(f"reverting patch '{patch.name}' on unloading module '{mod.name}'")
            klp_unpatch_object(lp, obj)
            post_unpatch_callback(lp, obj, "klp_module_going")
        _free_object_loaded(lp, obj)


# --- sysfs -------------------------------------------------------------------------
def _sysfs_add(lp: "Livepatch", patch: KlpPatch) -> None:
    d = patch.dir
    attrs = {
        "enabled": Attr(0o644, lambda: f"{int(patch.enabled)}\n", lambda s: _enabled_store(lp, patch, s)),
        "transition": Attr(0o444, lambda: f"{int(patch is lp.transition_patch)}\n"),
        "signal": Attr(0o200, None, lambda s: _transition_store(lp, patch, s, tr.klp_send_signals)),
        "force": Attr(0o200, None, lambda s: _transition_store(lp, patch, s, tr.klp_force_transition)),
    }
    d.children.update({name: attrs[name] for name in lp.profile.sysfs_attrs})
    for obj in patch.objs:
        od = d.mkdir(obj.label)
        for func in obj.funcs:
            od.children[_func_dirname(func)] = Dir()
    assert lp.sysfs is not None
    lp.sysfs.children[patch.name] = d


def _enabled_store(lp: "Livepatch", patch: KlpPatch, text: str) -> None:
    enabled = kstrtobool(text or None)
    with lp.mutex:
        if lp.profile.reenable and patch not in lp.patches:
            raise KernelError(Errno.EINVAL)
        if patch.enabled == enabled:
            raise KernelError(Errno.EINVAL)       # already in requested state
        if patch is lp.transition_patch:
            tr.klp_reverse_transition(lp)
        elif not enabled:
            _klp_disable_patch(lp, patch)
        elif lp.profile.reenable:
            _klp_enable_patch(lp, patch)
        else:
            raise KernelError(Errno.EINVAL)       # 5.4: a disabled patch stays disabled


def _transition_store(lp: "Livepatch", patch: KlpPatch, text: str,
                      act: Callable[["Livepatch"], None]) -> None:
    """signal_store()/force_store(): a true TEXT makes ACT (klp_send_signals(),
    klp_force_transition()) act on PATCH's transition; EINVAL if PATCH is not in one."""
    if not kstrtobool(text or None):
        return
    with lp.mutex:
        if patch is not lp.transition_patch:
            raise KernelError(Errno.EINVAL)
        act(lp)


def _func_dirname(func: KlpFunc) -> str:
    """/sys/kernel/livepatch/<patch>/<object>/<function,sympos> (sympos 0 shows as 1)."""
    return f"{func.old_name},{func.old_sympos or 1}"
