"""Guest ABI: the layouts of the C structures shared with module code (see kernel/ABI.md).

Every structure the C headers (kernel/include) and the Python kernel both touch is declared here
once, little-endian with natural x86-64 alignment; tests/test_abi_layout.py compiles the headers and
checks every offset and size against gcc.  Pointers are plain u64 guest addresses.

Every structure is a Struct (a layout, not a class: nothing here holds guest data) with ``size``
= its sizeof (so seq_file's own ``size`` field is spelled ``size_``); ``Struct.field.offset`` and
``.size`` give a field's place, ``_fields_`` the declaration as in ctypes.  Typical use:
``mem.set_u32(addr + Module.state.offset, ModuleState.GOING)``.
"""

from __future__ import annotations

from enum import IntEnum, _simple_enum
from typing import Any

from kernel.profile import GFP_4_19

__all__ = [
    # constants
    "HZ", "VERMAGIC", "UTS_RELEASE", "MODULE_NAME_LEN", "TASK_COMM_LEN", "KSYM_NAME_LEN",
    "KLP_UNDEFINED", "KLP_UNPATCHED", "KLP_PATCHED", "ModuleState",
    "MODULE_STATE_LIVE", "MODULE_STATE_COMING", "MODULE_STATE_GOING", "MODULE_STATE_UNFORMED",
    "INITIAL_JIFFIES", "MAX_ERRNO", "PAGE_SIZE", "PARAM_TYPES",
    "KERNEL_PARAM_OPS_FL_NOARG", "KERNEL_PARAM_FL_UNSAFE", "KERNEL_PARAM_FL_HWPARAM",
    "TASK_RUNNING", "TASK_INTERRUPTIBLE", "TASK_UNINTERRUPTIBLE", "TASK_DEAD", "TASK_NEW",
    "PF_IDLE", "PF_EXITING", "PF_WQ_WORKER", "PF_KTHREAD",
    "TIMER_DEFERRABLE", "TIMER_PINNED", "TIMER_IRQSAFE",
    "GFP_KERNEL", "GFP_ATOMIC", "GFP_NOWAIT", "GFP_ZERO",
    "SHF_RELA_LIVEPATCH", "SHN_LIVEPATCH",
    # structures
    "ListHead", "HlistNode", "Module", "KernelSymbol", "KernelParamOps", "KernelParam",
    "KparamString", "KparamArray", "PARAM_ARRAY_OPS",
    "TaskStruct", "WorkStruct", "TimerList", "DelayedWork", "TaskletStruct", "SeqFile", "SeqOperations", "FileOperations", "Inode", "File", "Qstr", "Dentry", "Path", "Timespec64", "Kobject", "Attribute", "AttributeGroup", "DeviceAttribute", "Cdev", "Class", "DeviceType", "Device", "MiscDevice", "DeviceDriver", "PlatformDriver", "PlatformDevice", "PlatformDevice54", "DeviceDriver54", "PlatformDriver54", "PlatformDeviceId", "Resource", "FOPS_MEMBERS", "KlpFunc", "KlpCallbacks",
    "KlpObject", "KlpPatch", "KlpFunc54", "KlpObject54", "KlpPatch54", "Spinlock", "Mutex", "RwSemaphore", "BlockingNotifierHead", "WaitQueueHead", "Completion",
    "SysInfo", "Page", "KlpshProcEntry", "NewUtsname", "UtsNamespace",
    "PtRegs", "ArchSpecificInsn", "Kprobe", "Kretprobe", "KretprobeInstance",
    "STRUCTS", "STRUCTS_5_4",
]

# ---------------------------------------------------------------------------------------------
# Constants (values as in Linux 4.19 and kernel/include)
# ---------------------------------------------------------------------------------------------

HZ = 1000
UTS_RELEASE = "4.19.0-klpsh"                    # of the default kernel: kernel/profile.py has each
VERMAGIC = "4.19.0-klpsh SMP mod_unload "      # linux/vermagic.h VERMAGIC_STRING
MODULE_NAME_LEN = 64 - 8                        # 56: char module.name[] incl. the NUL
TASK_COMM_LEN = 16
KSYM_NAME_LEN = 128
MAX_ERRNO = 4095                                # linux/err.h: ERR_PTR range
PAGE_SIZE = 4096
INITIAL_JIFFIES = (-300 * HZ) & 0xFFFFFFFF      # boot value of jiffies (0xfffb6c20)

# task_struct.patch_state
KLP_UNDEFINED = -1
KLP_UNPATCHED = 0
KLP_PATCHED = 1


# _simple_enum: the IntEnum the class statement `class ModuleState(IntEnum)` makes, at about half
# its cost (tests/test_errno.py), as kernel.errno's Errno
@_simple_enum(IntEnum)
class ModuleState:
    """enum module_state (struct module.state)."""

    LIVE = 0        # normal state
    COMING = 1      # fully formed, running module_init
    GOING = 2       # going away
    UNFORMED = 3    # still setting it up


# ... whose members are reached through an enum.property (3.11's _simple_enum), a Python
# descriptor call at every `ModuleState.LIVE` (~2.7k instructions; a module load and unload make
# ~15): held as plain class attributes, as the class statement holds them
for _name, _member in ModuleState._member_map_.items():
    type.__setattr__(ModuleState, _name, _member)
del _name, _member

MODULE_STATE_LIVE = ModuleState.LIVE
MODULE_STATE_COMING = ModuleState.COMING
MODULE_STATE_GOING = ModuleState.GOING
MODULE_STATE_UNFORMED = ModuleState.UNFORMED

# module parameter types: kernel_param.ops points at the vmlinux object "param_ops_<type>"
PARAM_TYPES = ("byte", "short", "ushort", "int", "uint", "long", "ulong", "ullong", "bool",
               "invbool", "bint", "charp", "string")
PARAM_ARRAY_OPS = "param_array_ops"     # module_param_array's kernel_param.ops
KERNEL_PARAM_OPS_FL_NOARG = 1 << 0     # kernel_param_ops.flags (set on param_ops_bool)
KERNEL_PARAM_FL_UNSAFE = 1 << 0        # kernel_param.flags
KERNEL_PARAM_FL_HWPARAM = 1 << 1

# task_struct.state / .flags
# mm_segment_t: task_struct.thread.addr_limit
KERNEL_DS = (1 << 64) - 1
USER_DS = (1 << 47) - 4096                      # TASK_SIZE_MAX
TASK_RUNNING = 0x0000
TASK_INTERRUPTIBLE = 0x0001
TASK_UNINTERRUPTIBLE = 0x0002
TASK_DEAD = 0x0080
TASK_NEW = 0x0800
PF_IDLE = 0x00000002
PF_EXITING = 0x00000004
PF_WQ_WORKER = 0x00000020
PF_KTHREAD = 0x00200000

# timer_list.flags
TIMER_DEFERRABLE = 0x00080000
TIMER_PINNED = 0x00100000
TIMER_IRQSAFE = 0x00200000

# gfp_t
GFP_ZERO = GFP_4_19.zero                        # 0x8000 (5.4's: kernel/profile.py GFP_5_4)
GFP_KERNEL = GFP_4_19.kernel                    # 0x6000c0
GFP_ATOMIC = GFP_4_19.atomic_flags              # 0x480020
GFP_NOWAIT = GFP_4_19.nowait                    # 0x400000

# livepatch ELF extensions (uapi linux/elf.h)
SHF_RELA_LIVEPATCH = 0x00100000
SHN_LIVEPATCH = 0xFF20

# ---------------------------------------------------------------------------------------------
# Layout: how gcc places a struct's members on x86-64
# ---------------------------------------------------------------------------------------------
# Structures are instances of Struct, not ctypes classes: the Python side only needs offsets and
# sizes, and making ~80 ctypes Structure classes cost ~15 M instructions at every start.


class CType:
    """A C type as the layout sees it: ``size`` and ``_align_`` in bytes; ``T * N`` is T[N]."""

    __slots__ = ()
    size: int
    _align_: int

    def __mul__(self, count: int) -> Array:
        return Array(self, count)


class Scalar(CType):
    """An integer, bool or pointer: aligned to its size (x86-64 natural alignment)."""

    __slots__ = ("name", "size", "_align_")

    def __init__(self, name: str, size: int) -> None:
        self.name = name
        self.size = self._align_ = size

    def __repr__(self) -> str:
        return self.name


class Array(CType):
    """COUNT elements of ELEM, aligned as one."""

    __slots__ = ("elem", "count", "size", "_align_")

    def __init__(self, elem: CType, count: int) -> None:
        self.elem = elem
        self.count = count
        self.size = elem.size * count
        self._align_ = elem._align_

    def __repr__(self) -> str:
        return f"{self.elem!r} * {self.count}"


class Field:
    """A member of a Struct: its offset and size in bytes (as a ctypes Structure's field)."""

    __slots__ = ("name", "type", "offset", "size")

    def __init__(self, name: str, type_: CType, offset: int) -> None:
        self.name = name
        self.type = type_
        self.offset = offset
        self.size = type_.size

    def __repr__(self) -> str:
        return f"<Field {self.name} type={self.type!r}, offset={self.offset}, size={self.size}>"


class Struct(CType):
    """A struct's layout: ``S.member`` is its Field, ``S.size`` its sizeof (tail padding
    included), ``S._fields_`` the (name, type) pairs it is declared with, in order.  Declared
    with struct(), which lays it out at its first use."""

    __name__: str
    _fields_: list[tuple[str, CType]]

    def __repr__(self) -> str:
        return f"<Struct {self.__name__}, size={self.size}>"


class _LazyStruct(Struct):
    """A Struct not laid out yet.  Its first look-up of a member or the size works the offsets
    out and makes it a plain Struct, whose look-ups Python can specialise (no __getattr__): a
    per-process cache in the object, as a run uses few of the ~80 structures and every start
    would pay for all of them."""

    def __init__(self, name: str, fields: list[tuple[str, CType]]) -> None:
        self.__name__ = name
        self._fields_ = fields

    def __getattr__(self, attr: str) -> Any:
        members = self.__dict__
        offset = 0
        align = 1
        for fname, ftype in self._fields_:
            if fname in members or fname in ("size", "_align_"):
                raise ValueError(f"{self.__name__}.{fname}: the name is taken")
            falign = ftype._align_
            offset = (offset + falign - 1) // falign * falign
            members[fname] = Field(fname, ftype, offset)
            offset += ftype.size
            if falign > align:
                align = falign
        self._align_ = align
        self.size = (offset + align - 1) // align * align
        self.__class__ = Struct
        return getattr(self, attr)


struct = _LazyStruct    # declares a Struct: ``Name = struct("Name", [(member, type), ...])``


_u8 = Scalar("u8", 1)
_s8 = Scalar("s8", 1)
_char = Scalar("char", 1)
_bool = Scalar("bool", 1)
_u16 = Scalar("u16", 2)
_s16 = Scalar("s16", 2)
_int = Scalar("int", 4)
_uint = Scalar("unsigned int", 4)
_long = Scalar("long", 8)
_ulong = Scalar("unsigned long", 8)
_u64 = Scalar("u64", 8)
_ptr = Scalar("pointer", 8)     # guest pointer


# ---------------------------------------------------------------------------------------------
# Structures
# ---------------------------------------------------------------------------------------------

# struct list_head.
ListHead = struct("ListHead", [("next", _ptr), ("prev", _ptr)])


# struct hlist_node.
HlistNode = struct("HlistNode", [("next", _ptr), ("pprev", _ptr)])


# struct module (.gnu.linkonce.this_module): name, init and exit come from the .ko.
Module = struct("Module", [
    ("state", _int),                        # ModuleState
    ("list", ListHead),
    ("name", _char * MODULE_NAME_LEN),
    ("init", _ptr),                         # int (*)(void)
    ("exit", _ptr),                         # void (*)(void)
    ("klp", _bool),
    ("klp_alive", _bool),
    ("mkobj", _u64 * 12),                   # struct module_kobject (ModuleKobject)
])


# struct kernel_symbol (__ksymtab, __ksymtab_gpl entries).
KernelSymbol = struct("KernelSymbol", [("value", _ulong), ("name", _ptr)])


# struct kernel_param_ops (the vmlinux param_ops_<type> objects; set/get/free are NULL).
KernelParamOps = struct("KernelParamOps", [
    ("flags", _uint), ("set", _ptr), ("get", _ptr), ("free", _ptr)
])


# struct kernel_param (__param entries).
KernelParam = struct("KernelParam", [
    ("name", _ptr),
    ("mod", _ptr),
    ("ops", _ptr),                          # -> param_ops_<type>
    ("perm", _u16),                         # sysfs mode, e.g. 0o644
    ("level", _s8),                         # -1 for modules
    ("flags", _u8),
    ("arg", _ptr),                          # -> the variable
])


# struct sigpending (sigset_t signal: one unsigned long on x86-64, bit SIG-1).
SigPending = struct("SigPending", [("list", ListHead), ("signal", _ulong)])


# struct task_struct (current = get_current()).
TaskStruct = struct("TaskStruct", [
    ("state", _long),
    ("stack", _ptr),
    ("patch_state", _int),                  # KLP_*
    ("pid", _int),
    ("tgid", _int),
    ("comm", _char * TASK_COMM_LEN),
    ("flags", _uint),                       # PF_*
    ("tasks", ListHead),                    # on init_task.tasks (for_each_process)
    ("real_parent", _ptr),
    ("parent", _ptr),
    ("mm", _ptr),                           # NULL for kernel threads
    ("active_mm", _ptr),
    ("prio", _int),
    ("static_prio", _int),
    ("normal_prio", _int),
    ("rt_priority", _uint),
    ("exit_code", _int),
    ("exit_signal", _int),
    ("real_cred", _ptr),                    # init_cred: everyone is root
    ("cred", _ptr),
    ("nvcsw", _ulong),                      # voluntary context switches (sleeps)
    ("nivcsw", _ulong),                     # involuntary ones (preemptions)
    ("start_time", _u64),                   # monotonic ns at fork
    ("real_start_time", _u64),              # boot-based ns at fork
    ("min_flt", _ulong),                    # page faults without / with I/O
    ("maj_flt", _ulong),
    ("children", ListHead),                 # its children, linked by their sibling
    ("sibling", ListHead),                  # on real_parent->children
    ("group_leader", _ptr),                 # itself: every task is its own thread group
    ("signal", _ptr),                       # its struct signal_struct
    ("sighand", _ptr),                      # its struct sighand_struct
    ("blocked", _ulong),                    # sigset_t
    ("real_blocked", _ulong),
    ("saved_sigmask", _ulong),
    ("pending", SigPending),
    ("sas_ss_sp", _ulong),
    ("sas_ss_size", _ulong),
    ("sas_ss_flags", _uint),
    ("thread", _ulong),                     # struct thread_struct: its addr_limit.seg
])


# struct work_struct (initialisers: data 0, entry self-linked, func).
WorkStruct = struct("WorkStruct", [("data", _long), ("entry", ListHead), ("func", _ptr)])


# struct timer_list.
TimerList = struct("TimerList", [
    ("entry", HlistNode), ("expires", _ulong), ("function", _ptr), ("flags", _uint)
])


# struct delayed_work (timer.function is NULL: the kernel fires delayed work itself).
DelayedWork = struct("DelayedWork", [
    ("work", WorkStruct), ("timer", TimerList), ("wq", _ptr), ("cpu", _int)
])


# struct tasklet_struct (linux/interrupt.h, 4.19).
TaskletStruct = struct("TaskletStruct", [
    ("next", _ptr), ("state", _ulong), ("count", _int), ("func", _ptr), ("data", _ulong)
])


# spinlock_t.
Spinlock = struct("Spinlock", [("lock", _uint)])


# struct mutex (owner: the owning task_struct address, 0 when unlocked).
Mutex = struct("Mutex", [("owner", _long), ("wait_lock", _uint), ("wait_list", ListHead)])


# struct seq_file (4.19 layout).
SeqFile = struct("SeqFile", [
    ("buf", _ptr),
    ("size_", _ulong),                      # C name "size" (X.size is sizeof, see below)
    ("from_", _ulong),                      # C name "from" (a Python keyword)
    ("count", _ulong),
    ("pad_until", _ulong),
    ("index", _long),
    ("read_pos", _long),
    ("version", _ulong),
    ("lock", Mutex),
    ("op", _ptr),                           # const struct seq_operations *
    ("poll_event", _int),
    ("file", _ptr),
    ("private", _ptr),
])


# struct seq_operations.
SeqOperations = struct("SeqOperations", [
    ("start", _ptr), ("stop", _ptr), ("next", _ptr), ("show", _ptr)
])


FOPS_MEMBERS = ("owner", "llseek", "read", "write", "read_iter", "write_iter", "iterate",
                "iterate_shared", "poll", "unlocked_ioctl", "compat_ioctl", "mmap",
                "mmap_supported_flags", "open", "flush", "release", "fsync", "fasync", "lock",
                "sendpage", "get_unmapped_area", "check_flags", "flock", "splice_write",
                "splice_read", "setlease", "fallocate", "show_fdinfo", "copy_file_range",
                "clone_file_range", "dedupe_file_range", "fadvise")


# struct file_operations: the 4.19 members in the 4.19 order (all pointers but one).
FileOperations = struct("FileOperations", [
    (name, _ulong if name == "mmap_supported_flags" else _ptr) for name in FOPS_MEMBERS
])


# struct qstr: a name with its hash and length.
Qstr = struct("Qstr", [("hash", _uint), ("len", _uint), ("name", _ptr)])


# struct dentry (4.19 layout; the VFS fills d_parent, d_name, d_inode, d_iname).
Dentry = struct("Dentry", [
    ("d_flags", _uint), ("d_seq", _uint), ("d_hash", HlistNode), ("d_parent", _ptr),
    ("d_name", Qstr), ("d_inode", _ptr), ("d_iname", _u8 * 32), ("d_lockref", _ulong),
    ("d_op", _ptr), ("d_sb", _ptr), ("d_time", _ulong), ("d_fsdata", _ptr),
    ("d_lru", ListHead), ("d_child", ListHead), ("d_subdirs", ListHead),
    ("d_u", _u8 * 16)
])


# struct path.
Path = struct("Path", [("mnt", _ptr), ("dentry", _ptr)])


# struct timespec64.
Timespec64 = struct("Timespec64", [("tv_sec", _long), ("tv_nsec", _long)])


# struct rw_semaphore (4.19 x86-64: count, wait_list, wait_lock, osq, owner).
RwSemaphore = struct("RwSemaphore", [
    ("count", _long), ("wait_list", ListHead), ("wait_lock", Spinlock),
    ("osq", _int), ("owner", _ptr)
])


# struct blocking_notifier_head (head: the first notifier_block, NULL when empty).
BlockingNotifierHead = struct("BlockingNotifierHead", [("rwsem", RwSemaphore), ("head", _ptr)])


# struct inode, 4.19 layout (x86-64 with the config fs.h names); i_data is opaque.
Inode = struct("Inode", [
    ("i_mode", _u16), ("i_opflags", _u16), ("i_uid", _uint), ("i_gid", _uint),
    ("i_flags", _uint), ("i_acl", _ptr), ("i_default_acl", _ptr), ("i_op", _ptr),
    ("i_sb", _ptr), ("i_mapping", _ptr), ("i_security", _ptr), ("i_ino", _ulong),
    ("i_nlink", _uint), ("i_rdev", _uint), ("i_size", _long), ("i_atime", Timespec64),
    ("i_mtime", Timespec64), ("i_ctime", Timespec64), ("i_lock", Spinlock),
    ("i_bytes", _u16), ("i_blkbits", _u8), ("i_write_hint", _u8), ("i_blocks", _ulong),
    ("i_state", _ulong), ("i_rwsem", RwSemaphore), ("dirtied_when", _ulong),
    ("dirtied_time_when", _ulong), ("i_hash", HlistNode), ("i_io_list", ListHead),
    ("i_wb", _ptr), ("i_wb_frn_winner", _int), ("i_wb_frn_avg_time", _u16),
    ("i_wb_frn_history", _u16), ("i_lru", ListHead), ("i_sb_list", ListHead),
    ("i_wb_list", ListHead), ("i_rcu", _u8 * 16),
    ("i_version", _long), ("i_count", _int), ("i_dio_count", _int), ("i_writecount", _int),
    ("i_readcount", _int), ("i_fop", _ptr), ("i_flctx", _ptr), ("i_data", _u8 * 168),
    ("i_devices", ListHead), ("i_cdev", _ptr), ("i_generation", _uint),
    ("i_fsnotify_mask", _uint), ("i_fsnotify_marks", _ptr), ("i_private", _ptr),
])


# struct file, 4.19 layout (x86-64, CONFIG_SECURITY and CONFIG_EPOLL).
File = struct("File", [
    ("f_u", _u8 * 16), ("f_path", Path), ("f_inode", _ptr), ("f_op", _ptr),
    ("f_lock", Spinlock), ("f_write_hint", _int), ("f_count", _long), ("f_flags", _uint),
    ("f_mode", _uint), ("f_pos_lock", Mutex), ("f_pos", _long), ("f_owner", _u8 * 32),
    ("f_cred", _ptr), ("f_ra", _u8 * 32), ("f_version", _ulong), ("f_security", _ptr),
    ("private_data", _ptr), ("f_ep_links", ListHead), ("f_tfile_llink", ListHead),
    ("f_mapping", _ptr), ("f_wb_err", _uint),
])


# struct kobject (4.19; the state bits are one unsigned int).
Kobject = struct("Kobject", [("name", _ptr), ("entry", ListHead), ("parent", _ptr), ("kset", _ptr),
                             ("ktype", _ptr), ("sd", _ptr), ("kref", _uint), ("_state", _uint)])


# struct attribute (4.19, no lockdep key).
Attribute = struct("Attribute", [("name", _ptr), ("mode", _u16)])


# struct attribute_group.
AttributeGroup = struct("AttributeGroup", [
    ("name", _ptr), ("is_visible", _ptr), ("is_bin_visible", _ptr), ("attrs", _ptr),
    ("bin_attrs", _ptr)
])


# struct module_kobject: /sys/module/NAME's kobject and its module.
ModuleKobject = struct("ModuleKobject", [
    ("kobj", Kobject), ("mod", _ptr), ("drivers_dir", _ptr), ("mp", _ptr),
    ("kobj_completion", _ptr)
])


# struct module_attribute.
ModuleAttribute = struct("ModuleAttribute", [
    ("attr", Attribute), ("show", _ptr), ("store", _ptr), ("setup", _ptr),
    ("test", _ptr), ("free", _ptr)
])


# struct kobj_type (4.19).
KobjType = struct("KobjType", [
    ("release", _ptr), ("sysfs_ops", _ptr), ("default_attrs", _ptr),
    ("child_ns_type", _ptr), ("namespace", _ptr), ("get_ownership", _ptr)
])


# struct sysfs_ops: a ktype's show and store.
SysfsOps = struct("SysfsOps", [("show", _ptr), ("store", _ptr)])


# struct kset (4.19, no __randomize_layout).
Kset = struct("Kset", [("list", ListHead), ("list_lock", Spinlock), ("kobj", Kobject),
                       ("uevent_ops", _ptr)])


# struct bin_attribute (4.19).
BinAttribute = struct("BinAttribute", [
    ("attr", Attribute), ("size_", _ulong), ("private", _ptr), ("read", _ptr),
    ("write", _ptr), ("mmap", _ptr)
])


# struct device_attribute (struct class_attribute has the same layout).
DeviceAttribute = struct("DeviceAttribute", [("attr", Attribute), ("show", _ptr), ("store", _ptr)])


# struct debugfs_blob_wrapper: the bytes a blob file reads.
DebugfsBlobWrapper = struct("DebugfsBlobWrapper", [("data", _ptr), ("size_", _ulong)])


# struct cdev (4.19).
Cdev = struct("Cdev", [("kobj", Kobject), ("owner", _ptr), ("ops", _ptr), ("list", ListHead),
                       ("dev", _uint), ("count", _uint)])


# struct class (4.19).
Class = struct("Class", [
    ("name", _ptr), ("owner", _ptr), ("class_groups", _ptr), ("dev_groups", _ptr),
    ("dev_kobj", _ptr), ("dev_uevent", _ptr), ("devnode", _ptr),
    ("class_release", _ptr), ("dev_release", _ptr), ("shutdown_pre", _ptr),
    ("ns_type", _ptr), ("namespace", _ptr), ("get_ownership", _ptr), ("pm", _ptr),
    ("p", _ptr)
])


# struct device_type (4.19).
DeviceType = struct("DeviceType", [
    ("name", _ptr), ("groups", _ptr), ("uevent", _ptr), ("devnode", _ptr),
    ("release", _ptr), ("pm", _ptr)
])


# struct device: the members drivers use, in 4.19's order.
Device = struct("Device", [
    ("parent", _ptr), ("p", _ptr), ("kobj", Kobject), ("init_name", _ptr),
    ("type", _ptr), ("mutex", Mutex), ("bus", _ptr), ("driver", _ptr),
    ("platform_data", _ptr), ("driver_data", _ptr), ("devt", _uint), ("id", _uint),
    ("devres_lock", Spinlock), ("devres_head", ListHead), ("knode_class", _u8 * 32),
    ("class_", _ptr), ("groups", _ptr), ("release", _ptr), ("_offline", _u8)
])


# struct device_driver (4.19).
DeviceDriver = struct("DeviceDriver", [
    ("name", _ptr), ("bus", _ptr), ("owner", _ptr), ("mod_name", _ptr),
    ("suppress_bind_attrs", _u8), ("probe_type", _int), ("of_match_table", _ptr),
    ("acpi_match_table", _ptr), ("probe", _ptr), ("remove", _ptr), ("shutdown", _ptr),
    ("suspend", _ptr), ("resume", _ptr), ("groups", _ptr), ("pm", _ptr),
    ("coredump", _ptr), ("p", _ptr)
])


# struct platform_driver (4.19 and 5.4).
PlatformDriver = struct("PlatformDriver", [
    ("probe", _ptr), ("remove", _ptr), ("shutdown", _ptr), ("suspend", _ptr),
    ("resume", _ptr), ("driver", DeviceDriver), ("id_table", _ptr),
    ("prevent_deferred_probe", _u8)
])


# struct device_driver of 5.4: dev_groups (made on each bound device) after groups.
DeviceDriver54 = struct("DeviceDriver54", [
    ("name", _ptr), ("bus", _ptr), ("owner", _ptr), ("mod_name", _ptr),
    ("suppress_bind_attrs", _u8), ("probe_type", _int), ("of_match_table", _ptr),
    ("acpi_match_table", _ptr), ("probe", _ptr), ("remove", _ptr), ("shutdown", _ptr),
    ("suspend", _ptr), ("resume", _ptr), ("groups", _ptr), ("dev_groups", _ptr),
    ("pm", _ptr), ("coredump", _ptr), ("p", _ptr)
])


# struct platform_driver of 5.4 (its struct device_driver is 8 bytes longer).
PlatformDriver54 = struct("PlatformDriver54", [
    ("probe", _ptr), ("remove", _ptr), ("shutdown", _ptr), ("suspend", _ptr),
    ("resume", _ptr), ("driver", DeviceDriver54), ("id_table", _ptr),
    ("prevent_deferred_probe", _u8)
])


# struct platform_device (4.19; its struct device is klpsh's).
PlatformDevice = struct("PlatformDevice", [
    ("name", _ptr), ("id", _int), ("id_auto", _u8), ("dev", Device),
    ("num_resources", _uint), ("resource", _ptr), ("id_entry", _ptr),
    ("driver_override", _ptr), ("mfd_cell", _ptr)
])


# struct platform_device of 5.4: platform_dma_mask after the device.
PlatformDevice54 = struct("PlatformDevice54", [
    ("name", _ptr), ("id", _int), ("id_auto", _u8), ("dev", Device),
    ("platform_dma_mask", _ulong), ("num_resources", _uint), ("resource", _ptr),
    ("id_entry", _ptr), ("driver_override", _ptr), ("mfd_cell", _ptr)
])


# struct platform_device_id (linux/mod_devicetable.h).
PlatformDeviceId = struct("PlatformDeviceId", [
    ("name", _char * 20), ("driver_data", _ulong)
])


# struct resource (linux/ioport.h).
Resource = struct("Resource", [
    ("start", _ulong), ("end", _ulong), ("name", _ptr), ("flags", _ulong),
    ("desc", _ulong), ("parent", _ptr), ("sibling", _ptr), ("child", _ptr)
])


# struct miscdevice (4.19).
MiscDevice = struct("MiscDevice", [
    ("minor", _int), ("name", _ptr), ("fops", _ptr), ("list", ListHead),
    ("parent", _ptr), ("this_device", _ptr), ("groups", _ptr), ("nodename", _ptr),
    ("mode", _u16)
])


# struct klp_func; arrays end with an all-zero entry.
KlpFunc = struct("KlpFunc", [
    ("old_name", _ptr),
    ("new_func", _ptr),
    ("old_sympos", _ulong),
    ("old_addr", _ulong),
    ("stack_node", ListHead),
    ("old_size", _ulong),
    ("new_size", _ulong),
    ("patched", _bool),
    ("transition", _bool),
])


# struct klp_callbacks.
KlpCallbacks = struct("KlpCallbacks", [
    ("pre_patch", _ptr),                    # int (*)(struct klp_object *)
    ("post_patch", _ptr),
    ("pre_unpatch", _ptr),
    ("post_unpatch", _ptr),
    ("post_unpatch_enabled", _bool),
])


# struct klp_object (name NULL = vmlinux); arrays end with name == funcs == NULL.
KlpObject = struct("KlpObject", [
    ("name", _ptr),
    ("funcs", _ptr),
    ("callbacks", KlpCallbacks),
    ("mod", _ptr),
    ("patched", _bool),
])


# struct klp_patch.
KlpPatch = struct("KlpPatch", [
    ("mod", _ptr), ("objs", _ptr), ("list", ListHead), ("enabled", _bool)
])


# struct klp_func of the 5.4 headers: `node` on its object's func_list (klp_for_each_func),
# `nop` for the functions a cumulative patch adds.
KlpFunc54 = struct("KlpFunc54", [
    ("old_name", _ptr),
    ("new_func", _ptr),
    ("old_sympos", _ulong),
    ("old_addr", _ulong),
    ("node", ListHead),
    ("stack_node", ListHead),
    ("old_size", _ulong),
    ("new_size", _ulong),
    ("nop", _bool),
    ("patched", _bool),
    ("transition", _bool),
])


# struct klp_object of the 5.4 headers: `func_list` of its functions, `node` on the patch's
# obj_list (klp_for_each_object), `dynamic` for the objects a cumulative patch adds.
KlpObject54 = struct("KlpObject54", [
    ("name", _ptr),
    ("funcs", _ptr),
    ("callbacks", KlpCallbacks),
    ("func_list", ListHead),
    ("node", ListHead),
    ("mod", _ptr),
    ("dynamic", _bool),
    ("patched", _bool),
])


# struct klp_patch of the 5.4 headers (kernel/include-5.4): .replace after objs, the
# obj_list that klp_for_each_object() walks (static and dynamic objects).
KlpPatch54 = struct("KlpPatch54", [
    ("mod", _ptr), ("objs", _ptr), ("replace", _bool), ("list", ListHead),
    ("obj_list", ListHead), ("enabled", _bool), ("forced", _bool)
])


# struct wait_queue_head (wait_queue_head_t); its sleepers are kept host-side.
WaitQueueHead = struct("WaitQueueHead", [("lock", Spinlock), ("head", ListHead)])


# struct completion (4.19: the count, then a wait queue head).
Completion = struct("Completion", [("done", _uint), ("wait", WaitQueueHead)])


# struct signal_struct: the leading members of 4.19's (one thread per process here).
SignalStruct = struct("SignalStruct", [
    ("sigcnt", _int), ("live", _int), ("nr_threads", _int), ("thread_head", ListHead),
    ("wait_chldexit", WaitQueueHead), ("curr_target", _ptr),
    ("shared_pending", SigPending), ("multiprocess", _ptr), ("group_exit_code", _int),
    ("notify_count", _int), ("group_exit_task", _ptr), ("group_stop_count", _int),
    ("flags", _uint), ("tty", _ptr)
])


# struct ktermios (4.19 x86-64, 44 bytes).
Ktermios = struct("Ktermios", [
    ("c_iflag", _uint), ("c_oflag", _uint), ("c_cflag", _uint), ("c_lflag", _uint),
    ("c_line", _u8), ("c_cc", _u8 * 19), ("c_ispeed", _uint), ("c_ospeed", _uint)
])


# struct tty_operations: 4.19's leading methods, up to write_room.
TtyOperations = struct("TtyOperations", [
    (m, _ptr) for m in ("lookup", "install", "remove", "open", "close", "shutdown", "cleanup",
                        "write", "put_char", "flush_chars", "write_room")
])


# struct tty_driver (4.19's members, all of them).
TtyDriver = struct("TtyDriver", [
    ("magic", _int), ("kref", _uint), ("cdevs", _ptr), ("owner", _ptr),
    ("driver_name", _ptr), ("name", _ptr), ("name_base", _int), ("major", _int),
    ("minor_start", _int), ("num", _uint), ("type", _s16),
    ("subtype", _s16), ("init_termios", Ktermios), ("flags", _ulong),
    ("proc_entry", _ptr), ("other", _ptr), ("ttys", _ptr), ("ports", _ptr),
    ("termios", _ptr), ("driver_state", _ptr), ("ops", _ptr),
    ("tty_drivers", ListHead)
])


# struct tty_struct: 4.19's leading members (magic, kref, dev, driver, ops, index).
TtyStruct = struct("TtyStruct", [
    ("magic", _int), ("kref", _uint), ("dev", _ptr), ("driver", _ptr), ("ops", _ptr),
    ("index", _int)
])


# struct k_sigaction (its struct sigaction's members, in order).
KSigaction = struct("KSigaction", [
    ("sa_handler", _ptr), ("sa_flags", _ulong), ("sa_restorer", _ptr), ("sa_mask", _ulong)
])


# struct sighand_struct: a handler per signal (SIG_DFL 0, SIG_IGN 1).
SighandStruct = struct("SighandStruct", [
    ("count", _int), ("action", KSigaction * 64), ("siglock", Spinlock),
    ("signalfd_wqh", WaitQueueHead)
])


# siginfo_t (128 bytes): signo, errno, code, then the _sifields union (_kill's pid, uid).
Siginfo = struct("Siginfo", [
    ("si_signo", _int), ("si_errno", _int), ("si_code", _int), ("_pad0", _int),
    ("si_pid", _int), ("si_uid", _uint), ("si_value", _ulong), ("_rest", _u8 * 96)
])


# struct sysinfo (si_meminfo() fills it; memory sizes are in mem_unit bytes).
SysInfo = struct("SysInfo", [
    ("uptime", _long),
    ("loads", _ulong * 3),
    ("totalram", _ulong),
    ("freeram", _ulong),
    ("sharedram", _ulong),
    ("bufferram", _ulong),
    ("totalswap", _ulong),
    ("freeswap", _ulong),
    ("procs", _u16),
    ("pad", _u16),
    ("totalhigh", _ulong),
    ("freehigh", _ulong),
    ("mem_unit", _uint),
])


# struct page (4.19 x86-64, 64 bytes): the members of its first union's page-cache view;
# kernel/api/page.py keeps one per heap frame.
Page = struct("Page", [
    ("flags", _ulong),
    ("lru", ListHead),
    ("mapping", _ptr),
    ("index", _ulong),
    ("private", _ulong),
    ("_mapcount", _int),
    ("_refcount", _int),
    ("mem_cgroup", _ptr),
])


# struct new_utsname: six NUL-terminated strings of up to 64 characters.
NewUtsname = struct("NewUtsname", [
    (name, _char * 65) for name in
    ("sysname", "nodename", "release", "version", "machine", "domainname")
])


# struct uts_namespace (vmlinux's init_uts_ns): the kref, then the names.
UtsNamespace = struct("UtsNamespace", [
    ("kref", _uint),
    ("name", NewUtsname),
    ("user_ns", _ptr),
    ("ucounts", _ptr),
    ("ns", _char * 24),
])


# struct kparam_string (module_param_string): the buffer and its size.
KparamString = struct("KparamString", [("maxlen", _uint), ("string", _ptr)])


# struct kparam_array (module_param_array): element ops and where the count goes.
KparamArray = struct("KparamArray", [
    ("max", _uint), ("elemsize", _uint), ("num", _ptr), ("ops", _ptr), ("elem", _ptr)
])


# struct klpsh_proc_entry: vmlinux table klpsh_proc_entries[] of C /proc files, NULL-ended.
KlpshProcEntry = struct("KlpshProcEntry", [
    ("path", _ptr), ("show", _ptr)
])  # int (*show)(struct seq_file *, void *)


# struct pt_regs (x86-64): what a kprobe handler is given.
PtRegs = struct("PtRegs", [
    (n, _ulong) for n in ("r15", "r14", "r13", "r12", "bp", "bx", "r11", "r10", "r9", "r8",
                          "ax", "cx", "dx", "si", "di", "orig_ax", "ip", "cs", "flags", "sp", "ss")
])


# struct arch_specific_insn (x86).
ArchSpecificInsn = struct("ArchSpecificInsn", [
    ("insn", _ptr), ("boostable", _bool), ("if_modifier", _bool)
])


# struct kprobe (linux/kprobes.h, 4.19).
Kprobe = struct("Kprobe", [
    ("hlist", HlistNode), ("list", ListHead), ("nmissed", _ulong), ("addr", _ptr),
    ("symbol_name", _ptr), ("offset", _uint), ("pre_handler", _ptr),
    ("post_handler", _ptr), ("fault_handler", _ptr), ("opcode", _u8),
    ("ainsn", ArchSpecificInsn), ("flags", _uint)
])


# struct kretprobe.
Kretprobe = struct("Kretprobe", [
    ("kp", Kprobe), ("handler", _ptr), ("entry_handler", _ptr), ("maxactive", _int),
    ("nmissed", _int), ("data_size", _ulong), ("free_instances", _ptr),
    ("lock", _uint)
])


# struct kretprobe_instance; data[] follows it.
KretprobeInstance = struct("KretprobeInstance", [
    ("hlist", HlistNode), ("rp", _ptr), ("ret_addr", _ptr), ("task", _ptr), ("fp", _ptr)
])


# C struct (or typedef) name -> mirror, and the C spelling of renamed fields; the layout test
# walks this table.
STRUCTS: dict[str, tuple[Struct, dict[str, str | None]]] = {
    "struct list_head": (ListHead, {}),
    "struct hlist_node": (HlistNode, {}),
    "struct module": (Module, {}),
    "struct kernel_symbol": (KernelSymbol, {}),
    "struct kernel_param_ops": (KernelParamOps, {}),
    "struct kernel_param": (KernelParam, {}),
    "struct kparam_string": (KparamString, {}),
    "struct kparam_array": (KparamArray, {}),
    "struct task_struct": (TaskStruct, {}),
    "struct sigpending": (SigPending, {}),
    "struct signal_struct": (SignalStruct, {}),
    "struct ktermios": (Ktermios, {}),
    "struct tty_operations": (TtyOperations, {}),
    "struct tty_driver": (TtyDriver, {}),
    "struct tty_struct": (TtyStruct, {}),
    "struct k_sigaction": (KSigaction, {"sa_handler": "sa.sa_handler", "sa_flags": "sa.sa_flags",
                                        "sa_restorer": "sa.sa_restorer", "sa_mask": "sa.sa_mask"}),
    "struct sighand_struct": (SighandStruct, {}),
    "siginfo_t": (Siginfo, {"_pad0": None, "si_pid": "_sifields._kill._pid",
                            "si_uid": "_sifields._kill._uid", "si_value": "_sifields._rt._sigval",
                            "_rest": None}),
    "struct work_struct": (WorkStruct, {}),
    "struct timer_list": (TimerList, {}),
    "struct delayed_work": (DelayedWork, {}),
    "struct tasklet_struct": (TaskletStruct, {}),
    "struct seq_file": (SeqFile, {"size_": "size", "from_": "from"}),
    "struct seq_operations": (SeqOperations, {}),
    "struct file_operations": (FileOperations, {}),
    "struct inode": (Inode, {}),
    "struct file": (File, {}),
    "struct qstr": (Qstr, {}),
    "struct dentry": (Dentry, {}),
    "struct path": (Path, {}),
    "struct timespec64": (Timespec64, {}),
    "struct kobject": (Kobject, {"_state": None}),
    "struct attribute": (Attribute, {}),
    "struct attribute_group": (AttributeGroup, {}),
    "struct device_attribute": (DeviceAttribute, {}),
    "struct kobj_attribute": (DeviceAttribute, {}),
    "struct kobj_type": (KobjType, {}),
    "struct module_kobject": (ModuleKobject, {}),
    "struct module_attribute": (ModuleAttribute, {}),
    "struct sysfs_ops": (SysfsOps, {}),
    "struct kset": (Kset, {}),
    "struct bin_attribute": (BinAttribute, {"size_": "size"}),
    "struct class_attribute": (DeviceAttribute, {}),
    "struct driver_attribute": (DeviceAttribute, {}),
    "struct cdev": (Cdev, {}),
    "struct debugfs_blob_wrapper": (DebugfsBlobWrapper, {"size_": "size"}),
    "struct class": (Class, {}),
    "struct device_type": (DeviceType, {}),
    "struct device": (Device, {"class_": "class", "_offline": None}),
    "struct miscdevice": (MiscDevice, {}),
    "struct device_driver": (DeviceDriver, {}),
    "struct platform_driver": (PlatformDriver, {}),
    "struct platform_device": (PlatformDevice, {}),
    "struct platform_device_id": (PlatformDeviceId, {}),
    "struct resource": (Resource, {}),
    "struct klp_func": (KlpFunc, {}),
    "struct klp_callbacks": (KlpCallbacks, {}),
    "struct klp_object": (KlpObject, {}),
    "struct klp_patch": (KlpPatch, {}),
    "spinlock_t": (Spinlock, {}),
    "struct mutex": (Mutex, {}),
    "struct wait_queue_head": (WaitQueueHead, {}),
    "struct rw_semaphore": (RwSemaphore, {}),
    "struct blocking_notifier_head": (BlockingNotifierHead, {}),
    "struct completion": (Completion, {}),
    "struct sysinfo": (SysInfo, {}),
    "struct page": (Page, {}),
    "struct new_utsname": (NewUtsname, {}),
    "struct uts_namespace": (UtsNamespace, {}),
    "struct klpsh_proc_entry": (KlpshProcEntry, {}),
    "struct pt_regs": (PtRegs, {}),
    "struct arch_specific_insn": (ArchSpecificInsn, {}),
    "struct kprobe": (Kprobe, {}),
    "struct kretprobe": (Kretprobe, {"free_instances": "free_instances.first"}),
    "struct kretprobe_instance": (KretprobeInstance, {}),
}


# What kernel/include-5.4 lays out differently or renames (checked by tests/test_k54_abi.py):
# the lists of 5.4 (patch->obj_list, obj->func_list), nop and dynamic; old_addr is old_func.
STRUCTS_5_4: dict[str, tuple[Struct, dict[str, str | None]]] = {
    "struct klp_func": (KlpFunc54, {"old_addr": "old_func"}),
    "struct klp_callbacks": (KlpCallbacks, {}),
    "struct klp_object": (KlpObject54, {}),
    "struct klp_patch": (KlpPatch54, {}),
    "struct platform_device": (PlatformDevice54, {}),
    "struct device_driver": (DeviceDriver54, {}),
    "struct platform_driver": (PlatformDriver54, {}),
}
