"""linux/seq_file.h (fs/seq_file.c, 4.19): records shown into m->buf, read out by seq_read().

The output functions write into the guest buffer and mark an overflow by count == size; then
seq_read() throws the record away, doubles the buffer and shows it again, as 4.19 does, so a
module sees the same calls (start/show/next/stop) and seq_has_overflowed() a real kernel gives.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.abi import File, SeqFile, SeqOperations
from kernel.api import kapi, s32, s64
from kernel.api.vsprintf import NextArg, VaList, vsnprintf
from kernel.cpu import VarArgs
from kernel.errno import Errno
from kernel.mm import PAGE_SIZE
from kernel.bug import WarnSite
from kernel import cost

if TYPE_CHECKING:
    from kernel.machine import Kernel

# seq_open()'s WARN_ON(file->private_data) (4.19)
WARN_SEQ_OPEN = WarnSite("fs/seq_file.c", 55, "seq_open")

MASK64 = (1 << 64) - 1
MAX_ERRNO = 4095
SEQ_START_TOKEN = 1
FMODE_PWRITE = 0x10
_OPS = ("start", "stop", "next", "show")


def _f(m: int, name: str) -> int:
    return m + getattr(SeqFile, name).offset


def _is_err(p: int) -> bool:
    return (p & MASK64) >= (1 << 64) - MAX_ERRNO


def _ptr_err(p: int) -> int:
    return s64(p) if _is_err(p) else 0


class _Seq:
    """Field access to one guest struct seq_file."""

    def __init__(self, k: "Kernel", m: int) -> None:
        self.k, self.m, self.mem = k, m, k.mem

    def get(self, name: str) -> int:
        return self.mem.u64(_f(self.m, name))

    def set(self, name: str, v: int) -> None:
        self.mem.set_u64(_f(self.m, name), v)

    def op(self, name: str) -> int:
        return self.mem.u64(self.get("op") + getattr(SeqOperations, name).offset)

    def call(self, name: str, *args: int) -> int:
        return self.k.call_fn(self.op(name), (self.m, *args), via="seq_read")

    def start(self, pos_addr: int) -> int:
        return self.call("start", pos_addr) & MASK64

    def next(self, p: int, pos_addr: int) -> int:
        return self.call("next", p, pos_addr) & MASK64

    def stop(self, p: int) -> None:
        self.call("stop", p)

    def show(self, p: int) -> int:
        return s32(self.call("show", p))

    def overflowed(self) -> bool:
        return self.get("count") == self.get("size_")

    def alloc_buf(self, size: int) -> bool:
        buf = _buf_alloc(self.k, size)
        self.set("buf", buf)
        self.set("size_", size)
        return bool(buf)

    def free_buf(self) -> None:
        _buf_free(self.k, self.get("buf"))
        self.set("buf", 0)


def _buf_alloc(k: "Kernel", size: int) -> int:
    """seq_buf_alloc(): kvmalloc."""
    from kernel.api.slab import kvmalloc_node
    return kvmalloc_node(k, size, 0, -1)


def _buf_free(k: "Kernel", buf: int) -> None:
    k.slab.kfree(buf)


# --- output into the buffer ---------------------------------------------------------------------
def _set_overflow(s: _Seq) -> None:
    s.set("count", s.get("size_"))


def _emit(k: "Kernel", m: int, data: bytes) -> bool:
    """Append DATA if it fits with a byte to spare, else mark the overflow; True if stored."""
    s = _Seq(k, m)
    count = s.get("count")
    if count + len(data) < s.get("size_"):
        k.mem.write(s.get("buf") + count, data)
        s.set("count", count + len(data))
        return True
    _set_overflow(s)
    return False


def _vprintf(k: "Kernel", m: int, fmt: int, next_arg: NextArg) -> None:
    """seq_vprintf(): the formatted text if it fits with its NUL, else an overflow."""
    s = _Seq(k, m)
    count, size = s.get("count"), s.get("size_")
    data = vsnprintf(k, k.mem.cstr(fmt, 1 << 16), next_arg).encode("latin-1", "replace")
    if count < size:
        room = size - count
        k.mem.write(s.get("buf") + count, data[:room - 1] + b"\0")
        if count + len(data) < size:
            s.set("count", count + len(data))
            return
    _set_overflow(s)


@kapi(variadic=True)
def seq_printf(k: "Kernel", m: int, fmt: int, va: VarArgs) -> None:
    _vprintf(k, m, fmt, va.next)


@kapi()
def seq_vprintf(k: "Kernel", m: int, fmt: int, args: int) -> None:
    _vprintf(k, m, fmt, VaList(k.mem, args).next)


@kapi()
def seq_puts(k: "Kernel", m: int, s: int) -> None:
    _emit(k, m, k.mem.cstr(s, 1 << 20).encode("latin-1"))


@kapi()
def seq_escape(k: "Kernel", m: int, s: int, esc: int) -> None:
    """S with every byte found in ESC written as \\ooo (string_escape_str(ESCAPE_OCTAL));
    an overflow when it does not fit."""
    text = k.mem.cstr(s, 1 << 20).encode("latin-1", "replace")
    only = set(k.mem.cstr(esc, 256).encode("latin-1", "replace")) if esc else set()
    _emit(k, m, b"".join(b"\\%03o" % c if c in only else bytes([c]) for c in text))


@kapi()
def seq_putc(k: "Kernel", m: int, c: int) -> None:
    s = _Seq(k, m)
    count = s.get("count")
    if count < s.get("size_"):
        k.mem.set_u8(s.get("buf") + count, c & 0xFF)
        s.set("count", count + 1)


@kapi()
def seq_write(k: "Kernel", m: int, data: int, length: int) -> int:
    return 0 if _emit(k, m, k.mem.read(data, length)) else -1


def _put_decimal(k: "Kernel", m: int, delim: int, text: str) -> None:
    prefix = k.mem.cstr(delim, 256) if delim else ""
    _emit(k, m, (prefix + text).encode("latin-1"))


@kapi()
def seq_put_decimal_ull(k: "Kernel", m: int, delim: int, num: int) -> None:
    _put_decimal(k, m, delim, str(num & MASK64))


@kapi()
def seq_put_decimal_ll(k: "Kernel", m: int, delim: int, num: int) -> None:
    _put_decimal(k, m, delim, str(s64(num)))


@kapi()
def seq_pad(k: "Kernel", m: int, c: int) -> None:
    """Pad with spaces up to pad_until, then put C (if not NUL)."""
    s = _Seq(k, m)
    size = s.get("pad_until") - s.get("count")
    if 0 < size <= (1 << 30):
        _emit(k, m, b" " * size)
    if c & 0xFF:
        seq_putc(k, m, c)


# --- iterating list_heads ----------------------------------------------------------------------
_SPIN_BATCH = 1 << 20    # list steps of a ring walked for good, charged at once
_SPIN_BATCHES = 1000     # ~13 min of virtual time at most (watchdog_thresh=0)


@kapi()
def seq_list_start(k: "Kernel", head: int, pos: int) -> int:
    """The POSth entry of HEAD's list, or NULL past its end. On a ring that never comes back
    to HEAD, 4.19's loop keeps the CPU for good: its time passes on the clock until the
    soft lockup the watchdog then reports."""
    lh = k.mem.u64(head)
    n = s64(pos)
    seen: set[int] = set()
    while lh != head:
        if n == 0:
            return lh
        if lh in seen:
            for _ in range(_SPIN_BATCHES):     # bounded where no watchdog would report it
                if k.watchdog.pending is not None or not k.watchdog.costs:
                    break
                cost.spend(k, "list_step", _SPIN_BATCH)
            return 0
        seen.add(lh)
        n -= 1
        lh = k.mem.u64(lh)
    return 0


@kapi()
def seq_list_start_head(k: "Kernel", head: int, pos: int) -> int:
    if not s64(pos):
        return head
    return seq_list_start(k, head, s64(pos) - 1)


@kapi()
def seq_list_next(k: "Kernel", v: int, head: int, ppos: int) -> int:
    k.mem.set_u64(ppos, k.mem.u64(ppos) + 1)
    nxt = k.mem.u64(v)
    return 0 if nxt == head else nxt


# --- open and release ------------------------------------------------------------------------
@kapi()
def seq_open(k: "Kernel", file: int, op: int) -> int:
    mem = k.mem
    if mem.u64(file + File.private_data.offset):
        k.warn_at(WARN_SEQ_OPEN)
    m = k.slab.kmalloc(SeqFile.size, zero=True)
    if not m:
        return -Errno.ENOMEM
    mem.set_u64(file + File.private_data.offset, m)
    mem.set_u64(_f(m, "op"), op)
    mem.set_u64(_f(m, "file"), file)
    mem.set_u64(file + File.f_version.offset, 0)
    mem.set_u32(file + File.f_mode.offset, mem.u32(file + File.f_mode.offset) & ~FMODE_PWRITE)
    return 0


@kapi()
def seq_release(k: "Kernel", inode: int, file: int) -> int:
    m = k.mem.u64(file + File.private_data.offset)
    if m:
        _buf_free(k, k.mem.u64(_f(m, "buf")))
        k.slab.kfree(m)
    return 0


@kapi()
def single_start(k: "Kernel", m: int, pos: int) -> int:
    return 0 if k.mem.u64(pos) else SEQ_START_TOKEN


@kapi()
def single_next(k: "Kernel", m: int, v: int, pos: int) -> int:
    k.mem.set_u64(pos, k.mem.u64(pos) + 1)
    return 0


@kapi()
def single_stop(k: "Kernel", m: int, v: int) -> None:
    pass


@kapi()
def single_open(k: "Kernel", file: int, show: int, data: int) -> int:
    op = k.slab.kmalloc(SeqOperations.size)
    if not op:
        return -Errno.ENOMEM
    for name, fn in zip(_OPS, ("single_start", "single_stop", "single_next", None)):
        addr = show if fn is None else k.cpu.stub_by_name[fn].addr
        k.mem.set_u64(op + getattr(SeqOperations, name).offset, addr)
    res = s32(seq_open(k, file, op))
    if res:
        k.slab.kfree(op)
        return res
    k.mem.set_u64(_f(k.mem.u64(file + File.private_data.offset), "private"), data)
    return 0


@kapi()
def single_open_size(k: "Kernel", file: int, show: int, data: int, size: int) -> int:
    buf = _buf_alloc(k, size)
    if not buf:
        return -Errno.ENOMEM
    ret = s32(single_open(k, file, show, data))
    if ret:
        _buf_free(k, buf)
        return ret
    m = k.mem.u64(file + File.private_data.offset)
    k.mem.set_u64(_f(m, "buf"), buf)
    k.mem.set_u64(_f(m, "size_"), size)
    return 0


@kapi()
def single_release(k: "Kernel", inode: int, file: int) -> int:
    m = k.mem.u64(file + File.private_data.offset)
    op = k.mem.u64(_f(m, "op")) if m else 0
    seq_release(k, inode, file)
    k.slab.kfree(op)
    return 0


@kapi("__seq_open_private")
def seq_open_private_(k: "Kernel", file: int, ops: int, psize: int) -> int:
    private = k.slab.kmalloc(s32(psize), zero=True)     # an int psize, taken as a size_t
    if not private:
        return 0
    if s32(seq_open(k, file, ops)):
        k.slab.kfree(private)
        return 0
    k.mem.set_u64(_f(k.mem.u64(file + File.private_data.offset), "private"), private)
    return private


@kapi()
def seq_open_private(k: "Kernel", file: int, ops: int, psize: int) -> int:
    return 0 if seq_open_private_(k, file, ops, psize) else -Errno.ENOMEM


@kapi()
def seq_release_private(k: "Kernel", inode: int, file: int) -> int:
    m = k.mem.u64(file + File.private_data.offset)
    if m:
        k.slab.kfree(k.mem.u64(_f(m, "private")))
        k.mem.set_u64(_f(m, "private"), 0)
    return seq_release(k, inode, file)


# --- reading -------------------------------------------------------------------------------------
def _traverse(k: "Kernel", s: _Seq, offset: int) -> int:
    """Position the iterator at byte OFFSET by showing records from the start."""
    s.set("version", 0)
    s.set("count", 0)
    s.set("from_", 0)
    if not offset:
        s.set("index", 0)
        return 0
    if not s.get("buf") and not s.alloc_buf(PAGE_SIZE):
        return -Errno.ENOMEM
    index = k.slab.kmalloc(8, zero=True)
    try:
        pos, error = 0, 0
        p = s.start(index)
        while p:
            error = _ptr_err(p)
            if _is_err(p):
                break
            error = s.show(p)
            if error < 0:
                break
            if error:
                error = 0
                s.set("count", 0)
            if s.overflowed():
                s.stop(p)
                s.free_buf()
                s.set("count", 0)
                return -Errno.EAGAIN if s.alloc_buf(s.get("size_") << 1) else -Errno.ENOMEM
            count = s.get("count")
            if pos + count > offset:
                s.set("from_", offset - pos)
                s.set("count", count - (offset - pos))
                break
            pos += count
            s.set("count", 0)
            if pos == offset:
                k.mem.set_u64(index, k.mem.u64(index) + 1)
                break
            p = s.next(p, index)
        s.stop(p)
        s.set("index", k.mem.u64(index))
        return error
    finally:
        k.slab.kfree(index)


def _copy_out(k: "Kernel", dst: int, src: int, n: int) -> bool:
    from kernel.api.uaccess import copy_to_user
    return n == 0 or copy_to_user(k, dst, src, n) == 0


@kapi()
def seq_read(k: "Kernel", file: int, buf: int, size: int, ppos: int) -> int:
    """Copy the records of the seq_file behind FILE to BUF, showing more as needed."""
    mem = k.mem
    s = _Seq(k, mem.u64(file + File.private_data.offset))
    copied, err = 0, 0
    s.set("version", mem.u64(file + File.f_version.offset))
    pos = mem.s64(ppos)
    if pos == 0:                          # a read from 0 restarts the iterator
        s.set("index", 0)
        s.set("version", 0)
        s.set("count", 0)
    if pos != s64(s.get("read_pos")):
        while (err := _traverse(k, s, pos)) == -Errno.EAGAIN:
            pass
        if err:
            for name in ("read_pos", "version", "index", "count"):
                s.set(name, 0)
            return _done(k, s, file, ppos, 0, err)
        s.set("read_pos", pos)
    if not s.get("buf") and not s.alloc_buf(PAGE_SIZE):
        return -Errno.ENOMEM
    index = _f(s.m, "index")
    if s.get("count"):                    # what the last read left in the buffer goes first
        n = min(s.get("count"), size)
        if not _copy_out(k, buf, s.get("buf") + s.get("from_"), n):
            return _done(k, s, file, ppos, copied, -Errno.EFAULT)
        s.set("count", s.get("count") - n)
        s.set("from_", s.get("from_") + n)
        size -= n
        buf += n
        copied += n
        if not s.get("count"):
            s.set("from_", 0)
            s.set("index", s.get("index") + 1)
        if not size:
            return _done(k, s, file, ppos, copied, err)
    s.set("from_", 0)
    p = s.start(index)
    while True:                           # at least one record in the buffer
        err = _ptr_err(p)
        if not p or _is_err(p):
            break
        err = s.show(p)
        if err < 0:
            break
        if err:
            s.set("count", 0)
        if not s.get("count"):
            p = s.next(p, index)
            continue
        if s.get("count") < s.get("size_"):
            return _fill(k, s, file, buf, size, ppos, p, copied)
        s.stop(p)                         # the record did not fit: a bigger buffer, again
        s.free_buf()
        s.set("count", 0)
        if not s.alloc_buf(s.get("size_") << 1):
            return _done(k, s, file, ppos, copied, -Errno.ENOMEM)
        s.set("version", 0)
        p = s.start(index)
    s.stop(p)
    s.set("count", 0)
    return _done(k, s, file, ppos, copied, err)


def _fill(k: "Kernel", s: _Seq, file: int, buf: int, size: int, ppos: int, p: int,
          copied: int) -> int:
    """More records while they fit the buffer and the reader wants more."""
    index = _f(s.m, "index")
    err = 0
    while True:
        offs, before = s.get("count"), s.get("index")
        p = s.next(p, index)
        if before == s.get("index"):      # a buggy ->next that did not move on
            s.set("index", before + 1)
        if not p or _is_err(p):
            err = _ptr_err(p)
            break
        if s.get("count") >= size:
            break
        err = s.show(p)
        if s.overflowed() or err:
            s.set("count", offs)
            if err <= 0:
                break
    s.stop(p)
    n = min(s.get("count"), size)
    if not _copy_out(k, buf, s.get("buf"), n):
        return _done(k, s, file, ppos, copied, -Errno.EFAULT)
    copied += n
    s.set("count", s.get("count") - n)
    s.set("from_", n)
    return _done(k, s, file, ppos, copied, err)


def _done(k: "Kernel", s: _Seq, file: int, ppos: int, copied: int, err: int) -> int:
    mem = k.mem
    if not copied:
        copied = err
    else:
        mem.set_u64(ppos, mem.u64(ppos) + copied)
        s.set("read_pos", s.get("read_pos") + copied)
    mem.set_u64(file + File.f_version.offset, s.get("version"))
    return copied


@kapi()
def seq_lseek(k: "Kernel", file: int, offset: int, whence: int) -> int:
    """SEEK_SET and SEEK_CUR: move to a byte offset by re-showing records."""
    mem = k.mem
    s = _Seq(k, mem.u64(file + File.private_data.offset))
    offset, whence = s64(offset), s32(whence)
    fpos = file + File.f_pos.offset
    if whence == 1:
        offset += mem.s64(fpos)
    elif whence != 0:
        return -Errno.EINVAL
    if offset < 0:
        return -Errno.EINVAL
    if offset != s64(s.get("read_pos")):
        while (ret := _traverse(k, s, offset)) == -Errno.EAGAIN:
            pass
        if ret:
            mem.set_u64(fpos, 0)
            s.set("read_pos", 0)
            s.set("version", 0)
            s.set("index", 0)
            s.set("count", 0)
            return ret
        s.set("read_pos", offset)
        mem.set_u64(fpos, offset)
    mem.set_u64(file + File.f_version.offset, s.get("version"))
    return offset
