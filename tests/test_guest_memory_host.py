"""Guest memory as the host sees it: many machines side by side must not stop the process forking."""
import os

from kernel.mm import GuestMemory


def _vmflags(addr: int) -> set[str]:
    """The VmFlags of the host mapping holding ADDR (from /proc/self/smaps)."""
    inside = False
    with open("/proc/self/smaps") as f:
        for line in f:
            head = line.split()[0]
            if "-" in head and ":" not in head:
                lo, hi = (int(x, 16) for x in head.split("-"))
                inside = lo <= addr < hi
            elif inside and head == "VmFlags:":
                return set(line.split()[1:])
    raise AssertionError(f"no mapping holds {addr:#x}")


def test_guest_memory_is_not_charged_to_the_hosts_commit() -> None:
    mem = GuestMemory()
    try:
        assert "nr" in _vmflags(mem.host_addr)      # MAP_NORESERVE: only touched pages count
    finally:
        mem.close()


def test_fork_works_with_more_guest_memory_than_the_host_has() -> None:
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    mems = [GuestMemory() for _ in range(total // GuestMemory().size + 2)]
    try:
        pid = os.fork()
        if pid == 0:
            os._exit(0)
        assert os.waitpid(pid, 0)[1] == 0
    finally:
        for m in mems:
            m.close()
