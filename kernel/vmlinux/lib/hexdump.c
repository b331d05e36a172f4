// SPDX-License-Identifier: GPL-2.0
/*
 * klpsh vmlinux: hex dumps in the layout of 4.19's lib/hexdump.c: groups of
 * GROUPSIZE bytes (1, 2, 4 or 8, read little-endian) separated by spaces,
 * then, if asked, the printable bytes from column rowsize * 2 +
 * rowsize / groupsize + 1.
 */
#include <linux/kernel.h>
#include <linux/ctype.h>
#include <linux/printk.h>
#include <linux/export.h>

const char hex_asc[] = "0123456789abcdef";
EXPORT_SYMBOL(hex_asc);
const char hex_asc_upper[] = "0123456789ABCDEF";
EXPORT_SYMBOL(hex_asc_upper);

int hex_to_bin(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch = tolower(ch);
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}
EXPORT_SYMBOL(hex_to_bin);

static u64 klpsh_group(const u8 *p, int groupsize)
{
	u64 v = 0;
	int i;

	for (i = groupsize - 1; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

int hex_dump_to_buffer(const void *buf, size_t len, int rowsize, int groupsize,
		       char *linebuf, size_t linebuflen, bool ascii)
{
	const u8 *ptr = buf;
	int ngroups, i, j, lx = 0, ascii_column;

	if (rowsize != 16 && rowsize != 32)
		rowsize = 16;
	if (len > rowsize)
		len = rowsize;
	if (groupsize != 1 && groupsize != 2 && groupsize != 4 && groupsize != 8)
		groupsize = 1;
	if (len % groupsize)
		groupsize = 1;
	ngroups = len / groupsize;
	ascii_column = rowsize * 2 + rowsize / groupsize + 1;
	if (!linebuflen)
		return 0;
	linebuf[0] = '\0';
	for (j = 0; j < ngroups; j++) {
		u64 v = klpsh_group(ptr + j * groupsize, groupsize);

		for (i = groupsize * 2 - 1; i >= 0; i--) {
			if (lx + 1 >= linebuflen)
				goto out;
			linebuf[lx++] = hex_asc[(v >> (i * 4)) & 0xf];
		}
		if (j + 1 < ngroups) {
			if (lx + 1 >= linebuflen)
				goto out;
			linebuf[lx++] = ' ';
		}
	}
	if (ascii) {
		while (lx < ascii_column && lx + 1 < linebuflen)
			linebuf[lx++] = ' ';
		for (j = 0; j < len && lx + 1 < linebuflen; j++)
			linebuf[lx++] = (isascii(ptr[j]) && isprint(ptr[j])) ? ptr[j] : '.';
	}
out:
	linebuf[lx] = '\0';
	return lx;
}
EXPORT_SYMBOL(hex_dump_to_buffer);

void print_hex_dump(const char *level, const char *prefix_str, int prefix_type,
		    int rowsize, int groupsize, const void *buf, size_t len, bool ascii)
{
	const u8 *ptr = buf;
	size_t i, linelen, remaining = len;
	char linebuf[32 * 3 + 2 + 32 + 1];

	if (rowsize != 16 && rowsize != 32)
		rowsize = 16;
	for (i = 0; i < len; i += rowsize) {
		linelen = min(remaining, (size_t)rowsize);
		remaining -= rowsize;
		hex_dump_to_buffer(ptr + i, linelen, rowsize, groupsize, linebuf, sizeof(linebuf),
				   ascii);
		switch (prefix_type) {
		case DUMP_PREFIX_ADDRESS:
			printk("%s%s%p: %s\n", level, prefix_str, ptr + i, linebuf);
			break;
		case DUMP_PREFIX_OFFSET:
			printk("%s%s%.8zx: %s\n", level, prefix_str, i, linebuf);
			break;
		default:
			printk("%s%s%s\n", level, prefix_str, linebuf);
			break;
		}
	}
}
EXPORT_SYMBOL(print_hex_dump);
