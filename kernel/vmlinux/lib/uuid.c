// SPDX-License-Identifier: GPL-2.0
/*
 * klpsh vmlinux: random (version 4, variant 1) UUIDs and GUIDs, as 4.19's
 * lib/uuid.c makes them, and the null ones.
 */
#include <linux/uuid.h>
#include <linux/random.h>
#include <linux/export.h>

const guid_t guid_null;
EXPORT_SYMBOL(guid_null);
const uuid_t uuid_null;
EXPORT_SYMBOL(uuid_null);

/* a random UUID in big-endian byte order: version 4 in byte 6, variant 10x in byte 8 */
void generate_random_uuid(unsigned char uuid[16])
{
	get_random_bytes(uuid, 16);
	uuid[6] = (uuid[6] & 0x0F) | 0x40;
	uuid[8] = (uuid[8] & 0x3F) | 0x80;
}
EXPORT_SYMBOL(generate_random_uuid);

/* the same for a GUID, whose version sits in byte 7 (its third field is little-endian) */
void guid_gen(guid_t *lu)
{
	get_random_bytes(lu, sizeof(guid_t));
	lu->b[7] = (lu->b[7] & 0x0F) | 0x40;
	lu->b[8] = (lu->b[8] & 0x3F) | 0x80;
}
EXPORT_SYMBOL_GPL(guid_gen);

void uuid_gen(uuid_t *bu)
{
	get_random_bytes(bu, sizeof(uuid_t));
	bu->b[6] = (bu->b[6] & 0x0F) | 0x40;
	bu->b[8] = (bu->b[8] & 0x3F) | 0x80;
}
EXPORT_SYMBOL_GPL(uuid_gen);
