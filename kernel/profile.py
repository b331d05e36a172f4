"""Kernel profiles: which Linux klpsh boots (4.19, the default, or 5.4 LTS).

A profile is data, not code: the release and version magic, the headers and vmlinux modules
are built against, and for every livepatch concern that changed between the two kernels the
behaviour to use. The one kernel package reads it at those points (grep `profile.livepatch`);
nothing of the core is copied per version.

What changed in 5.1-5.4 (read from the 5.4 sources, kernel/livepatch/*.c and
Documentation/livepatch/*.rst):
  - klp_register_patch()/klp_unregister_patch()/klp_disable_patch() are gone; klp_enable_patch()
    called from the patch module's init creates, enables and lists the patch;
  - a patch is freed when its unpatching completes: its sysfs directory goes away and its module
    reference is dropped, so the module can be removed; a disabled patch cannot be re-enabled;
  - no stacking rules for enable/disable; cumulative patches (.replace = true) replace all
    earlier ones atomically, with dynamic nop functions for what they no longer patch;
  - the `signal` attribute is gone: stalled tasks get fake signals automatically every
    SIGNALS_TIMEOUT (15) failed transition attempts;
  - `force` marks the patches (patch->forced), so only forced patches keep their modules;
  - struct klp_patch/klp_object/klp_func carry obj_list/func_list (klp_for_each_object() and
    klp_for_each_func() walk them, the dynamic objects and nops of a cumulative patch included).
"""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType
from typing import Mapping

from kernel.bug import WarnMove, WarnSite
from kernel.record import RecordTuple

__all__ = ["KernelProfile", "LivepatchProfile", "GfpBits", "PROFILES", "DEFAULT_KERNEL",
           "get_profile", "KERNEL_NAMES", "GFP_4_19", "GFP_5_4"]

_KERNEL_DIR = Path(__file__).resolve().parent


class LivepatchProfile(RecordTuple):
    """How kernel/livepatch behaves where 4.19 and 5.4 differ."""

    # klp_enable_patch() initialises the patch itself (5.1+); else it needs klp_register_patch()
    enable_registers: bool
    # exported livepatch functions that this kernel does not have (a module using one fails
    # to load with "Unknown symbol")
    absent_exports: frozenset[str]
    # /sys/kernel/livepatch/<patch>/ attributes
    sysfs_attrs: tuple[str, ...]
    # "only the first disabled patch can be enabled, only the last enabled one disabled" (4.19)
    stacking: bool
    # the patch is freed when unpatching completes (sysfs gone, module put) (5.1+)
    free_on_disable: bool
    # `echo 1 > enabled` re-enables a disabled (still registered) patch (4.19)
    reenable: bool
    # patch->replace (struct klp_patch has .replace) and nop functions (5.1+)
    atomic_replace: bool
    # patch->enabled is set before the first completion attempt (5.1+) or after it (4.19)
    enabled_before_first_attempt: bool
    # fake signals to stalled tasks every this many failed attempts; None: only via sysfs
    signals_timeout: int | None
    # force sets patch->forced on every listed patch (5.1+), else the global klp_forced
    forced_per_patch: bool
    # pr_debug of klp_cancel_transition()
    cancel_message: str
    # the struct klp_patch / klp_object / klp_func layouts of this kernel's linux/livepatch.h
    # (kernel/abi.py)
    patch_struct: str
    object_struct: str
    func_struct: str
    # the core keeps patch->obj_list and obj->func_list in guest memory, dynamic objects and
    # nop functions allocated there, as klp_for_each_object()/klp_for_each_func() walk them (5.1+)
    object_lists: bool


class GfpBits(RecordTuple):
    """The ___GFP_* bits of this kernel's include/linux/gfp.h (gfp_t): 5.4 moved most of them.

    The headers a module is built against say the same (kernel/include/linux/gfp.h has 4.19's,
    kernel/include-5.4/linux/gfp.h 5.4's; tests/test_k54_gfp.py holds each to its profile);
    the kernel reads flags through these (kmalloc's __GFP_ZERO, __GFP_NOWARN, %pGg).
    """

    dma: int
    highmem: int
    dma32: int
    movable: int
    reclaimable: int
    high: int
    io: int
    fs: int
    write: int
    nowarn: int
    retry_mayfail: int
    nofail: int
    noretry: int
    memalloc: int
    comp: int
    zero: int
    nomemalloc: int
    hardwall: int
    thisnode: int
    atomic: int
    account: int
    direct_reclaim: int
    kswapd_reclaim: int

    @property
    def reclaim(self) -> int:
        """__GFP_RECLAIM."""
        return self.direct_reclaim | self.kswapd_reclaim

    @property
    def kernel(self) -> int:
        """GFP_KERNEL."""
        return self.reclaim | self.io | self.fs

    @property
    def atomic_flags(self) -> int:
        """GFP_ATOMIC."""
        return self.high | self.atomic | self.kswapd_reclaim

    @property
    def nowait(self) -> int:
        """GFP_NOWAIT."""
        return self.kswapd_reclaim


def _bits(order: str) -> GfpBits:
    """GfpBits whose flags, named in ORDER, are bits 0, 1, 2 ... as the header numbers them."""
    return GfpBits(**{name: 1 << i for i, name in enumerate(order.split())})


# 4.19 include/linux/gfp.h
GFP_4_19 = _bits("dma highmem dma32 movable reclaimable high io fs write nowarn retry_mayfail "
                 "nofail noretry memalloc comp zero nomemalloc hardwall thisnode atomic account "
                 "direct_reclaim kswapd_reclaim")
# 5.4 include/linux/gfp.h (5.4.214 read): zero, atomic and the reclaim bits moved down
GFP_5_4 = _bits("dma highmem dma32 movable reclaimable high io fs zero atomic direct_reclaim "
                "kswapd_reclaim write nowarn retry_mayfail nofail noretry memalloc comp nomemalloc "
                "hardwall thisnode account")


class KernelProfile(RecordTuple):
    """One kernel klpsh can boot."""

    name: str                       # what --kernel takes: "4.19", "5.4"
    release: str                    # uname -r, UTS_RELEASE
    version: str                    # uname -v (init/version.c UTS_VERSION)
    vermagic: str                   # linux/vermagic.h VERMAGIC_STRING
    include_dirs: tuple[Path, ...]  # searched in order: this kernel's overlay, then the shared one
    vmlinux_object: Path
    modules_subdir: str             # bundled modules of this kernel: modules/<subdir>
    livepatch: LivepatchProfile
    gfp: GfpBits                    # linux/gfp.h bit values
    # debugfs creators fail with ERR_PTR(-EEXIST) and pr_err "... already present!" (5.0+:
    # fs/debugfs/inode.c start_creating()), else with NULL and nothing logged (4.19)
    debugfs_err_ptr: bool = False
    # what device_release()'s WARN for a device without a release() adds after "... must be
    # fixed." (5.4.214: " See Documentation/kobject.txt."; 4.19.0 ends there)
    device_release_hint: str = ""
    # the struct platform_device layout of this kernel's linux/platform_device.h (kernel/abi.py;
    # 5.4 has platform_dma_mask after the struct device)
    platform_device_struct: str = "PlatformDevice"
    # struct platform_driver (kernel/abi.py); 5.4's struct device_driver has dev_groups, the
    # attributes really_probe() makes on each device it binds
    platform_driver_struct: str = "PlatformDriver"
    # platform_get_irq() says "IRQ index N not found" with dev_err when there is none (5.4)
    platform_irq_error: bool = False
    # the kernel's own WARN sites that are not where 4.19.0 has them: (file, 4.19 line) -> the
    # line (and function, if renamed) here, or None where this kernel has no such WARN
    warn_moves: Mapping[tuple[str, int], WarnMove | None] = MappingProxyType({})
    # register_kretprobe() passes on kprobe_on_func_entry()'s error (-ENOENT for an unknown
    # symbol), refuses a re-registration and a data_size over KRETPROBE_MAX_DATA_SIZE (-E2BIG)
    # (5.0+); else every failure of the entry check is -EINVAL (4.19)
    kretprobe_errors: bool = False
    # _do_fork() takes a struct kernel_clone_args * (5.3+: flags, pidfd, child_tid,
    # parent_tid, exit_signal, stack, stack_size, tls); else the six arguments of 4.19
    fork_clone_args: bool = False

    def warn_place(self, file: str, line: int, func: str) -> tuple[int, str] | None:
        """Line and function of the WARN that 4.19.0 has at FILE:LINE in FUNC; None if absent."""
        if (file, line) not in self.warn_moves:
            return line, func
        move = self.warn_moves[(file, line)]
        return None if move is None else (move.line, move.func or func)

    def has_warn(self, site: WarnSite) -> bool:
        """Whether this kernel has the WARN that 4.19.0 has at SITE."""
        key = (site.file, site.line)
        return key not in self.warn_moves or self.warn_moves[key] is not None

    @property
    def command_line(self) -> str:
        """The boot command line (/proc/cmdline): the bootloader names this kernel's image."""
        return f"BOOT_IMAGE=/boot/vmlinuz-{self.release} root=/dev/vda1 ro quiet"

    @property
    def proc_version(self) -> str:
        """/proc/version."""
        return f"Linux version {self.release} (klpsh) {self.version}\n"


_INCLUDE = _KERNEL_DIR / "include"
_VMLINUX = _KERNEL_DIR / "vmlinux" / "vmlinux.o"

LINUX_4_19 = KernelProfile(
    name="4.19",
    release="4.19.0-klpsh",
    version="#1 SMP Mon Oct 22 00:00:00 UTC 2018",      # 4.19's release day
    vermagic="4.19.0-klpsh SMP mod_unload ",
    include_dirs=(_INCLUDE,),
    vmlinux_object=_VMLINUX,
    modules_subdir="",
    livepatch=LivepatchProfile(
        enable_registers=False,
        absent_exports=frozenset(),
        sysfs_attrs=("enabled", "transition", "signal", "force"),
        stacking=True,
        free_on_disable=False,
        reenable=True,
        atomic_replace=False,
        enabled_before_first_attempt=False,
        signals_timeout=None,
        forced_per_patch=False,
        # Documentation/livepatch/callbacks.txt (Test 6) words it without "patching"; the
        # nine 4.19 transcripts follow the document.
        cancel_message="canceling transition, going to unpatch",
        patch_struct="KlpPatch",
        object_struct="KlpObject",
        func_struct="KlpFunc",
        object_lists=False,
    ),
    gfp=GFP_4_19,
)

# Every WarnSite (grep 'WarnSite(' kernel) read in a 5.4.214 tree: those not here are at 4.19.0's
# line there too (fs/sysfs/file.c 260 and 328, fs/sysfs/group.c 115, include/linux/syscalls.h 266;
# of the vmlinux C sources' sites, mm/mempool.c 124 and 134, kernel/capability.c 372).
WARN_MOVES_5_4: Mapping[tuple[str, int], WarnMove | None] = MappingProxyType({
    ("kernel/livepatch/core.c", 285): WarnMove(876),        # __klp_disable_patch !enabled
    ("kernel/livepatch/core.c", 358): WarnMove(912),        # __klp_enable_patch enabled
    ("kernel/livepatch/core.c", 954): WarnMove(1115),       # klp_module_coming
    ("kernel/livepatch/core.c", 1032): WarnMove(1187),      # klp_module_going
    ("kernel/livepatch/patch.c", 143): WarnMove(139),       # klp_unpatch_func !patched
    ("kernel/livepatch/patch.c", 149): WarnMove(145),       # klp_unpatch_func !ops
    ("kernel/livepatch/patch.c", 177): WarnMove(174),       # klp_patch_func !old_func (was old_addr)
    ("kernel/livepatch/patch.c", 180): WarnMove(177),       # klp_patch_func patched
    ("kernel/livepatch/patch.c", 255): WarnMove(264),       # klp_patch_object
    ("kernel/livepatch/transition.c", 116): WarnMove(111),  # klp_complete_transition
    ("kernel/livepatch/transition.c", 123): WarnMove(118),
    ("kernel/livepatch/transition.c", 158): WarnMove(146),  # klp_cancel_transition
    ("kernel/livepatch/transition.c", 364): WarnMove(395),  # klp_try_complete_transition
    ("kernel/livepatch/transition.c", 464): WarnMove(512),  # klp_init_transition
    ("kernel/livepatch/shadow.c", 177): WarnMove(165),      # SPDX header since 5.2
    ("kernel/workqueue.c", 1384): WarnMove(1427),           # __queue_work draining
    ("drivers/char/misc.c", 242): WarnMove(243),
    ("kernel/kthread.c", 498): WarnMove(565),               # kthread_park PF_EXITING
    ("kernel/kthread.c", 501): WarnMove(568),               # kthread_park SHOULD_PARK
    ("lib/idr.c", 487): WarnMove(523, "ida_free"),          # ida_remove() folded into ida_free()
    ("fs/seq_file.c", 55): WarnMove(58),
    ("mm/percpu.c", 1382): WarnMove(1616),                  # pcpu_alloc illegal size
    ("kernel/irq/manage.c", 558): WarnMove(635),            # __enable_irq unbalanced
    ("kernel/irq/manage.c", 657): WarnMove(754),            # irq_set_irq_wake unbalanced
    ("kernel/irq/manage.c", 1578): WarnMove(1745),          # __free_irq from IRQ context
    ("kernel/irq/manage.c", 1593): WarnMove(1760),          # __free_irq already free
    ("lib/vsprintf.c", 1531): None,                         # flags_string: error_string "(%pG?)"
    ("lib/vsprintf.c", 2149): WarnMove(2401),               # format_decode unsupported
    ("lib/vsprintf.c", 2181): WarnMove(2433),               # set_field_width
    ("lib/vsprintf.c", 2190): WarnMove(2442),               # set_precision
    # order >= MAX_ORDER: checked first thing in __alloc_pages_nodemask() since 5.0
    ("mm/page_alloc.c", 4065): WarnMove(4757),
    ("drivers/base/core.c", 893): WarnMove(1116),           # device_release no release()
    ("lib/kobject.c", 226): WarnMove(234),                  # kobject_add_internal empty name
    ("lib/kobject.c", 610): WarnMove(652),                  # kobject_get not initialized
    ("lib/kobject.c", 705): WarnMove(753),                  # kobject_put not initialized
    ("fs/sysfs/file.c", 540): WarnMove(542),                # sysfs_create_bin_file (4.19: BUG_ON)
    ("fs/sysfs/group.c", 121): WarnMove(122),               # internal_create_group no attrs
    ("fs/proc/generic.c", 175): WarnMove(180),              # __xlate_proc_name
    ("fs/proc/generic.c", 359): WarnMove(374),              # proc_register already registered
    ("fs/proc/generic.c", 388): WarnMove(404),              # __proc_create name len
    ("fs/proc/generic.c", 392): WarnMove(408),              # __proc_create '.'
    ("fs/proc/generic.c", 396): WarnMove(412),              # __proc_create '..'
    ("fs/proc/generic.c", 400): WarnMove(416),              # __proc_create by hand
    ("fs/proc/generic.c", 523): WarnMove(548),              # proc_create_reg !S_ISREG
    ("fs/proc/generic.c", 670): WarnMove(699),              # remove_proc_entry no such name
    ("fs/proc/generic.c", 679): WarnMove(705),              # remove_proc_entry non-empty
    ("fs/proc/generic.c", 540): WarnMove(565),              # proc_create_data BUG_ON (a BUG)
    # the vmlinux C sources' (linux/bug.h *_AT: kernel/vmlinux/kernel/kthread_worker.c ...)
    ("kernel/kthread.c", 633): WarnMove(700),               # kthread_worker_fn
    ("kernel/kthread.c", 779): WarnMove(846),               # kthread_insert_work_sanity_check
    ("kernel/kthread.c", 781): WarnMove(848),
    ("kernel/kthread.c", 843): WarnMove(911),               # kthread_delayed_work_timer_fn
    ("kernel/kthread.c", 848): WarnMove(916),
    ("kernel/kthread.c", 866): WarnMove(935),               # __kthread_queue_delayed_work
    ("kernel/kthread.c", 956): WarnMove(1025),              # kthread_flush_work
    ("kernel/kthread.c", 1055): WarnMove(1136),             # kthread_mod_delayed_work
    ("kernel/kthread.c", 1081): WarnMove(1177),             # __kthread_cancel_work_sync
    ("kernel/kthread.c", 1173): WarnMove(1272),             # kthread_destroy_worker !task
    ("kernel/kthread.c", 1178): WarnMove(1277),             # kthread_destroy_worker work left
    ("kernel/jump_label.c", 135): WarnMove(170),            # static_key_enable_cpuslocked
    ("kernel/jump_label.c", 165): WarnMove(201),            # static_key_disable_cpuslocked
    ("kernel/jump_label.c", 196): WarnMove(235),            # negative count (static_key_slow_try_dec)
    ("mm/mempool.c", 299): WarnMove(305),                   # mempool_resize BUG_ON (a BUG)
})

LINUX_5_4 = KernelProfile(
    name="5.4",
    release="5.4.0-klpsh",
    version="#1 SMP Sun Nov 24 00:00:00 UTC 2019",      # 5.4's release day
    vermagic="5.4.0-klpsh SMP mod_unload ",
    include_dirs=(_KERNEL_DIR / "include-5.4", _INCLUDE),
    vmlinux_object=_VMLINUX,
    modules_subdir="5.4",
    livepatch=LivepatchProfile(
        enable_registers=True,
        absent_exports=frozenset({"klp_register_patch", "klp_unregister_patch",
                                  "klp_disable_patch"}),
        sysfs_attrs=("enabled", "transition", "force"),
        stacking=False,
        free_on_disable=True,
        reenable=False,
        atomic_replace=True,
        enabled_before_first_attempt=True,
        signals_timeout=15,                 # transition.c SIGNALS_TIMEOUT
        forced_per_patch=True,
        cancel_message="canceling patching transition, going to unpatch",
        patch_struct="KlpPatch54",
        object_struct="KlpObject54",
        func_struct="KlpFunc54",
        object_lists=True,
    ),
    gfp=GFP_5_4,
    debugfs_err_ptr=True,
    device_release_hint=" See Documentation/kobject.txt.",
    platform_device_struct="PlatformDevice54",
    platform_driver_struct="PlatformDriver54",
    platform_irq_error=True,
    warn_moves=WARN_MOVES_5_4,
    kretprobe_errors=True,
    fork_clone_args=True,
)

PROFILES: dict[str, KernelProfile] = {p.name: p for p in (LINUX_4_19, LINUX_5_4)}
KERNEL_NAMES: tuple[str, ...] = tuple(PROFILES)
DEFAULT_KERNEL = LINUX_4_19.name


def get_profile(name: str | None = None) -> KernelProfile:
    """The profile called NAME ("4.19", "5.4"; also "4.19.0", "5.4.0-klpsh"); KeyError if none."""
    if name is None:
        return PROFILES[DEFAULT_KERNEL]
    if name in PROFILES:
        return PROFILES[name]
    for p in PROFILES.values():
        if name in (p.release, p.release.split("-")[0]):
            return p
    raise KeyError(name)
