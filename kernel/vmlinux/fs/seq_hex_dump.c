// SPDX-License-Identifier: GPL-2.0
/* klpsh vmlinux: seq_hex_dump(), print_hex_dump()'s lines into a seq_file (fs/seq_file.c). */
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/seq_file.h>
#include <linux/export.h>

void seq_hex_dump(struct seq_file *m, const char *prefix_str, int prefix_type, int rowsize,
		  int groupsize, const void *buf, size_t len, bool ascii)
{
	const u8 *ptr = buf;
	size_t i, linelen, remaining = len;
	char line[32 * 3 + 2 + 32 + 1];

	if (rowsize != 16 && rowsize != 32)
		rowsize = 16;
	for (i = 0; i < len; i += rowsize) {
		linelen = min(remaining, (size_t)rowsize);
		remaining -= rowsize;
		hex_dump_to_buffer(ptr + i, linelen, rowsize, groupsize, line, sizeof(line), ascii);
		switch (prefix_type) {
		case DUMP_PREFIX_ADDRESS:
			seq_printf(m, "%s%p: %s\n", prefix_str, ptr + i, line);
			break;
		case DUMP_PREFIX_OFFSET:
			seq_printf(m, "%s%.8zx: %s\n", prefix_str, i, line);
			break;
		default:
			seq_printf(m, "%s%s\n", prefix_str, line);
			break;
		}
	}
}
EXPORT_SYMBOL(seq_hex_dump);
