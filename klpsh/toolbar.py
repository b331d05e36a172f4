"""The REPL's bottom toolbar: uptime, modules, taint, and a livepatch transition's progress."""

from __future__ import annotations

from typing import TYPE_CHECKING

from prompt_toolkit.formatted_text import StyleAndTextTuples

from kernel.livepatch.transition import klp_transition_status

if TYPE_CHECKING:
    from kernel.machine import Kernel

MAX_BLOCKERS = 3  # tasks named in the toolbar; the rest are counted
# klp_try_switch_task's reasons, shortened for a status line.
_SHORT = (("is sleeping on function ", "in "), ("is running", "running"),
          ("has an unreliable stack", "unreliable stack"))


def uptime(kernel: "Kernel") -> str:
    """Machine time since boot, as /proc/uptime counts it."""
    return f"{kernel.clock.now / 1e9:.1f}s"


def status_line(kernel: "Kernel") -> tuple[str, str | None]:
    """(machine summary, transition progress or None), as plain text."""
    nmods = len(kernel.modules)
    clock = "real time" if kernel.clock.pacer is not None else "virtual clock"
    summary = (f" up {uptime(kernel)} {clock} | {nmods} module{'s' if nmods != 1 else ''}"
               f" | taint {''.join(sorted(kernel.taints)) or 'none'} ")
    lp = kernel.livepatch
    status = klp_transition_status(lp) if lp is not None else None
    if status is None:
        return summary, None
    named = [f"{t.comm}[{t.pid}] {_short(why)}" for t, why in status.blockers[:MAX_BLOCKERS]]
    more = len(status.blockers) - len(named)
    if more > 0:
        named.append(f"{more} more")
    waiting = f", waiting for {', '.join(named)}" if named else ""
    return summary, f" {status.patch}: {status.target} {status.switched}/{status.total} tasks{waiting} "


def _short(why: str) -> str:
    for long, short in _SHORT:
        if why.startswith(long):
            return short + why[len(long):]
    return why


def toolbar_fragments(kernel: "Kernel") -> StyleAndTextTuples:
    """The toolbar as prompt_toolkit fragments (redrawn every TOOLBAR_REFRESH seconds)."""
    try:
        summary, transition = status_line(kernel)
    except Exception:  # noqa: BLE001 - a toolbar must never take the prompt down
        return [("class:bottom-toolbar", " klpsh ")]
    if transition is None:
        return [("class:bottom-toolbar", summary)]
    # The transition first: a narrow terminal cuts the toolbar on the right.
    return [("class:bottom-toolbar.busy", transition), ("class:bottom-toolbar", "|" + summary)]
