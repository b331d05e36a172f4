// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs the way tutorials use it: a directory with value files of each
 * kind, a file with its own file_operations (a message buffer, data through
 * i_private and simple_open), a DEFINE_SIMPLE_ATTRIBUTE file whose setter
 * refuses odd numbers, a blob, a u32 array and a symbolic link.  With
 * leave=1 it "forgets" to remove its files at unload.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/uaccess.h>
#include <linux/string.h>
#include <linux/poll.h>

static bool leave;
module_param(leave, bool, 0444);

static struct dentry *dir;
static u8 v8 = 8;
static u16 v16 = 16;
static u32 v32 = 32;
static u64 v64 = 64;
static u32 hex32 = 0xbeef;
static u32 secret = 7;
static size_t vsize = 4096;
static atomic_t vatomic = ATOMIC_INIT(-5);
static bool flag = true;
static u32 numbers[] = { 1, 22, 333 };
static char blob_text[] = "raw bytes\n";
static struct debugfs_blob_wrapper blob = { .data = blob_text, .size = sizeof(blob_text) - 1 };

struct message {
	char text[64];
	size_t len;
};
static struct message msg = { .text = "hello from debugfs\n", .len = 19 };

static ssize_t msg_read(struct file *file, char __user *buf, size_t count, loff_t *ppos)
{
	struct message *m = file->private_data;

	return simple_read_from_buffer(buf, count, ppos, m->text, m->len);
}

static ssize_t msg_write(struct file *file, const char __user *buf, size_t count, loff_t *ppos)
{
	struct message *m = file->private_data;

	if (count >= sizeof(m->text))
		return -EINVAL;
	if (copy_from_user(m->text, buf, count))
		return -EFAULT;
	m->len = count;
	pr_info("debugfs_demo: message set (%zu bytes)\n", count);
	return count;
}

/* a message is always there to read */
static __poll_t msg_poll(struct file *file, struct poll_table_struct *wait)
{
	return EPOLLIN | EPOLLRDNORM;
}

static const struct file_operations msg_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = msg_read,
	.write = msg_write,
	.poll = msg_poll,
	.llseek = default_llseek,
};

static u64 even = 2;

static int even_get(void *data, u64 *val)
{
	*val = *(u64 *)data;
	return 0;
}

static int even_set(void *data, u64 val)
{
	if (val & 1)
		return -EINVAL;
	*(u64 *)data = val;
	return 0;
}
DEFINE_SIMPLE_ATTRIBUTE(even_fops, even_get, even_set, "%llu\n");

/* a DEFINE_DEBUGFS_ATTRIBUTE file: the value shown is twice what is stored */
static u64 half = 21;

static int twice_get(void *data, u64 *val)
{
	*val = *(u64 *)data * 2;
	return 0;
}

static int twice_set(void *data, u64 val)
{
	*(u64 *)data = val / 2;
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(twice_fops, twice_get, twice_set, "%llu\n");

/* a seq_file file: DEFINE_SHOW_ATTRIBUTE's single_open() with i_private as its data */
static int summary_show(struct seq_file *s, void *unused)
{
	struct message *m = s->private;

	seq_printf(s, "message: %zu bytes\n", m->len);
	seq_printf(s, "u32: %u\n", v32);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(summary);

static int __init debugfs_demo_init(void)
{
	struct dentry *sub, *found;

	dir = debugfs_create_dir("debugfs_demo", NULL);
	if (!dir)
		return -ENOMEM;
	debugfs_create_u8("u8", 0644, dir, &v8);
	debugfs_create_u16("u16", 0644, dir, &v16);
	debugfs_create_u32("u32", 0644, dir, &v32);
	debugfs_create_u64("u64", 0644, dir, &v64);
	debugfs_create_x32("x32", 0644, dir, &hex32);
	debugfs_create_u32("secret", 0400, dir, &secret);
	debugfs_create_size_t("size", 0444, dir, &vsize);
	debugfs_create_atomic_t("atomic", 0644, dir, &vatomic);
	debugfs_create_bool("flag", 0600, dir, &flag);
	debugfs_create_u32_array("numbers", 0444, dir, numbers, ARRAY_SIZE(numbers));
	debugfs_create_blob("blob", 0444, dir, &blob);
	debugfs_create_file("message", 0644, dir, &msg, &msg_fops);
	debugfs_create_file("even", 0644, dir, &even, &even_fops);
	debugfs_create_file_unsafe("twice", 0600, dir, &half, &twice_fops);
	debugfs_create_file("summary", 0444, dir, &msg, &summary_fops);
	debugfs_create_symlink("value", dir, "u32");
	sub = debugfs_create_dir("sub", dir);
	debugfs_create_u32("again", 0644, sub, &v32);
	found = debugfs_lookup("sub", dir);
	pr_info("debugfs_demo: duplicate u32: %s, lookup sub: %s (refs %d)\n",
		debugfs_create_u32("u32", 0644, dir, &v32) ? "created" : "NULL",
		found == sub ? "found" : "missing", sub->d_lockref.count);
	dput(found);
	return 0;
}

static void __exit debugfs_demo_exit(void)
{
	pr_info("debugfs_demo: u32 is %u, flag is %d, half is %llu\n", v32, flag, half);
	if (!leave)
		debugfs_remove_recursive(dir);
}

module_init(debugfs_demo_init);
module_exit(debugfs_demo_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("debugfs files of every kind");
