// SPDX-License-Identifier: GPL-2.0
/*
 * klpsh vmlinux: the boot command line shown by /proc/cmdline.  Not
 * exported.  The Python kernel may rewrite the buffer, or point
 * saved_command_line at a string of its own.
 */
#include <linux/init.h>

#define COMMAND_LINE_SIZE 2048

static char klpsh_boot_command_line[COMMAND_LINE_SIZE] =
	"BOOT_IMAGE=/boot/vmlinuz-4.19.0-klpsh root=/dev/vda1 ro quiet";

char *saved_command_line = klpsh_boot_command_line;
