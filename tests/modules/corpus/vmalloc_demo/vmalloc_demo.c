/*
 * ch9/vmalloc_demo/vmalloc_demo.c
 * Simple kernel module to demo vmalloc(), vzalloc(), kvmalloc(), kcalloc(), krealloc().
 */
#define pr_fmt(fmt) "%s:%s(): " fmt, KBUILD_MODNAME, __func__

#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/mm.h>		/* kvmalloc() */
#include <linux/version.h>

MODULE_AUTHOR("Kaiwan N Billimoria");
MODULE_DESCRIPTION("LKP book:ch9/vmalloc_demo/: simple demo of vmalloc() and friends");
MODULE_LICENSE("Dual MIT/GPL");
MODULE_VERSION("0.1");

#define KVN_MIN_BYTES     16
#define DISP_BYTES        16

static void *vptr_rndm, *vptr_init, *kv, *kvarr, *vrx;
static int kvnum = 5 * 1024 * 1024;	// 5 MB
module_param(kvnum, int, 0644);
MODULE_PARM_DESC(kvnum, "number of bytes to allocate with the kvmalloc(); (defaults to 5 MB)");

static int vmalloc_try(void)
{
	unsigned int i;

	/* 1. vmalloc(); mem contents are random */
	vptr_rndm = vmalloc(10000);
	if (!vptr_rndm) {
		pr_warn("vmalloc failed\n");
		goto err_out1;
	}
	pr_info("1. vmalloc():   vptr_rndm = 0x%pK (actual=0x%px)\n", vptr_rndm, vptr_rndm);

	/* 2. vzalloc(); memory contents are set to zeroes */
	vptr_init = vzalloc(10000);
	if (!vptr_init) {
		pr_warn("vzalloc failed\n");
		goto err_out2;
	}
	pr_info("2. vzalloc():   vptr_init = 0x%pK (actual=0x%px)\n", vptr_init, vptr_init);
	print_hex_dump_bytes(" content: ", DUMP_PREFIX_NONE, vptr_init, DISP_BYTES);
	for (i = 0; i < 10000; i++)
		if (((char *)vptr_init)[i]) {
			pr_warn("vzalloc'ed memory not zeroed at %u\n", i);
			break;
		}

	/* 3. kvmalloc(): allocate 'kvnum' bytes with the kvmalloc(); if kvnum is
	 * large (well above 1 page), it will end up using vmalloc(); else
	 * it will be k[m|z]alloc()'ed
	 */
	if (kvnum < KVN_MIN_BYTES) {
		pr_info("kvnum must be >= %d bytes (curr it's %d bytes)\n", KVN_MIN_BYTES, kvnum);
		goto err_out3;
	}
	kv = kvmalloc(kvnum, GFP_KERNEL);
	if (!kv) {
		pr_warn("kvmalloc failed\n");
		goto err_out3;
	}
	pr_info("3. kvmalloc() :        kv = 0x%pK (actual=0x%px)\n"
		"    (for %d bytes)\n", kv, kv, kvnum);
	print_hex_dump_bytes(" content: ", DUMP_PREFIX_NONE, kv, KVN_MIN_BYTES);

	/* 4. kcalloc(): allocate an array of 1000 64-bit quantities and zero out the memory */
	kvarr = kvzalloc(1000 * sizeof(u64), GFP_KERNEL);
	if (!kvarr) {
		pr_warn("kvzalloc failed\n");
		goto err_out4;
	}
	pr_info("4. kvzalloc() :     kvarr = 0x%pK (actual=0x%px)\n", kvarr, kvarr);

#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 8, 0)
	/* 5. __vmalloc(): allocate some 42 pages and set protections to RO */
	vrx = __vmalloc(42 * PAGE_SIZE, GFP_KERNEL, PAGE_KERNEL_RO);
	if (!vrx) {
		pr_warn("__vmalloc failed\n");
		goto err_out5;
	}
	pr_info("5. __vmalloc():       vrx = 0x%pK (actual=0x%px)\n", vrx, vrx);
#endif
	return 0;		/* success */
#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 8, 0)
 err_out5:
	kvfree(kvarr);
#endif
 err_out4:
	kvfree(kv);
 err_out3:
	vfree(vptr_init);
 err_out2:
	vfree(vptr_rndm);
 err_out1:
	return -ENOMEM;
}

static int __init vmalloc_demo_init(void)
{
	pr_info("inserted\n");
	return vmalloc_try();
}

static void __exit vmalloc_demo_exit(void)
{
	vfree(vrx);
	kvfree(kvarr);
	kvfree(kv);
	vfree(vptr_init);
	vfree(vptr_rndm);
	pr_info("removed\n");
}

module_init(vmalloc_demo_init);
module_exit(vmalloc_demo_exit);
