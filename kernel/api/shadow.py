"""linux/livepatch.h shadow variable API."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.api import kapi
from kernel.livepatch import shadow

if TYPE_CHECKING:
    from kernel.machine import Kernel


@kapi()
def klp_shadow_get(k: "Kernel", obj: int, id_: int) -> int:
    return shadow.klp_shadow_get(k.livepatch, obj, id_)


@kapi()
def klp_shadow_alloc(k: "Kernel", obj: int, id_: int, size: int, gfp: int, ctor: int, data: int) -> int:
    return shadow.klp_shadow_alloc(k.livepatch, obj, id_, size, gfp, ctor, data)


@kapi()
def klp_shadow_get_or_alloc(k: "Kernel", obj: int, id_: int, size: int, gfp: int, ctor: int,
                            data: int) -> int:
    return shadow.klp_shadow_get_or_alloc(k.livepatch, obj, id_, size, gfp, ctor, data)


@kapi()
def klp_shadow_free(k: "Kernel", obj: int, id_: int, dtor: int) -> None:
    shadow.klp_shadow_free(k.livepatch, obj, id_, dtor)


@kapi()
def klp_shadow_free_all(k: "Kernel", id_: int, dtor: int) -> None:
    shadow.klp_shadow_free_all(k.livepatch, id_, dtor)
