// SPDX-License-Identifier: GPL-2.0
/*
 * Static keys behind a misc device, and the small helpers tutorials use:
 * /dev/keys_demo reads "on"/"off" (the key's branch taken or not) and takes
 * "enable", "disable", "inc", "dec" (static_branch_*), naming itself by
 * file_path(); init parses its options with memparse, get_options and
 * sysfs_match_string, and holds the insmod task_struct (get_task_struct)
 * until exit, which reads its comm after that task has long exited.
 */
#include <linux/module.h>
#include <linux/miscdevice.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/sched/task.h>
#include <linux/jump_label.h>

static DEFINE_STATIC_KEY_FALSE(demo_key);
static DEFINE_STATIC_KEY_TRUE(default_on);
static struct task_struct *loader;
static char *size = "64K";
module_param(size, charp, 0444);
static char *list = "1,3-6,9";
module_param(list, charp, 0444);
static char *mode = "dec\n";
module_param(mode, charp, 0444);

static const char * const commands[] = { "enable", "disable", "inc", "dec" };

static ssize_t keys_read(struct file *f, char __user *buf, size_t len, loff_t *pos)
{
	char *path = kmalloc(PATH_MAX, GFP_KERNEL);
	const char *state = static_branch_unlikely(&demo_key) ? "on\n" : "off\n";
	ssize_t ret;

	pr_info("read %s: count %d, default_on %d\n", file_path(f, path, PATH_MAX),
		static_key_count(&demo_key.key), static_branch_likely(&default_on));
	kfree(path);
	ret = simple_read_from_buffer(buf, len, pos, state, strlen(state));
	return ret;
}

static ssize_t keys_write(struct file *f, const char __user *ubuf, size_t len, loff_t *pos)
{
	char cmd[16];
	int i;

	if (len >= sizeof(cmd))
		return -EINVAL;
	if (copy_from_user(cmd, ubuf, len))
		return -EFAULT;
	cmd[len] = '\0';
	i = sysfs_match_string(commands, cmd);
	switch (i) {
	case 0: static_branch_enable(&demo_key); break;
	case 1: static_branch_disable(&demo_key); break;
	case 2: static_branch_inc(&demo_key); break;
	case 3: static_branch_dec(&demo_key); break;
	default: return i;
	}
	pr_info("%s: count now %d\n", commands[i], static_key_count(&demo_key.key));
	return len;
}

static const struct file_operations keys_fops = {
	.owner = THIS_MODULE,
	.read = keys_read,
	.write = keys_write,
};

static struct miscdevice keys_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "keys_demo",
	.fops = &keys_fops,
	.mode = 0666,
};

static int __init keys_init(void)
{
	int ints[8], i;
	char *rest;
	unsigned long long bytes = memparse(size, &rest);

	pr_info("size %s = %llu bytes, rest '%s'\n", size, bytes, rest);
	get_options(list, ARRAY_SIZE(ints), ints);
	for (i = 1; i <= ints[0]; i++)
		pr_info("list[%d] = %d\n", i - 1, ints[i]);
	pr_info("mode %d, match_string %d, PATH_MAX %d, NAME_MAX %d\n",
		sysfs_match_string(commands, mode), match_string(commands, 4, "inc"),
		PATH_MAX, NAME_MAX);
	loader = get_task_struct(current);
	pr_info("holding %s (pid %d, parent %d)\n", loader->comm, task_pid_nr(loader),
		task_ppid_nr(loader));
	return misc_register(&keys_dev);
}

static void __exit keys_exit(void)
{
	misc_deregister(&keys_dev);
	pr_info("still holding %s (pid %d)\n", loader->comm, loader->pid);
	put_task_struct(loader);
}

module_init(keys_init);
module_exit(keys_exit);
MODULE_LICENSE("GPL");
