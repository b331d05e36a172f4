"""linux/kobject.h, linux/sysfs.h: kobjects, ksets and their sysfs files (lib/kobject.c,
lib/kobject_uevent.c, fs/sysfs/file.c, group.c; 4.19).

The state is the guest's struct kobject (kref, state bits, name, parent, kset, ktype); the
kernel keeps each kobject's sysfs directory (KobjInfo). kobject_add() makes the directory
under the parent's (or the kset's, or /sys) and the ktype's default_attrs in it; the last
kobject_put() removes it if kobject_del() did not, then calls ktype->release. A file shows
and stores through the ktype's sysfs_ops (kobj_sysfs_ops in vmlinux for kobject_create()'s
kobjects and ksets), with a page-sized buffer; a device's kobject through dev_attr_show().
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING, Callable

from kernel.abi import (Attribute, AttributeGroup, BinAttribute, Device, Kobject, KobjType, Kset,
                        ListHead, SysfsOps)
from kernel.api import errret, kapi, s64
from kernel.api.vsprintf import vsnprintf
from kernel.bug import WarnSite
from kernel.cpu import VarArgs
from kernel.errno import Errno, KernelError, RawReturn
from kernel.fs import Attr, Dir, Symlink
from kernel.fs.sysfs import (ADD_UEVENT_SENT, IN_SYSFS, INITIALIZED, NAME_MAX, REMOVE_UEVENT_SENT,
                             UEVENT_SUPPRESS, KobjInfo, init_kobject, kobj_state, kobject_complain,
                             set_kobj_state, set_name, vmlinux_sym)

if TYPE_CHECKING:
    from kernel.machine import Kernel

KOBJ_ADD, KOBJ_REMOVE, KOBJ_MAX = 0, 1, 8
PAGE_SIZE = 4096
# the WARNs of lib/kobject.c and fs/sysfs/ (4.19.0 lines; 5.4's: kernel/profile.py WARN_MOVES_5_4)
# (the line of `WARN(1,`, whose arguments run on to 228: gcc's __LINE__ in a macro is the line its
# outermost invocation starts on)
WARN_EMPTY_NAME = WarnSite("lib/kobject.c", 226, "kobject_add_internal",
                           callers=("kobject_add_internal",))
WARN_GET_NOT_INIT = WarnSite("lib/kobject.c", 610, "kobject_get", callers=("kobject_get",))
WARN_PUT_NOT_INIT = WarnSite("lib/kobject.c", 705, "kobject_put", callers=("kobject_put",))
REFCOUNT_SATURATED = 0xC000_0000    # INT_MIN / 2 as a u32 (arch/x86/mm/extable.c)
WARN_NO_OPS = WarnSite("fs/sysfs/file.c", 260, "sysfs_add_file_mode_ns",
                       callers=("sysfs_add_file_mode_ns",))
# A NULL kobject, attribute or kobject directory: 4.19.0 BUG_ON()s at these lines (an Oops);
# klpsh WARNs there instead, as 5.x's WARN_ON()s that replaced them do (5.4.214: the same lines
# but sysfs_create_bin_file()'s 542)
WARN_CREATE_FILE = WarnSite("fs/sysfs/file.c", 328, "sysfs_create_file_ns",
                            callers=("sysfs_create_file_ns",))
WARN_CREATE_BIN = WarnSite("fs/sysfs/file.c", 540, "sysfs_create_bin_file",
                           callers=("sysfs_create_bin_file",))
WARN_CREATE_GROUP = WarnSite("fs/sysfs/group.c", 115, "internal_create_group",
                             callers=("internal_create_group", "sysfs_create_group"))
# internal_create_group()'s WARN(1, "sysfs: (bin_)attrs not set by subsystem for group: %s/%s\n")
WARN_NO_ATTRS = WarnSite("fs/sysfs/group.c", 121, "internal_create_group",
                         callers=("internal_create_group", "sysfs_create_group"))
_DUP_FRAMES = ("sysfs_warn_dup", "sysfs_create_dir_ns", "kobject_add_internal")
_FILE_DUP_FRAMES = ("sysfs_warn_dup", "sysfs_add_file_mode_ns")


def kobject_name(k: "Kernel", kobj: int) -> str:
    ptr = k.mem.u64(kobj + Kobject.name.offset)
    return k.mem.cstr(ptr, NAME_MAX) if ptr else ""


def _shown_name(k: "Kernel", kobj: int) -> str:
    """kobject_name() as %s prints it: "(null)" for a kobject without a name."""
    return kobject_name(k, kobj) if k.mem.u64(kobj + Kobject.name.offset) else "(null)"


def _device_of(k: "Kernel", kobj: int) -> int:
    """The struct device whose kobject KOBJ is (0 if none)."""
    devices = getattr(k.devices, "devices", {})
    dev = kobj - Device.kobj.offset
    return dev if dev in devices else 0


def sysfs_dir(k: "Kernel", kobj: int) -> tuple[Dir, str] | None:
    """The sysfs directory of KOBJ and its path below /sys, if it has one."""
    info = k.kobjs.get(kobj)
    if info is not None:
        return info.dir, info.path
    dev = _device_of(k, kobj)
    if dev:
        dinfo = k.devices.devices[dev]
        if dinfo.sysdir is not None:
            return dinfo.sysdir, k.devices.sys_path(dinfo)
    return None


# --- names ---------------------------------------------------------------------------------
def _fmt(k: "Kernel", fmt: int, va: VarArgs) -> str:
    return vsnprintf(k, k.mem.cstr(fmt, NAME_MAX), va.next) if fmt else ""


@kapi(variadic=True)
def kobject_set_name(k: "Kernel", kobj: int, fmt: int, va: VarArgs) -> int:
    if kobj and k.mem.u64(kobj + Kobject.name.offset) and not fmt:
        return 0
    return set_name(k, kobj, _fmt(k, fmt, va))


# --- init, add, del ------------------------------------------------------------------------
@kapi()
def kobject_init(k: "Kernel", kobj: int, ktype: int) -> None:
    init_kobject(k, kobj, ktype)


def _kset_join(k: "Kernel", kobj: int) -> None:
    """kobj_kset_join(): KOBJ at the tail of its kset's list."""
    kset = k.mem.u64(kobj + Kobject.kset.offset)
    if not kset:
        return
    kobject_get(k, kset + Kset.kobj.offset)
    head, entry = kset + Kset.list.offset, kobj + Kobject.entry.offset
    prev = k.mem.u64(head + ListHead.prev.offset)
    k.mem.set_u64(entry, head)
    k.mem.set_u64(entry + 8, prev)
    k.mem.set_u64(prev, entry)
    k.mem.set_u64(head + ListHead.prev.offset, entry)


def _kset_leave(k: "Kernel", kobj: int) -> None:
    """kobj_kset_leave(): off its kset's list, the kset's reference dropped."""
    kset = k.mem.u64(kobj + Kobject.kset.offset)
    if not kset:
        return
    entry = kobj + Kobject.entry.offset
    nxt, prev = k.mem.u64(entry), k.mem.u64(entry + 8)
    if nxt and prev and nxt != entry:
        k.mem.set_u64(prev, nxt)
        k.mem.set_u64(nxt + 8, prev)
    k.mem.set_u64(entry, entry)
    k.mem.set_u64(entry + 8, entry)
    kobject_put(k, kset + Kset.kobj.offset)


def add_internal(k: "Kernel", kobj: int) -> int:
    """kobject_add_internal(): the directory, its default files; 0 or -errno."""
    if not kobj:
        return -Errno.ENOENT
    mem = k.mem
    name = kobject_name(k, kobj)
    if not name:
        k.warn_at(WARN_EMPTY_NAME,
                  f"kobject: ({k.fmt_ptr(kobj)}): attempted to be registered with empty name!\n")
        return -Errno.EINVAL
    parent = kobject_get(k, mem.u64(kobj + Kobject.parent.offset))
    kset = mem.u64(kobj + Kobject.kset.offset)
    if kset:
        if not parent:
            parent = kobject_get(k, kset + Kset.kobj.offset)
        _kset_join(k, kobj)
        mem.set_u64(kobj + Kobject.parent.offset, parent)
    err = _create_dir(k, kobj, name, parent)
    if err:
        _kset_leave(k, kobj)
        kobject_put(k, parent)
        mem.set_u64(kobj + Kobject.parent.offset, 0)
        if err == -Errno.EEXIST:
            k.printk.printk(f"\x013kobject_add_internal failed for {name} with -EEXIST, don't try "
                            "to register things with the same name in the same directory.\n")
        else:
            pname = kobject_name(k, parent) if parent else "'none'"
            k.printk.printk(f"\x013kobject_add_internal failed for {name} (error: {err} parent: "
                            f"{pname})\n")
        return err
    set_kobj_state(k, kobj, on=IN_SYSFS)
    return 0


def _create_dir(k: "Kernel", kobj: int, name: str, parent: int) -> int:
    """create_dir(): sysfs_create_dir_ns() under PARENT's directory, then populate_dir()."""
    if parent:
        where = sysfs_dir(k, parent)
        if where is None:
            return -Errno.ENOENT
        pdir, ppath = where
    else:
        pdir, ppath = k.vfs.root.mkdir("sys"), ""
    if name in pdir.entries():
        k.printk.printk(f"\x014sysfs: cannot create duplicate filename '{ppath}/{name}'\n")
        k.dump_stack(k.sched.current, _DUP_FRAMES)
        return -Errno.EEXIST
    d = Dir()
    pdir.children[name] = d
    k.kobjs[kobj] = KobjInfo(name, d, pdir, f"{ppath}/{name}")
    ktype = k.mem.u64(kobj + Kobject.ktype.offset)
    attrs = k.mem.u64(ktype + KobjType.default_attrs.offset) if ktype else 0
    for attr in _array(k, attrs):
        err = create_file(k, kobj, attr)
        if err:
            remove_dir(k, kobj)
            return err
    return 0


def remove_dir(k: "Kernel", kobj: int) -> None:
    """sysfs_remove_dir(): the directory and everything in it."""
    info = k.kobjs.pop(kobj, None)
    if info is not None and info.parent.children.get(info.name) is info.dir:
        info.parent.remove(info.name)


def _add(k: "Kernel", kobj: int, parent: int, name: str) -> int:
    """kobject_add_varg()."""
    rc = set_name(k, kobj, name)
    if rc:
        return rc
    k.mem.set_u64(kobj + Kobject.parent.offset, parent)
    return add_internal(k, kobj)


@kapi(variadic=True)
def kobject_add(k: "Kernel", kobj: int, parent: int, fmt: int, va: VarArgs) -> int:
    if not kobj:
        return -Errno.EINVAL
    if not kobj_state(k, kobj) & INITIALIZED:
        kobject_complain(k, f"kobject '{_shown_name(k, kobj)}' ({k.fmt_ptr(kobj)}): tried to add "
                         "an uninitialized object, something is seriously wrong.", ("kobject_add",))
        return -Errno.EINVAL
    return _add(k, kobj, parent, _fmt(k, fmt, va))


@kapi(variadic=True)
def kobject_init_and_add(k: "Kernel", kobj: int, ktype: int, parent: int, fmt: int,
                         va: VarArgs) -> int:
    kobject_init(k, kobj, ktype)
    if not kobj:
        return -Errno.EINVAL
    return _add(k, kobj, parent, _fmt(k, fmt, va))


@kapi()
def kobject_del(k: "Kernel", kobj: int) -> None:
    if not kobj:
        return
    remove_dir(k, kobj)
    set_kobj_state(k, kobj, off=IN_SYSFS)
    _kset_leave(k, kobj)
    kobject_put(k, k.mem.u64(kobj + Kobject.parent.offset))
    k.mem.set_u64(kobj + Kobject.parent.offset, 0)


# --- references ----------------------------------------------------------------------------
@kapi()
def kobject_get(k: "Kernel", kobj: int) -> int:
    if kobj:
        if not kobj_state(k, kobj) & INITIALIZED:
            k.warn_at(WARN_GET_NOT_INIT, f"kobject: '{_shown_name(k, kobj)}' ({k.fmt_ptr(kobj)}): "
                      "is not initialized, yet kobject_get() is being called.\n")
        at = kobj + Kobject.kref.offset
        k.mem.set_u32(at, (k.mem.u32(at) + 1) & 0xFFFF_FFFF)
    return kobj


@kapi()
def kobject_get_unless_zero(k: "Kernel", kobj: int) -> int:
    if not kobj or not k.mem.u32(kobj + Kobject.kref.offset):
        return 0
    return kobject_get(k, kobj)


@kapi()
def kobject_put(k: "Kernel", kobj: int) -> None:
    if not kobj:
        return
    if not kobj_state(k, kobj) & INITIALIZED:
        k.warn_at(WARN_PUT_NOT_INIT, f"kobject: '{_shown_name(k, kobj)}' ({k.fmt_ptr(kobj)}): "
                  "is not initialized, yet kobject_put() is being called.\n")
    at = kobj + Kobject.kref.offset
    refs = k.mem.u32(at)
    if refs == 0 or refs & 0x8000_0000:
        # kref_put()'s refcount_dec_and_test() below zero: x86's refcount_t (4.19 selects
        # ARCH_HAS_REFCOUNT, REFCOUNT_FULL off) traps and ex_handler_refcount() saturates the
        # count at INT_MIN / 2; SF alone is "not reported": no message, no release
        k.mem.set_u32(at, REFCOUNT_SATURATED)
        return
    k.mem.set_u32(at, refs - 1)
    if refs == 1:
        kobject_cleanup(k, kobj)


def kobject_cleanup(k: "Kernel", kobj: int) -> None:
    """kobject_release(): 'remove' uevent and kobject_del() if the owner did not, then the
    ktype's release; the name is freed after it."""
    mem = k.mem
    dbg = _debug(k)
    ktype = mem.u64(kobj + Kobject.ktype.offset)
    name_ptr = mem.u64(kobj + Kobject.name.offset)
    name = kobject_name(k, kobj)
    ptr = k.fmt_ptr(kobj)
    dbg(f"kobject: '{name}' ({ptr}): kobject_cleanup, parent "
        f"{k.fmt_ptr(mem.u64(kobj + Kobject.parent.offset))}")
    release = mem.u64(ktype + KobjType.release.offset) if ktype else 0
    if ktype and not release:
        dbg(f"kobject: '{name}' ({ptr}): does not have a release() function, it is broken and "
            "must be fixed.")
    state = kobj_state(k, kobj)
    if state & ADD_UEVENT_SENT and not state & REMOVE_UEVENT_SENT:
        dbg(f"kobject: '{name}' ({ptr}): auto cleanup 'remove' event")
        kobject_uevent(k, kobj, KOBJ_REMOVE)
    if kobj_state(k, kobj) & IN_SYSFS:
        dbg(f"kobject: '{name}' ({ptr}): auto cleanup kobject_del")
        kobject_del(k, kobj)
    if release:
        dbg(f"kobject: '{name}' ({ptr}): calling ktype release")
        k.call_fn(release, (kobj,), "kobject_release")
    if name_ptr and k.slab.owns(name_ptr):
        dbg(f"kobject: '{name}': free name")
        k.slab.kfree(name_ptr)


def _debug(k: "Kernel") -> Callable[[str], None]:
    """lib/kobject.c's pr_debug(), printed where dynamic debug enables it."""
    def dbg(msg: str) -> None:
        if k.printk.dyndbg.enabled("lib/kobject.c", "kobject_cleanup"):
            k.printk.printk(f"\x017{msg}\n")
    return dbg


# --- creating: kobjects and ksets of the kernel's own types -----------------------------------
@kapi()
def kobject_create(k: "Kernel") -> int:
    kobj = k.slab.kmalloc(Kobject.size, zero=True)
    if kobj:
        kobject_init(k, kobj, vmlinux_sym(k, "klpsh_dynamic_kobj_ktype"))
    return kobj


@kapi()
def kobject_create_and_add(k: "Kernel", name: int, parent: int) -> int:
    kobj = kobject_create(k)
    if not kobj:
        return 0
    rc = _add(k, kobj, parent, k.mem.cstr(name, NAME_MAX) if name else "")
    if rc:
        k.printk.printk(f"\x014kobject_create_and_add: kobject_add error: {rc}\n")
        kobject_put(k, kobj)
        return 0
    return kobj


@kapi()
def kobject_get_path(k: "Kernel", kobj: int, gfp: int) -> int:
    """The kobject's path below /sys, in a kmalloc'd string (NULL if it has none)."""
    where = sysfs_dir(k, kobj) if kobj else None
    if where is None:
        return 0
    raw = where[1].encode("latin-1", "replace")
    ptr = k.slab.kmalloc(len(raw) + 1)
    if ptr:
        k.mem.write(ptr, raw + b"\0")
    return ptr


@kapi()
def kset_init(k: "Kernel", kset: int) -> None:
    kobj = kset + Kset.kobj.offset
    mem = k.mem
    mem.set_u32(kobj + Kobject.kref.offset, 1)
    ehead = kobj + Kobject.entry.offset
    mem.set_u64(ehead, ehead)
    mem.set_u64(ehead + 8, ehead)
    set_kobj_state(k, kobj, on=INITIALIZED, off=IN_SYSFS | ADD_UEVENT_SENT | REMOVE_UEVENT_SENT)
    head = kset + Kset.list.offset
    mem.set_u64(head, head)
    mem.set_u64(head + 8, head)


@kapi()
def kset_register(k: "Kernel", kset: int) -> int:
    if not kset:
        return -Errno.EINVAL
    kset_init(k, kset)
    err = add_internal(k, kset + Kset.kobj.offset)
    if err:
        return err
    kobject_uevent(k, kset + Kset.kobj.offset, KOBJ_ADD)
    return 0


@kapi()
def kset_unregister(k: "Kernel", kset: int) -> None:
    if not kset:
        return
    kobject_del(k, kset + Kset.kobj.offset)
    kobject_put(k, kset + Kset.kobj.offset)


@kapi()
def kset_create_and_add(k: "Kernel", name: int, uevent_ops: int, parent_kobj: int) -> int:
    kset = k.slab.kmalloc(Kset.size, zero=True)
    if not kset:
        return 0
    kobj = kset + Kset.kobj.offset
    if set_name(k, kobj, k.mem.cstr(name, NAME_MAX) if name else ""):
        k.slab.kfree(kset)
        return 0
    k.mem.set_u64(kset + Kset.uevent_ops.offset, uevent_ops)
    k.mem.set_u64(kobj + Kobject.parent.offset, parent_kobj)
    k.mem.set_u64(kobj + Kobject.ktype.offset, vmlinux_sym(k, "klpsh_kset_ktype"))
    if kset_register(k, kset):
        k.slab.kfree(k.mem.u64(kobj + Kobject.name.offset))
        k.slab.kfree(kset)
        return 0
    return kset


@kapi()
def kset_find_obj(k: "Kernel", kset: int, name: int) -> int:
    """The kobject of KSET's list named NAME, with a reference (NULL if none)."""
    want = k.mem.cstr(name, NAME_MAX) if name else ""
    head = kset + Kset.list.offset
    entry = k.mem.u64(head)
    for _ in range(1 << 16):
        if not entry or entry == head:
            break
        kobj = entry - Kobject.entry.offset
        if kobject_name(k, kobj) == want:
            return kobject_get_unless_zero(k, kobj)
        entry = k.mem.u64(entry)
    return 0


# --- uevents -------------------------------------------------------------------------------
@kapi()
def kobject_uevent_env(k: "Kernel", kobj: int, action: int, envp: int) -> int:
    """No listener hears it; 4.19's bookkeeping: a kobject that is in no kset (nor is any
    parent of it) gets -EINVAL, one whose kset's filter refuses it 0, else the add/remove
    state is noted."""
    action &= 0xFFFF_FFFF
    if action >= KOBJ_MAX or not kobj:
        return -Errno.EINVAL
    top = kobj
    for _ in range(256):
        if k.mem.u64(top + Kobject.kset.offset) or not k.mem.u64(top + Kobject.parent.offset):
            break
        top = k.mem.u64(top + Kobject.parent.offset)
    kset = k.mem.u64(top + Kobject.kset.offset)
    if not kset:
        return -Errno.EINVAL
    if kobj_state(k, kobj) & UEVENT_SUPPRESS:
        return 0
    ops = k.mem.u64(kset + Kset.uevent_ops.offset)
    filt = k.mem.u64(ops) if ops else 0
    if filt and not k.call_fn(filt, (kset, kobj), "kobject_uevent_env") & 0xFFFF_FFFF:
        return 0
    if action == KOBJ_ADD:
        set_kobj_state(k, kobj, on=ADD_UEVENT_SENT)
    elif action == KOBJ_REMOVE:
        set_kobj_state(k, kobj, on=REMOVE_UEVENT_SENT)
    return 0


@kapi()
def kobject_uevent(k: "Kernel", kobj: int, action: int) -> int:
    return kobject_uevent_env(k, kobj, action, 0)


# --- files ---------------------------------------------------------------------------------
def _array(k: "Kernel", array: int) -> list[int]:
    """The pointers of a NULL-terminated array."""
    out: list[int] = []
    while array and len(out) < 4096 and (a := k.mem.u64(array + 8 * len(out))):
        out.append(a)
    return out


def kobj_attr_file(k: "Kernel", kobj: int, attr: int, mode: int) -> Attr | None:
    """A file of KOBJ for ATTR, through its ktype's sysfs_ops (None: the kobject has none)."""
    mem = k.mem
    ktype = mem.u64(kobj + Kobject.ktype.offset)
    ops = mem.u64(ktype + KobjType.sysfs_ops.offset) if ktype else 0
    if not ops:
        return None
    show_fn = mem.u64(ops + SysfsOps.show.offset)
    store_fn = mem.u64(ops + SysfsOps.store.offset)

    def show() -> str:
        buf = k.slab.kmalloc(PAGE_SIZE, zero=True)
        if not buf:
            raise KernelError(Errno.ENOMEM)
        try:
            n = s64(k.call_fn(show_fn, (kobj, attr, buf), "sysfs_kf_seq_show"))
            if n < 0:
                raise KernelError(-n if -n <= 4095 else Errno.EIO)
            if n >= PAGE_SIZE:
                k.printk.printk(f"fill_read_buffer: {k.kallsyms.sprint_symbol(show_fn)} returned "
                                "bad count\n")
                n = PAGE_SIZE - 1
            return mem.read(buf, n).decode("latin-1")
        finally:
            k.slab.kfree(buf)

    def store(text: str) -> None:
        raw = text.encode("latin-1", "replace")[:PAGE_SIZE]
        buf = k.slab.kmalloc(len(raw) + 1, zero=True)
        if not buf:
            raise KernelError(Errno.ENOMEM)
        try:
            mem.write(buf, raw)
            n = s64(k.call_fn(store_fn, (kobj, attr, buf, len(raw)), "sysfs_kf_write"))
        finally:
            k.slab.kfree(buf)
        if n < 0:
            raise KernelError(-n if -n <= 4095 else Errno.EIO)
        if n < len(raw):
            raise RawReturn(n)
    return Attr(mode & 0o777, show if show_fn else None, store if store_fn else None)


def _new_file_place(k: "Kernel", kobj: int, attr: int, mode: int | None,
                    group: str) -> tuple[Dir, str, int] | int:
    """Where ATTR's file goes (KOBJ's directory or its GROUP one), its name and mode, or
    -errno: -ENOENT without a directory, -EEXIST (with sysfs's warning) for a taken name."""
    where = sysfs_dir(k, kobj)
    if where is None:
        return -Errno.ENOENT
    d, path = where
    if group:
        d, path = d.mkdir(group), f"{path}/{group}"
    name = k.mem.cstr(k.mem.u64(attr + Attribute.name.offset), 256)
    perms = k.mem.u16(attr + Attribute.mode.offset) if mode is None else mode
    if name in d.entries():
        k.printk.printk(f"\x014sysfs: cannot create duplicate filename '{path}/{name}'\n")
        k.dump_stack(k.sched.current, _FILE_DUP_FRAMES)
        return -Errno.EEXIST
    return d, name, perms


def create_file(k: "Kernel", kobj: int, attr: int, mode: int | None = None,
                group: str = "") -> int:
    """sysfs_add_file_mode_ns(): ATTR's file in KOBJ's directory (or its GROUP one)."""
    place = _new_file_place(k, kobj, attr, mode, group)
    if isinstance(place, int):
        return place
    d, name, perms = place
    dev = _device_of(k, kobj)
    node = k.devices.attr_file(dev, attr, perms) if dev else kobj_attr_file(k, kobj, attr, perms)
    if node is None:
        k.warn_at(WARN_NO_OPS,
                  f"\x013missing sysfs attribute operations for kobject: {kobject_name(k, kobj)}\n")
        return -Errno.EINVAL
    d.children[name] = node
    return 0


@kapi()
def sysfs_create_file_ns(k: "Kernel", kobj: int, attr: int, ns: int) -> int:
    if not kobj or not attr or sysfs_dir(k, kobj) is None:
        k.warn_at(WARN_CREATE_FILE)
        return errret(Errno.EINVAL)
    return create_file(k, kobj, attr)


@kapi()
def sysfs_remove_file_ns(k: "Kernel", kobj: int, attr: int, ns: int) -> None:
    where = sysfs_dir(k, kobj) if kobj else None
    if where is not None and attr:
        name = k.mem.cstr(k.mem.u64(attr + Attribute.name.offset), 256)
        if name in where[0].children:
            where[0].remove(name)


@kapi()
def sysfs_create_files(k: "Kernel", kobj: int, array: int) -> int:
    attrs = _array(k, array)
    for i, attr in enumerate(attrs):
        err = sysfs_create_file_ns(k, kobj, attr, 0)
        if err:
            for done in attrs[:i]:
                sysfs_remove_file_ns(k, kobj, done, 0)
            return err
    return 0


@kapi()
def sysfs_remove_files(k: "Kernel", kobj: int, array: int) -> None:
    for attr in _array(k, array):
        sysfs_remove_file_ns(k, kobj, attr, 0)


def _group(k: "Kernel", kobj: int, grp: int, update: bool) -> int:
    """internal_create_group(): the group's directory (if named) and its visible files."""
    where = sysfs_dir(k, kobj) if kobj else None
    if where is None or not grp:
        k.warn_at(WARN_CREATE_GROUP)
        return errret(Errno.EINVAL)
    mem = k.mem
    name_ptr = mem.u64(grp + AttributeGroup.name.offset)
    gname = mem.cstr(name_ptr, 256) if name_ptr else ""
    attrs = mem.u64(grp + AttributeGroup.attrs.offset)
    bins = mem.u64(grp + AttributeGroup.bin_attrs.offset)
    if not attrs and not bins:
        k.warn_at(WARN_NO_ATTRS,
                  f"sysfs: (bin_)attrs not set by subsystem for group: {kobject_name(k, kobj)}/{gname}\n")
        return errret(Errno.EINVAL)
    d = where[0]
    if gname:
        if gname in d.entries() and not update:
            k.printk.printk(f"\x014sysfs: cannot create duplicate filename '{where[1]}/{gname}'\n")
            k.dump_stack(k.sched.current, ("sysfs_warn_dup", "internal_create_group"))
            return errret(Errno.EEXIST)
        d.mkdir(gname)
    # create_files(): the text attributes, then the binary ones, each kind with its own
    # is_visible callback (a mode of 0 hides the file)
    for array, visible_member, create in ((attrs, AttributeGroup.is_visible, create_file),
                                          (bins, AttributeGroup.is_bin_visible, _create_bin)):
        visible = mem.u64(grp + visible_member.offset)
        for i, attr in enumerate(_array(k, array)):
            mode = None
            if visible:
                mode = k.call_fn(visible, (kobj, attr, i), "create_files") & 0xFFFF
                if not mode:
                    continue
            err = create(k, kobj, attr, mode, group=gname)
            if err:
                _remove_group(k, kobj, grp)
                return err
    return 0


def _remove_group(k: "Kernel", kobj: int, grp: int) -> None:
    where = sysfs_dir(k, kobj) if kobj else None
    if where is None or not grp:
        return
    mem = k.mem
    name_ptr = mem.u64(grp + AttributeGroup.name.offset)
    if name_ptr:
        where[0].remove(mem.cstr(name_ptr, 256))
        return
    for array in (mem.u64(grp + AttributeGroup.attrs.offset),
                  mem.u64(grp + AttributeGroup.bin_attrs.offset)):
        for attr in _array(k, array):
            where[0].remove(mem.cstr(mem.u64(attr + Attribute.name.offset), 256))


@kapi()
def sysfs_create_group(k: "Kernel", kobj: int, grp: int) -> int:
    return _group(k, kobj, grp, update=False)


@kapi()
def sysfs_update_group(k: "Kernel", kobj: int, grp: int) -> int:
    return _group(k, kobj, grp, update=True)


@kapi()
def sysfs_remove_group(k: "Kernel", kobj: int, grp: int) -> None:
    _remove_group(k, kobj, grp)


@kapi()
def sysfs_create_groups(k: "Kernel", kobj: int, groups: int) -> int:
    done: list[int] = []
    for grp in _array(k, groups):
        err = sysfs_create_group(k, kobj, grp)
        if err:
            for g in done:
                _remove_group(k, kobj, g)
            return err
        done.append(grp)
    return 0


@kapi()
def sysfs_remove_groups(k: "Kernel", kobj: int, groups: int) -> None:
    for grp in _array(k, groups):
        sysfs_remove_group(k, kobj, grp)


@kapi()
def sysfs_notify(k: "Kernel", kobj: int, dir_: int, attr: int) -> None:
    """No one polls a sysfs file here: nothing to wake."""
    return None


# --- links --------------------------------------------------------------------------------
def _link(k: "Kernel", kobj: int, target: int, name: int, warn: bool) -> int:
    """sysfs_do_create_link_sd(): NAME in KOBJ's directory (NULL: /sys) -> TARGET's, as a
    path relative to the link's directory."""
    where = sysfs_dir(k, kobj) if kobj else (k.vfs.root.mkdir("sys"), "")
    tgt = sysfs_dir(k, target) if target else None
    if where is None or tgt is None:
        return -Errno.ENOENT
    text = k.mem.cstr(name, 256) if name else ""
    if not text:
        return -Errno.EINVAL
    d, path = where
    if text in d.entries():
        if warn:
            k.printk.printk(f"\x014sysfs: cannot create duplicate filename '{path}/{text}'\n")
            k.dump_stack(k.sched.current, ("sysfs_warn_dup", "sysfs_do_create_link_sd"))
        return -Errno.EEXIST
    d.children[text] = Symlink(posixpath.relpath(tgt[1] or "/", path or "/"), size=0)
    return 0


@kapi()
def sysfs_create_link(k: "Kernel", kobj: int, target: int, name: int) -> int:
    return _link(k, kobj, target, name, warn=True)


@kapi()
def sysfs_create_link_nowarn(k: "Kernel", kobj: int, target: int, name: int) -> int:
    return _link(k, kobj, target, name, warn=False)


@kapi()
def sysfs_remove_link(k: "Kernel", kobj: int, name: int) -> None:
    where = sysfs_dir(k, kobj) if kobj else (k.vfs.root.mkdir("sys"), "")
    if where is not None and name:
        text = k.mem.cstr(name, 256)
        if isinstance(where[0].children.get(text), Symlink):
            where[0].remove(text)


# --- binary files --------------------------------------------------------------------------
def bin_file(k: "Kernel", kobj: int, battr: int, mode: int) -> Attr:
    """A binary file: read whole (at offset 0, up to its size or a page) and written at 0."""
    mem = k.mem
    size = mem.u64(battr + BinAttribute.size_.offset)
    read_fn = mem.u64(battr + BinAttribute.read.offset)
    write_fn = mem.u64(battr + BinAttribute.write.offset)

    def show() -> str:
        out: list[bytes] = []
        off = 0
        limit = size or 1 << 20
        buf = k.slab.kmalloc(PAGE_SIZE, zero=True)
        if not buf:
            raise KernelError(Errno.ENOMEM)
        try:
            while off < limit:
                count = min(PAGE_SIZE, limit - off)
                n = s64(k.call_fn(read_fn, (0, kobj, battr, buf, off, count), "sysfs_kf_bin_read"))
                if n < 0:
                    raise KernelError(-n if -n <= 4095 else Errno.EIO)
                if n == 0:
                    break
                out.append(mem.read(buf, min(n, count)))
                off += min(n, count)
        finally:
            k.slab.kfree(buf)
        return b"".join(out).decode("latin-1")

    def store(text: str) -> None:
        raw = text.encode("latin-1", "replace")[:PAGE_SIZE]
        if size:
            raw = raw[:size]
            if not raw:
                raise KernelError(Errno.EFBIG)
        buf = k.slab.kmalloc(max(len(raw), 1), zero=True)
        if not buf:
            raise KernelError(Errno.ENOMEM)
        try:
            mem.write(buf, raw)
            n = s64(k.call_fn(write_fn, (0, kobj, battr, buf, 0, len(raw)), "sysfs_kf_bin_write"))
        finally:
            k.slab.kfree(buf)
        if n < 0:
            raise KernelError(-n if -n <= 4095 else Errno.EIO)
        if n < len(raw):
            raise RawReturn(n)
    node = Attr(mode & 0o777, show if read_fn else None, store if write_fn else None)
    node.size = size  # type: ignore[attr-defined]
    return node


def _create_bin(k: "Kernel", kobj: int, battr: int, mode: int | None = None,
                group: str = "") -> int:
    place = _new_file_place(k, kobj, battr, mode, group)
    if isinstance(place, int):
        return place
    d, name, perms = place
    d.children[name] = bin_file(k, kobj, battr, perms)
    return 0


@kapi()
def sysfs_create_bin_file(k: "Kernel", kobj: int, attr: int) -> int:
    if not kobj or not attr or sysfs_dir(k, kobj) is None:
        k.warn_at(WARN_CREATE_BIN)
        return errret(Errno.EINVAL)
    return _create_bin(k, kobj, attr)


@kapi()
def sysfs_remove_bin_file(k: "Kernel", kobj: int, attr: int) -> None:
    sysfs_remove_file_ns(k, kobj, attr, 0)
