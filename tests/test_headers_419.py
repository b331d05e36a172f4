"""The 4.19 headers a tutorial module includes, and what they give it: bit operations and
bitmaps (vmlinux's lib/find_bit.c, lib/bitmap.c), rwlocks, ioctl numbers, asm/errno.h."""

from __future__ import annotations

import re

import pytest

from conftest import S, needs_gcc, needs_kernel
from kernel.errno import Errno, KernelError

pytestmark = [needs_kernel, needs_gcc]


def test_bitops_bitmaps_rwlocks_and_ioctl_numbers(kernel, test_module):
    kernel.init_module(test_module("bitops_demo"), "")
    assert kernel.lines[-19:] == [
        "test_and_set_bit 100: 0 then 1",
        "test_and_clear_bit 100: 1 then 0",
        "test_bit 3=1 4=0 64=1",
        "set: 3", "set: 5", "set: 64", "set: 129",
        "first=3 first_zero=0 next(6)=64 last=129 weight=4",
        "clear in 0..7: 6; empty=1",
        "after zero: first=130 (size 130)",
        "ffs(0x50)=5 fls(0x50)=7 __ffs(0x50)=4 ffz(7)=3 hweight32=8 hweight64=64",
        "word=8000000000000000 order(5)=3",
        "write_trylock under a reader: 0",
        "read_trylock under the writer: 0",
        "write_trylock free: 1",
        "spin_is_locked=1 trylock=0",
        "after unlock: spin_is_locked=0",
        "ioctl: 0x6b00 0x80046b01 0x40086b02 0xc0186b03 nr=3 type=k size=24 dir=3",
        "errno: EAGAIN=11 ENOTTY=25 EOWNERDEAD=130",
    ]


def test_task_list_pids_utsname_time_signals_and_semaphores(kernel, test_module):
    """for_each_process over init_task.tasks, find_get_pid/pid_task, utsname(), the 32-bit
    time readers reached from <linux/module.h>, time64_to_tm, kref, a kthread that allowed
    SIGKILL (SIGUSR1 is ignored), complete_and_exit, and a semaphore between two tasks."""
    kernel.init_module(test_module("procs_demo"), "")
    lines = kernel.lines[-15:]
    users = sum(not t.is_kthread for t in kernel.sched.all_tasks()) + 1   # and insmod, gone
    m = re.fullmatch(r"tasks: (\d+), kernel threads: (\d+), me listed: 1, first: systemd", lines[0])
    assert m and int(m[1]) - int(m[2]) == users, lines[0]
    pid = re.fullmatch(r"pid (\d+) is insmod \(1\)", lines[3])
    assert pid and int(pid[1]) > 1
    assert lines[1:] == [
        "current: insmod parent of kthreadd: swapper/0 prio 120 nice 0",
        f"uname: Linux klpsh {kernel.release} x86_64",
        lines[3],
        "pid 99999 found: 0",
        "date 2018-10-22 00:00 wday 1 yday 294, same second: 1",
        "kref 2", "kref put 0", "kref released", "kref put 1",
        "O_NONBLOCK=04000 O_APPEND=02000 smp_processor_id=0",
        "worker: has the semaphore",
        "down_trylock while the worker holds it: 1",
        "after SIGUSR1 (not allowed): got_signal=0",
        "after SIGKILL: fatal=1, down_trylock=0",
    ]
    assert not any(t.comm == "procs_demo" for t in kernel.sched.all_tasks())   # it exited


def test_a_module_changing_nodename_changes_uname(kernel, build):
    kernel.init_module(build("uts_set", """
#include <linux/module.h>
#include <linux/utsname.h>
#include <linux/string.h>
static int __init uts_set_init(void)
{
	strscpy(utsname()->nodename, "patched", sizeof(utsname()->nodename));
	return 0;
}
module_init(uts_set_init);
MODULE_LICENSE("GPL");
"""), "")
    assert kernel.utsname().nodename == "patched"
    assert kernel.utsname().release == kernel.release


def test_notifier_chains_sort_ratelimit_hexdump_and_cred(kernel, test_module):
    """vmlinux's kernel/notifier.c (priority order, NOTIFY_STOP), lib/sort.c (heapsort),
    list_sort (stable), ratelimit (a burst of 10 per call site), hexdump's layout, cred."""
    kernel.init_module(test_module("lib_demo"), "")
    lines = kernel.lines[kernel.lines.index("first 1"):]
    assert lines == [
        "first 1", "second 1", "chain 1 -> 0x0",
        "first 2", "chain 2 -> 0x8001 errno -16",
        "unregister again: -2", "second 3",
        "sorted -3 0 8 17 17 42 99",
        "list_sort 12", "list_sort 10", "list_sort 19", "list_sort 31", "list_sort 35",
        "prev of head is 35",
        *(f"rl {i}" for i in range(10)),
        "hex 00000000: 4100 ff7f 2010                           .A... ",
        "00 41 7f",
        "hex_asc_hi(0xa5)=a lo=5 hex_to_bin('F')=15",
        "uid 0 euid 0 root 1",
    ]


def test_rbtree_kfifo_idr_and_hrtimers(kernel, test_module):
    """lib/rbtree.c under 200 random inserts and 100 erases (the invariants hold after each),
    kfifo (full at its power-of-two size, user copies fault cleanly), IDR ranges and IDA, and
    an hrtimer restarted with hrtimer_forward_now every 250 ms of the virtual clock."""
    kernel.init_module(test_module("ds_demo"), "")
    start = kernel.lines.index("rbtree: 100 nodes, 0 violations, black height 6, last 998")
    assert kernel.lines[start + 1:] == [
        "kfifo full at 8 (len 8)", "kfifo full at 9 (len 8)",
        "kfifo sum 140 empty 1 size 8",
        "kfifo alloc size 128 in 10",
        "kfifo to_user bad pointer: -14",
        "idr last -28, find 11 1, remove 10 1, empty 0",
        "idr entry 11",
        "ida 0 1 5",
        "hrtimer queued 1 active 1",
    ]
    # started just before it says so (its line's console time comes after: kernel/cost.py)
    t0 = next(r.ts_ns for r in kernel.printk.records if r.text.startswith("hrtimer queued"))
    kernel.sleep_for(2 * S)
    ticks = [r for r in kernel.printk.records if r.text.startswith("hrtimer tick")]
    assert [r.text for r in ticks] == [f"hrtimer tick {i} overruns 1" for i in range(1, 5)]
    # the first after 100 ms (and its callback's dispatch), then every 250 ms
    assert 100_000_000 <= ticks[0].ts_ns - t0 < 101_000_000
    assert [r.ts_ns - ticks[0].ts_ns for r in ticks] == [0, 250_000_000, 500_000_000, 750_000_000]
    kernel.delete_module("ds_demo")
    assert kernel.lines[-1] == "hrtimer cancel 0 after 4 ticks"


def test_per_cpu_variables_and_allocations(kernel, test_module):
    """DEFINE_PER_CPU data starts as its initializer on every CPU, per_cpu(v, 1) is its own
    copy, alloc_percpu is zeroed per CPU; rmmod and free_percpu give the room back."""
    from kernel.machine import NR_CPUS
    kernel.init_module(test_module("percpu_demo"), "")
    assert kernel.lines[-3:] == [
        "cpu 0: hits 16 bytes 4096",
        "cpu 1: hits 105 bytes 0",
        f"online {NR_CPUS} possible {NR_CPUS}: sum 121 total 3 this 1"]
    assert len(kernel.percpu.used) == 2              # the module's section, the allocation
    kernel.delete_module("percpu_demo")
    assert kernel.percpu.used == {} and kernel.percpu.free == [(0, kernel.percpu.free[0][1])]


PAGES_AND_USER_COPIES = r"""
#include <linux/module.h>
#include <linux/gfp.h>
#include <linux/kmod.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>
#include <linux/slab.h>
#include <asm/io.h>

static char last[32] = "none";

static int show(struct seq_file *m, void *v)
{
	static const u8 data[] = { 0xde, 0xad, 0xbe, 0xef, 'k' };

	seq_hex_dump(m, "d ", DUMP_PREFIX_NONE, 16, 1, data, sizeof(data), true);
	seq_printf(m, "last %s\n", last);
	return 0;
}

static int open(struct inode *inode, struct file *file)
{
	return single_open(file, show, NULL);
}

static ssize_t write(struct file *f, const char __user *buf, size_t len, loff_t *off)
{
	char *k = memdup_user_nul(buf, len);

	if (IS_ERR(k))
		return PTR_ERR(k);
	strscpy(last, strim(k), sizeof(last));
	kfree(k);
	return len;
}

static const struct file_operations fops = {
	.open = open, .read = seq_read, .write = write, .llseek = seq_lseek, .release = single_release,
};

static int __init pu_init(void)
{
	char *argv[] = { "/bin/true", NULL };
	unsigned long p = __get_free_pages(GFP_KERNEL, 2), z = get_zeroed_page(GFP_KERNEL);

	pr_info("pages aligned %d zero %d phys %d huge %lu\n", !(p & ((PAGE_SIZE << 2) - 1)),
		((char *)z)[4095] == 0, virt_to_phys((void *)z) == __pa(z),
		__get_free_pages(GFP_KERNEL | __GFP_NOWARN, 11));
	free_pages(p, 2);
	free_page(z);
	pr_info("umh %d modprobe %d\n", call_usermodehelper(argv[0], argv, NULL, UMH_WAIT_PROC),
		request_module("nothing-%d", 1));
	pr_info("memdup bad pointer %ld\n", PTR_ERR(memdup_user((void __user *)16, 4)));
	proc_create("pages_user", 0644, NULL, &fops);
	return 0;
}

static void __exit pu_exit(void)
{
	remove_proc_entry("pages_user", NULL);
}

module_init(pu_init);
module_exit(pu_exit);
MODULE_LICENSE("GPL");
"""


def test_pages_user_copies_seq_hex_dump_and_usermode_helpers(kernel, build):
    heap = kernel.heap.bytes_in_use
    kernel.init_module(build("pages_user", PAGES_AND_USER_COPIES), "")
    assert kernel.lines[-3:] == ["pages aligned 1 zero 1 phys 1 huge 0", "umh -2 modprobe -2",
                                 "memdup bad pointer -14"]
    kernel.fs.write("/proc/pages_user", "  hello  \n")
    assert kernel.fs.read("/proc/pages_user") == "d de ad be ef 6b                                   ....k\nlast hello\n"
    kernel.delete_module("pages_user")
    assert kernel.heap.bytes_in_use == heap


KOBJ_ATTRS = r"""
#include <linux/module.h>
#include <linux/kobject.h>
#include <linux/sysfs.h>

static int foo = 3, hidden;
static ssize_t foo_show(struct kobject *k, struct kobj_attribute *a, char *buf)
{
	return sprintf(buf, "%d\n", foo);
}
static ssize_t foo_store(struct kobject *k, struct kobj_attribute *a, const char *buf, size_t n)
{
	int ret = kstrtoint(buf, 10, &foo);

	return ret < 0 ? ret : n;
}
static ssize_t bar_show(struct kobject *k, struct kobj_attribute *a, char *buf)
{
	return sprintf(buf, "%s/%s\n", kobject_name(k->parent), kobject_name(k));
}
static struct kobj_attribute foo_attr = __ATTR(foo, 0664, foo_show, foo_store);
static struct kobj_attribute bar_attr = __ATTR_RO(bar);
static struct kobj_attribute hidden_attr = __ATTR(hidden, 0444, foo_show, NULL);
static struct attribute *attrs[] = { &bar_attr.attr, &hidden_attr.attr, NULL };
static umode_t visible(struct kobject *k, struct attribute *a, int i)
{
	return a == &hidden_attr.attr && !hidden ? 0 : a->mode;
}
static struct attribute_group group = { .name = "grp", .attrs = attrs, .is_visible = visible };
static struct kobject *kobj, *child;

static int __init ka_init(void)
{
	kobj = kobject_create_and_add("kobj_demo", kernel_kobj);
	child = kobject_create_and_add("child", kobj);
	pr_info("again: %p\n", kobject_create_and_add("kobj_demo", kernel_kobj));
	return sysfs_create_file(kobj, &foo_attr.attr) ?: sysfs_create_group(child, &group);
}
static void __exit ka_exit(void)
{
	sysfs_remove_group(child, &group);
	kobject_put(child);
	kobject_put(kobj);
}
module_init(ka_init);
module_exit(ka_exit);
MODULE_LICENSE("GPL");
"""


def test_kobjects_and_attribute_files_under_sys_kernel(kernel, build):
    heap = kernel.heap.bytes_in_use
    kernel.init_module(build("kobj_demo", KOBJ_ATTRS), "")
    assert "kobject_add_internal failed for kobj_demo with -EEXIST, don't try to register " \
           "things with the same name in the same directory." in kernel.lines
    base = "/sys/kernel/kobj_demo"
    assert kernel.fs.read(f"{base}/foo") == "3\n"
    kernel.fs.write(f"{base}/foo", "42\n")
    assert kernel.fs.read(f"{base}/foo") == "42\n"
    assert kernel.fs.read(f"{base}/child/grp/bar") == "kobj_demo/child\n"
    assert kernel.fs.listdir(f"{base}/child/grp") == ["bar"]        # is_visible hid one
    with pytest.raises(KernelError) as e:
        kernel.fs.write(f"{base}/foo", "x\n")
    assert e.value.errno == Errno.EINVAL
    kernel.delete_module("kobj_demo")
    assert not kernel.fs.exists(base)
    assert kernel.heap.bytes_in_use == heap
