"""/dev as devtmpfs (drivers/base/devtmpfs.c) and udev keep it: a node for every device
with a dev_t that device_add() makes, removed again by device_del().

A node is a character device FileNode: opening it runs chrdev_open (kernel.fs.char_dev),
which finds the driver by the node's i_rdev, or fails with ENXIO when no driver serves it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.fs import Dir
from kernel.fs.file import S_IFCHR, FileNode, attach_rw, new_inode

if TYPE_CHECKING:
    from kernel.machine import Kernel

DEFAULT_MODE = 0o600            # devtmpfs_create_node(): a device that names no mode
# What do_dentry_open() and chrdev_open() are, in a /dev open's stack
CHRDEV_VIA = {"open": "chrdev_open"}


class Devtmpfs:
    """The /dev tree of one Kernel."""

    def __init__(self, k: "Kernel") -> None:
        self.k = k
        self.root: Dir = k.vfs.root.mkdir("dev")
        self.nodes: dict[str, FileNode] = {}

    def create_node(self, name: str, mode: int, rdev: int) -> FileNode:
        """devtmpfs_create_node(): /dev/NAME (NAME may hold directories: "snd/ctl")."""
        *dirs, last = name.strip("/").split("/")
        parent = self.root.mkdir("/".join(dirs)) if dirs else self.root
        perms = (mode & 0o7777) or DEFAULT_MODE
        inode = new_inode(self.k, S_IFCHR | perms, rdev)
        node = attach_rw(self.k, FileNode(perms, name=last, inode=inode, ftype=S_IFCHR, rdev=rdev,
                                          get_fops=self.k.chrdevs.chrdev_open,
                                          via=dict(CHRDEV_VIA)))
        old = self.nodes.pop(name, None)
        if old is not None:
            self.k.slab.kfree(old.inode)
        parent.children[last] = node
        self.nodes[name] = node
        return node

    def delete_node(self, name: str) -> None:
        """devtmpfs_delete_node(): the node goes (an open file keeps its inode)."""
        node = self.nodes.pop(name, None)
        if node is None:
            return
        *dirs, last = name.strip("/").split("/")
        parent = self.root.mkdir("/".join(dirs)) if dirs else self.root
        if parent.children.get(last) is node:
            parent.remove(last)
        for depth in range(len(dirs), 0, -1):       # empty directories it made go too
            d = self.root.mkdir("/".join(dirs[:depth]))
            if d.children:
                break
            self.root.mkdir("/".join(dirs[:depth - 1])).remove(dirs[depth - 1])
