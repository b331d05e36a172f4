// SPDX-License-Identifier: GPL-2.0
/*
 * "Reading and writing files from the kernel", as old tutorials do it on
 * 4.x: filp_open() a file (made with O_CREAT), kernel_write() to it,
 * vfs_read() into a kernel buffer between get_fs()/set_fs(KERNEL_DS) and
 * set_fs(old_fs), and what goes wrong without set_fs() or on a bad path.
 * The file is PATH (a module parameter, /tmp/kfile.txt by default); with
 * leak_fs=1 init returns with KERNEL_DS still set, which 4.19 does not let
 * insmod take back to user space.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/fs.h>
#include <linux/err.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/kthread.h>
#include <linux/completion.h>
#include <asm/uaccess.h>

static char *path = "/tmp/kfile.txt";
module_param(path, charp, 0444);
static char *text = "hello from the kernel";
module_param(text, charp, 0444);
static bool leak_fs;
module_param(leak_fs, bool, 0444);

static DECLARE_COMPLETION(reader_done);

static void try_open(const char *name, int flags)
{
	struct file *f = filp_open(name, flags, 0600);

	if (IS_ERR(f)) {
		pr_info("open %s: %ld\n", name, PTR_ERR(f));
		return;
	}
	pr_info("open %s: ok\n", name);
	filp_close(f, NULL);
}

static int reader(void *data)
{
	char buf[32] = "";
	loff_t pos = 0;
	struct file *f = filp_open(path, O_RDONLY, 0);
	ssize_t n;

	if (IS_ERR(f)) {
		pr_info("kthread: open: %ld\n", PTR_ERR(f));
		complete(&reader_done);
		return 0;
	}
	/* a kernel thread runs with KERNEL_DS: no set_fs() needed */
	n = vfs_read(f, buf, sizeof(buf) - 1, &pos);
	pr_info("kthread: uaccess_kernel %d, vfs_read %zd: %s", uaccess_kernel(), n,
		n > 0 ? buf : "\n");
	filp_close(f, NULL);
	complete(&reader_done);
	return 0;
}

static int __init kfile_demo_init(void)
{
	struct file *f;
	mm_segment_t old_fs;
	char *buf;
	loff_t pos = 0, size = 0;
	ssize_t n;
	void *whole = NULL;
	int rc;

	f = filp_open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (IS_ERR(f)) {
		pr_info("cannot create %s: %ld\n", path, PTR_ERR(f));
		return PTR_ERR(f);
	}
	n = kernel_write(f, text, strlen(text), &pos);
	n += kernel_write(f, "\n", 1, &pos);
	pr_info("wrote %zd bytes, pos %lld, i_size %lld\n", n, pos, i_size_read(file_inode(f)));
	filp_close(f, NULL);

	buf = kzalloc(64, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	f = filp_open(path, O_RDONLY, 0);
	if (IS_ERR(f)) {
		kfree(buf);
		return PTR_ERR(f);
	}
	/* insmod's task has USER_DS: a kernel buffer is not user memory */
	pos = 0;
	pr_info("vfs_read without set_fs: %zd\n", vfs_read(f, buf, 63, &pos));
	old_fs = get_fs();
	set_fs(KERNEL_DS);
	n = vfs_read(f, buf, 63, &f->f_pos);
	set_fs(old_fs);
	pr_info("vfs_read with KERNEL_DS: %zd: %s", n, buf);
	pr_info("back to USER_DS: %d\n", segment_eq(get_fs(), USER_DS));
	pr_info("llseek: %lld\n", vfs_llseek(f, 6, SEEK_SET));
	memset(buf, 0, 64);
	n = kernel_read(f, buf, 4, &f->f_pos);
	pr_info("kernel_read at 6: %zd: %s\n", n, buf);
	pr_info("llseek end: %lld, bad whence: %lld\n", vfs_llseek(f, 0, SEEK_END),
		vfs_llseek(f, 0, 42));
	pr_info("write to a read-only file: %zd\n", kernel_write(f, "x", 1, &pos));
	filp_close(f, NULL);

	f = filp_open("/proc/version", O_RDONLY, 0);
	if (!IS_ERR(f)) {
		memset(buf, 0, 64);
		pos = 0;
		n = kernel_read(f, buf, 13, &pos);
		pr_info("/proc/version: %zd: %s\n", n, buf);
		filp_close(f, NULL);
	}
	rc = kernel_read_file_from_path(path, &whole, &size, 0, READING_UNKNOWN);
	pr_info("kernel_read_file_from_path: %d, size %lld\n", rc, size);
	if (!rc)
		vfree(whole);
	kfree(buf);

	try_open("/nonexistent", O_RDONLY);
	try_open("/nodir/file", O_WRONLY | O_CREAT);
	try_open("/tmp", O_WRONLY);
	try_open("/tmp", O_RDONLY);
	try_open(path, O_WRONLY | O_CREAT | O_EXCL);
	try_open("/proc/newfile", O_WRONLY | O_CREAT);
	try_open("/sys/kernel/livepatch", O_RDWR);
	try_open("/dev/null", O_WRONLY);

	if (IS_ERR(kthread_run(reader, NULL, "kfile_reader")))
		return -ENOMEM;
	wait_for_completion(&reader_done);
	if (leak_fs)
		set_fs(KERNEL_DS);	/* the bug: insmod goes back to user space with it */
	return 0;
}

static void __exit kfile_demo_exit(void)
{
}

module_init(kfile_demo_init);
module_exit(kfile_demo_exit);
MODULE_LICENSE("GPL");
