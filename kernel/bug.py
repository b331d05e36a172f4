"""include/asm-generic/bug.h: the WARN*() sites of the kernel's own (host) code.

Each site is where 4.19 has its WARN: the file and line of 4.19.0 (read in v4.19 trees: 4.19.1
and 4.19-rc3 agree; later 4.19.y move some, e.g. kernel/livepatch/core.c, mm/percpu.c,
kernel/irq/manage.c, mm/page_alloc.c), the function holding it, whether it is a *_ONCE variant. Where another kernel has the WARN
elsewhere, its profile says so (KernelProfile.warn_moves, a WarnMove per moved site). WARN_ON(cond) prints no message line;
WARN(cond, fmt, ...) and WARN_ONCE print the formatted message first (the caller passes it).
"""

from __future__ import annotations

from kernel.record import RecordTuple


class WarnSite(RecordTuple):
    """One WARN*() of 4.19: where it is, and the host functions between it and the guest."""
    file: str
    line: int
    func: str                           # the function holding the WARN (a host slot)
    once: bool = False                  # WARN_ON_ONCE / WARN_ONCE: one report per machine
    ratelimit: bool = False             # WARN_RATELIMIT: ___ratelimit()'s 10 per 5 s
    callers: tuple[str, ...] = ()       # host functions that called FUNC, innermost first (the
                                        # call trace starts with its caller, as under a RIP)

    @property
    def key(self) -> str:
        """The site's __warned flag."""
        return f"warn:{self.file}:{self.line}"


class WarnMove(RecordTuple):
    """Where another kernel has a 4.19 WarnSite's WARN: its line, and its function if renamed."""
    line: int
    func: str | None = None

