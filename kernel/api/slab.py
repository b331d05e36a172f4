"""linux/slab.h, linux/string.h allocation helpers: kmalloc and friends over the guest heap."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.api import kapi
from kernel.bug import WarnSite
from kernel.errno import Errno, KernelError
from kernel.mm import PAGE_SIZE, BadAddress
from kernel.record import field, record

if TYPE_CHECKING:
    from kernel.machine import Kernel

KMALLOC_MAX = 4 << 20              # PAGE_SIZE << (MAX_ORDER - 1): the largest buddy block
SIZE_MAX = (1 << 64) - 1
# WARN_ON_ONCE(!(gfp_mask & __GFP_NOWARN)) for an order >= MAX_ORDER: 4.19.0 has it in
# __alloc_pages_slowpath() (static inline, in __alloc_pages_nodemask()'s body), 5.4 at the top of
# __alloc_pages_nodemask() (its line: kernel/profile.py WARN_MOVES_5_4)
ALLOC_ORDER_WARN = WarnSite("mm/page_alloc.c", 4065, "__alloc_pages_nodemask", once=True,
                            callers=("alloc_pages_current", "kmalloc_order", "kmalloc_order_trace"))
ZERO_SIZE_PTR = 16


class Slab:
    """kmalloc/kfree over the heap allocator, with the kernel's complaints about misuse, and
    the kmem caches."""

    def __init__(self, k: "Kernel") -> None:
        self.k = k
        self.caches: dict[int, KmemCache] = {}        # struct kmem_cache address -> cache
        self.cache_of: dict[int, KmemCache] = {}      # every cache object's address -> its cache
        self.vmalloc_areas: dict[int, int] = {}       # vmalloc'd block -> the size asked for
        self.sighand_cache: KmemCache | None = None   # fork.c's sighand_cachep, made on first use

    def vmalloc_area(self, addr: int) -> int | None:
        """The vmalloc'd block ADDR lies in, if any."""
        for start, size in self.vmalloc_areas.items():
            if start <= addr < start + max(size, PAGE_SIZE):
                return start
        return None

    def kmalloc(self, size: int, zero: bool = False, flags: int = 0) -> int:
        """__kmalloc(): SIZE is a size_t (a negative int a caller passed is huge); past the
        largest order the page allocator WARNs once (unless __GFP_NOWARN) and gives NULL."""
        size &= SIZE_MAX
        if size == 0:
            return ZERO_SIZE_PTR
        if size > KMALLOC_MAX:
            self.order_too_large(flags)
            return 0
        try:
            addr = self.k.heap.alloc(size)
        except KernelError:
            return 0
        if zero:
            self.k.mem.zero(addr, size)
        return addr

    def order_too_large(self, flags: int) -> None:
        """__alloc_pages_nodemask(): WARN_ON_ONCE(!(gfp_mask & __GFP_NOWARN)) for an order
        >= MAX_ORDER, reached from kmalloc_large()."""
        k = self.k
        if flags & k.profile.gfp.nowarn or k.sched.current is None:
            return
        k.warn_at(ALLOC_ORDER_WARN)

    def owns(self, addr: int) -> bool:
        return self.k.heap.size_of(addr) is not None

    def kfree(self, addr: int) -> None:
        if addr in (0, ZERO_SIZE_PTR):
            return
        cache = self.cache_of.get(addr)
        if cache is not None:                          # kfree() works on any slab object
            cache_free(self.k, cache, addr)
            return
        if not self.k.heap.free(addr):
            self.k.unchecked(f"kfree of unknown or already freed object {addr:#x}",
                             "SLUB frees whatever page the pointer lands in")




@kapi()
def kmalloc(k: "Kernel", size: int, flags: int) -> int:
    return k.slab.kmalloc(size, zero=bool(flags & k.profile.gfp.zero), flags=flags)


@kapi("__kmalloc")
def kmalloc_(k: "Kernel", size: int, flags: int) -> int:
    return kmalloc(k, size, flags)


@kapi()
def kzalloc(k: "Kernel", size: int, flags: int) -> int:
    return k.slab.kmalloc(size, zero=True, flags=flags)


@kapi()
def kcalloc(k: "Kernel", n: int, size: int, flags: int) -> int:
    return kmalloc_array(k, n, size, flags | k.profile.gfp.zero)


@kapi()
def kmalloc_array(k: "Kernel", n: int, size: int, flags: int) -> int:
    if size and n > SIZE_MAX // size:          # check_mul_overflow(): NULL, no warning
        return 0
    return k.slab.kmalloc(n * size, zero=bool(flags & k.profile.gfp.zero), flags=flags)


@kapi()
def krealloc(k: "Kernel", p: int, size: int, flags: int) -> int:
    new = k.slab.kmalloc(size)
    if new and p not in (0, ZERO_SIZE_PTR):
        old = k.heap.size_of(p) or 0
        k.mem.write(new, k.mem.read(p, min(old, size)))
        k.slab.kfree(p)
    return new


@kapi()
def kfree(k: "Kernel", p: int) -> None:
    k.slab.kfree(p)


@kapi()
def kstrdup(k: "Kernel", s: int, flags: int) -> int:
    if not s:
        return 0
    text = k.mem.cstr(s, 1 << 20)
    p = k.slab.kmalloc(len(text) + 1)
    if p:
        k.mem.put_cstr(p, text)
    return p


@kapi()
def kstrndup(k: "Kernel", s: int, maxlen: int, flags: int) -> int:
    if not s:
        return 0
    text = k.mem.cstr(s, maxlen)
    p = k.slab.kmalloc(len(text) + 1)
    if p:
        k.mem.put_cstr(p, text)
    return p


@kapi()
def kmemdup(k: "Kernel", src: int, size: int, flags: int) -> int:
    p = k.slab.kmalloc(size)
    if p and size:
        k.mem.write(p, k.mem.read(src, size))
    return p


@kapi()
def ksize(k: "Kernel", p: int) -> int:
    """What the object at P may use: a kmem_cache object as SLUB's slab_ksize() says (its
    object_size under red zones or poisoning, the word-aligned size when the free pointer or
    owner track follows it, else the whole stride); a kmalloc one its size class."""
    c = k.slab.cache_of.get(p)
    if c is not None:
        if c.flags & (SLAB_RED_ZONE | SLAB_POISON):
            return c.object_size
        if c.flags & (SLAB_TYPESAFE_BY_RCU | SLAB_STORE_USER):
            return (c.object_size + 7) & ~7
        return c.size
    return k.heap.size_of(p) or 0


# vmalloc space is the same heap here: only the size limit differs from kmalloc
VMALLOC_MAX = 64 << 20


def _vmalloc(k: "Kernel", size: int, zero: bool) -> int:
    size &= SIZE_MAX
    if not size or size > VMALLOC_MAX:
        return 0
    try:
        addr = k.heap.alloc(max(size, PAGE_SIZE))      # whole pages, as vmap areas are
    except KernelError:
        return 0
    if zero:
        k.mem.zero(addr, size)
    k.slab.vmalloc_areas[addr] = size
    return addr


def _vfree(k: "Kernel", p: int) -> None:
    if p:
        k.slab.vmalloc_areas.pop(p, None)
    k.slab.kfree(p)


@kapi()
def vmalloc(k: "Kernel", size: int) -> int:
    return _vmalloc(k, size, False)


@kapi()
def vzalloc(k: "Kernel", size: int) -> int:
    return _vmalloc(k, size, True)


@kapi()
def vfree(k: "Kernel", p: int) -> None:
    _vfree(k, p)


@kapi()
def vmalloc_user(k: "Kernel", size: int) -> int:
    return _vmalloc(k, size, True)


@kapi()
def vmalloc_32(k: "Kernel", size: int) -> int:
    return _vmalloc(k, size, False)


@kapi()
def vmalloc_32_user(k: "Kernel", size: int) -> int:
    return _vmalloc(k, size, True)


@kapi()
def vmalloc_exec(k: "Kernel", size: int) -> int:
    return _vmalloc(k, size, False)


@kapi()
def vmalloc_node(k: "Kernel", size: int, node: int) -> int:
    return _vmalloc(k, size, False)


@kapi()
def vzalloc_node(k: "Kernel", size: int, node: int) -> int:
    return _vmalloc(k, size, True)


@kapi("__vmalloc")
def vmalloc_prot(k: "Kernel", size: int, gfp: int, prot: int) -> int:
    """__vmalloc(size, gfp, prot): zeroed with __GFP_ZERO; the protection is the heap's
    (read-write) whatever PROT asks."""
    return _vmalloc(k, size, bool(gfp & k.profile.gfp.zero))


@kapi()
def kvmalloc_node(k: "Kernel", size: int, flags: int, node: int) -> int:
    if size <= KMALLOC_MAX:
        return kmalloc(k, size, flags)
    return _vmalloc(k, size, bool(flags & k.profile.gfp.zero))


@kapi()
def kvfree(k: "Kernel", p: int) -> None:
    _vfree(k, p)


# --- kmem caches (mm/slab_common.c, mm/slub.c) ------------------------------------------------
SLAB_RED_ZONE = 0x400
SLAB_POISON = 0x800
SLAB_HWCACHE_ALIGN = 0x2000
SLAB_STORE_USER = 0x10000
SLAB_PANIC = 0x40000
SLAB_TYPESAFE_BY_RCU = 0x80000
SLAB_FLAGS_PERMITTED = (0x100 | 0x400 | 0x800 | SLAB_HWCACHE_ALIGN | 0x4000 | 0x10000 | 0x20000
                        | SLAB_PANIC | SLAB_TYPESAFE_BY_RCU | 0x100000 | 0x200000 | 0x400000
                        | 0x800000 | 0x2000000 | 0x4000000)
POISON_FREE, POISON_END = 0x6B, 0xA5     # linux/poison.h
CACHE_LINE_SIZE = 64
ARCH_SLAB_MINALIGN = 8
SLUB_MAX_ORDER = 3              # PAGE_ALLOC_COSTLY_ORDER
SLUB_MIN_OBJECTS = 4 * (2 + 1)  # 4 * (fls(nr_cpu_ids) + 1) with 2 CPUs
KMEM_CACHE_STRUCT = 64          # bytes the opaque struct kmem_cache takes in guest memory


@record(eq=False)
class KmemCache:
    """One cache: its geometry, its slabs and the objects on its free list."""

    addr: int
    name: str
    object_size: int
    size: int                   # the stride of objects in a slab
    align: int
    flags: int
    ctor: int
    order: int
    refcount: int = 1
    slabs: list[int] = field(default_factory=list)
    free: list[int] = field(default_factory=list)      # LIFO, as the per-CPU freelist
    inuse: set[int] = field(default_factory=set)

    @property
    def objs_per_slab(self) -> int:
        return (PAGE_SIZE << self.order) // self.size

    def copy(self) -> "KmemCache":
        """A cache in this one's state, with slab and object lists of its own."""
        return KmemCache(self.addr, self.name, self.object_size, self.size, self.align, self.flags,
                         self.ctor, self.order, self.refcount, list(self.slabs), list(self.free),
                         set(self.inuse))


def calculate_alignment(flags: int, align: int, size: int) -> int:
    """SLAB_HWCACHE_ALIGN: the cache line, halved while objects fit twice; at least 8."""
    if flags & SLAB_HWCACHE_ALIGN:
        ralign = CACHE_LINE_SIZE
        while size <= ralign // 2:
            ralign //= 2
        align = max(align, ralign)
    align = max(align, ARCH_SLAB_MINALIGN)
    return (align + 7) & ~7


def slab_order(size: int) -> int:
    """calculate_order(), simplified: the smallest order up to 3 whose slab holds the minimum
    number of objects; bigger objects get the order that fits one."""
    for order in range(SLUB_MAX_ORDER + 1):
        if (PAGE_SIZE << order) // size >= SLUB_MIN_OBJECTS:
            return order
    order = 0
    while (PAGE_SIZE << order) < size:
        order += 1
    return max(order, SLUB_MAX_ORDER) if size <= PAGE_SIZE << SLUB_MAX_ORDER else order


def _create_failed(k: "Kernel", name: str, err: int) -> int:
    k.log.warn(f"kmem_cache_create({name}) failed with error {err}")
    k.dump_stack(k.sched.current)
    return 0


def _new_slab(k: "Kernel", c: KmemCache) -> None:
    """allocate_slab(): the objects of a new slab, each through the constructor."""
    base = k.heap.alloc(PAGE_SIZE << c.order)
    c.slabs.append(base)
    objs = [base + i * c.size for i in range(c.objs_per_slab)]
    for obj in objs:
        k.slab.cache_of[obj] = c
    for obj in objs:
        if c.ctor:
            oopses = k.oops_count
            k.run_guest(k.current, c.ctor, (obj,), via="allocate_slab")
            if k.oops_count != oopses:  # the constructor died: no slab, no object
                for o in objs:
                    k.slab.cache_of.pop(o, None)
                c.slabs.remove(base)
                k.heap.free(base)
                raise KernelError(Errno.EFAULT)
    c.free.extend(reversed(objs))       # the first object is handed out first


def kernel_cache(name: str, size: int, flags: int = SLAB_HWCACHE_ALIGN) -> KmemCache:
    """A cache of the kernel's own objects (as fork_init() makes sighand_cache): the geometry
    kmem_cache_create() gives SIZE and FLAGS, no struct kmem_cache in guest memory (and not
    among the caches modules made)."""
    align = calculate_alignment(flags, 0, size)
    stride = (max(size, 8) + 7) & ~7
    if flags & SLAB_TYPESAFE_BY_RCU:
        stride += 8                     # the free pointer goes after the object
    stride = (stride + align - 1) & ~(align - 1)
    return KmemCache(0, name, size, stride, align, flags, 0, slab_order(stride))


def cache_alloc(k: "Kernel", c: KmemCache) -> int:
    """An object of C (a new slab if none is free); ENOMEM (KernelError) when the heap is out."""
    if not c.free:
        _new_slab(k, c)
    obj = c.free.pop()
    c.inuse.add(obj)
    return obj


def cache_free(k: "Kernel", c: KmemCache, obj: int) -> None:
    if obj not in c.inuse:
        k.unchecked(f"kmem_cache_free: {obj:#x} is not an allocated object of {c.name} (double free?)",
                    "SLUB without slub_debug links it into the freelist again")
        return
    c.inuse.discard(obj)
    c.free.append(obj)


def _cache(k: "Kernel", addr: int) -> KmemCache:
    c = k.slab.caches.get(addr)
    if c is None:
        raise BadAddress(addr)          # the kernel would read a struct kmem_cache there
    return c


@kapi()
def kmem_cache_create_usercopy(k: "Kernel", name: int, size: int, align: int, flags: int,
                               useroffset: int, usersize: int, ctor: int) -> int:
    text = k.mem.cstr(name, 256)
    size, align, flags = size & 0xFFFFFFFF, align & 0xFFFFFFFF, flags & 0xFFFFFFFF
    if flags & ~SLAB_FLAGS_PERMITTED:
        return _create_failed(k, text, -Errno.EINVAL)
    align = calculate_alignment(flags, align, size)
    stride = (max(size, 8) + 7) & ~7
    if ctor or flags & SLAB_TYPESAFE_BY_RCU:
        stride += 8                     # the free pointer goes after the object
    stride = (stride + align - 1) & ~(align - 1)
    addr = k.slab.kmalloc(KMEM_CACHE_STRUCT, zero=True)
    if not addr:
        return _create_failed(k, text, -Errno.ENOMEM)
    k.mem.put_cstr(addr, text[:KMEM_CACHE_STRUCT - 1])
    k.slab.caches[addr] = KmemCache(addr, text, size, stride, align, flags, ctor, slab_order(stride))
    return addr


@kapi()
def kmem_cache_create(k: "Kernel", name: int, size: int, align: int, flags: int, ctor: int) -> int:
    return kmem_cache_create_usercopy(k, name, size, align, flags, 0, 0, ctor)


@kapi()
def kmem_cache_alloc(k: "Kernel", cache: int, flags: int) -> int:
    c = _cache(k, cache)
    if not c.free:
        try:
            _new_slab(k, c)
        except KernelError:
            return 0
    obj = c.free.pop()
    c.inuse.add(obj)
    if flags & k.profile.gfp.zero:
        k.mem.zero(obj, c.object_size)
    elif c.flags & SLAB_POISON and not c.ctor and not c.flags & SLAB_TYPESAFE_BY_RCU:
        # __OBJECT_POISON: SLUB's init_object() leaves POISON_FREE bytes, POISON_END last
        k.mem.write(obj, bytes([POISON_FREE]) * (c.object_size - 1) + bytes([POISON_END]))
    return obj


@kapi()
def kmem_cache_alloc_node(k: "Kernel", cache: int, flags: int, node: int) -> int:
    return kmem_cache_alloc(k, cache, flags)


@kapi()
def kmem_cache_free(k: "Kernel", cache: int, obj: int) -> None:
    if not obj:
        return
    c = _cache(k, cache)
    owner = k.slab.cache_of.get(obj, c)
    cache_free(k, owner, obj)


@kapi()
def kmem_cache_size(k: "Kernel", cache: int) -> int:
    return _cache(k, cache).object_size


@kapi()
def kmem_cache_shrink(k: "Kernel", cache: int) -> int:
    """Give back the slabs whose objects are all free."""
    c = _cache(k, cache)
    for base in list(c.slabs):
        objs = {base + i * c.size for i in range(c.objs_per_slab)}
        if not objs & c.inuse:
            c.slabs.remove(base)
            c.free = [o for o in c.free if o not in objs]
            for o in objs:
                k.slab.cache_of.pop(o, None)
            k.heap.free(base)
    return 0


@kapi()
def kmem_cache_destroy(k: "Kernel", cache: int) -> None:
    if not cache:
        return
    c = _cache(k, cache)
    c.refcount -= 1
    if c.refcount:
        return
    if c.inuse:
        # shutdown_cache() failed: the cache stays, with its objects
        k.log.err(f"kmem_cache_destroy {c.name}: Slab cache still has objects")
        k.dump_stack(k.sched.current)
        c.refcount += 1
        return
    for base in c.slabs:
        for i in range(c.objs_per_slab):
            k.slab.cache_of.pop(base + i * c.size, None)
        k.heap.free(base)
    del k.slab.caches[cache]
    k.slab.kfree(cache)
