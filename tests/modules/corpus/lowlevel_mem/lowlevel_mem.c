/*
 * ch8/lowlevel_mem/lowlevel_mem.c
 * Demonstrate the lowlevel page allocator (BSA) APIs.
 */
#define pr_fmt(fmt) "%s:%s(): " fmt, KBUILD_MODNAME, __func__

#include <linux/init.h>
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/gfp.h>
#include <linux/slab.h>
#include <asm/io.h>
#include "klib_llkd.h"

MODULE_AUTHOR("Kaiwan N Billimoria");
MODULE_DESCRIPTION("LKP book:ch8/lowlevel_mem: demo using the low-level page allocator APIs");
MODULE_LICENSE("Dual MIT/GPL");
MODULE_VERSION("0.1");

static const void *gptr1, *gptr2, *gptr3, *gptr4, *gptr5;
static int bsa_alloc_order = 3;
module_param_named(order, bsa_alloc_order, int, 0660);
MODULE_PARM_DESC(order, "Order of the allocation (power-to-raise-2-to)");

static void show_phy_pages(const void *kaddr, size_t len, bool contiguity_check)
{
	void *vaddr = (void *)kaddr;
	int i = 0;
	unsigned long pfn, prev_pfn = 0;
	phys_addr_t pa;

	pr_info("-pg#-  -------va-------   --------pa--------   --PFN--\n");
	for (i = 0; i < len / PAGE_SIZE; i++) {
		pa = virt_to_phys(vaddr + (i * PAGE_SIZE));
		pfn = PHYS_PFN(pa);

		if (!!contiguity_check) {
			if (i && pfn != prev_pfn + 1)
				pr_notice(" *** physical NON-contiguity detected ***\n");
		}
		pr_info("%05d  0x%px   %pa   %ld\n", i, vaddr + (i * PAGE_SIZE), &pa, pfn);
		if (!!contiguity_check)
			prev_pfn = pfn;
	}
}

static int bsa_alloc(void)
{
	int stat = -ENOMEM;
	u64 numpg2alloc = 0;
	const struct page *pg_ptr1;

	/* 1. Allocate one page with the __get_free_page() API */
	gptr1 = (void *)__get_free_page(GFP_KERNEL);
	if (!gptr1) {
		pr_warn("low-level page alloc failed\n");
		goto out1;
	}
	pr_info("#. BSA/PA API Amt alloc'ed        KVA\n");
	pr_info("1. __get_free_page()  1 page    %px\n", gptr1);

	/* 2. Allocate 2^bsa_alloc_order pages with the __get_free_pages() API */
	numpg2alloc = powerof(2, bsa_alloc_order);
	gptr2 = (void *)__get_free_pages(GFP_KERNEL | __GFP_ZERO, bsa_alloc_order);
	if (!gptr2) {
		/* no error/warning printk now; see above comment */
		goto out2;
	}
	pr_info("2. __get_free_pages()  2^%d page(s)  %px\n", bsa_alloc_order, gptr2);
	show_phy_pages(gptr2, numpg2alloc * PAGE_SIZE, 1);

	/* 3. Allocate and init one page with the get_zeroed_page() API */
	gptr3 = (void *)get_zeroed_page(GFP_KERNEL);
	if (!gptr3)
		goto out3;
	pr_info("3. get_zeroed_page()  1 page    %px\n", gptr3);

	/* 4. Allocate one page with the alloc_page() API. */
	pg_ptr1 = alloc_page(GFP_KERNEL);
	if (!pg_ptr1)
		goto out4;
	gptr4 = page_address(pg_ptr1);
	pr_info("4. alloc_page()       1 page    %px\n"
		" (struct page addr=%px)\n", (void *)gptr4, pg_ptr1);

	/* 5. Allocate and init 2^3 = 8 pages with the alloc_pages() API. */
	gptr5 = page_address(alloc_pages(GFP_KERNEL, 3));
	if (!gptr5)
		goto out5;
	pr_info("5. alloc_pages()    %lld pages      %px\n", powerof(2, 3), (void *)gptr5);

	return 0;
 out5:
	free_page((unsigned long)gptr4);
 out4:
	free_page((unsigned long)gptr3);
 out3:
	free_pages((unsigned long)gptr2, bsa_alloc_order);
 out2:
	free_page((unsigned long)gptr1);
 out1:
	return stat;
}

static int __init lowlevel_mem_init(void)
{
	return bsa_alloc();
}

static void __exit lowlevel_mem_exit(void)
{
	pr_info("free-ing up the prev allocated BSA/PA memory chunks...\n");
	/* Free 'em! We follow the convention of freeing them in the reverse
	 * order from which they were allocated
	 */
	free_pages((unsigned long)gptr5, 3);
	free_page((unsigned long)gptr4);
	free_page((unsigned long)gptr3);
	free_pages((unsigned long)gptr2, bsa_alloc_order);
	free_page((unsigned long)gptr1);
	pr_info("removed\n");
}

module_init(lowlevel_mem_init);
module_exit(lowlevel_mem_exit);
