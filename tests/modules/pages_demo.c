// SPDX-License-Identifier: GPL-2.0
/*
 * The page allocator by struct page, vmalloc's pages and the kernel's layout:
 * alloc_pages/page_address/virt_to_page/page_to_pfn agree, a block with an
 * extra reference (get_page) survives __free_pages until put_page, and
 * vmalloc'd memory is told apart from kmalloc'd.  A mutex called read_lock
 * builds, as 4.19's read_lock is a function-like macro.
 */
#include <linux/module.h>
#include <linux/mm.h>
#include <linux/gfp.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/mutex.h>
#include <asm/io.h>
#include <asm/pgtable.h>

static DEFINE_MUTEX(read_lock);
static struct page *kept;

static int __init pages_init(void)
{
	struct page *p = alloc_pages(GFP_KERNEL | __GFP_ZERO, 2);
	void *va = page_address(p), *v, *k;
	unsigned long pfn = page_to_pfn(p);

	mutex_lock(&read_lock);
	pr_info("order-2 block: count %d, pfn matches %d, virt_to_page %d, next page %d\n",
		page_count(p), pfn == virt_to_phys(va) >> PAGE_SHIFT, virt_to_page(va) == p,
		page_address(p + 1) == va + PAGE_SIZE);
	pr_info("pfn_to_page %d, zeroed %d, in lowmem %d\n", pfn_to_page(pfn) == p,
		((char *)va)[3 * PAGE_SIZE + 7] == 0, va < high_memory && (unsigned long)va >= PAGE_OFFSET);
	get_page(p);
	__free_pages(p, 2);
	pr_info("after __free_pages with a reference held: count %d\n", page_count(p));
	kept = p;
	mutex_unlock(&read_lock);

	v = __vmalloc(3 * PAGE_SIZE, GFP_KERNEL | __GFP_ZERO, PAGE_KERNEL);
	k = kmalloc(100, GFP_KERNEL);
	pr_info("vmalloc %d kmalloc %d, vmalloc_to_page %d, of kmalloc %d\n",
		is_vmalloc_addr(v), is_vmalloc_addr(k),
		vmalloc_to_page(v + PAGE_SIZE) == virt_to_page(v + PAGE_SIZE),
		vmalloc_to_page(k) == NULL);
	pr_info("modules %d, vmalloc range %d\n",
		(unsigned long)THIS_MODULE >= MODULES_VADDR && (unsigned long)THIS_MODULE < MODULES_END,
		(unsigned long)v >= VMALLOC_START && (unsigned long)v < VMALLOC_END);
	vfree(v);
	kfree(k);
	return 0;
}

static void __exit pages_exit(void)
{
	put_page(kept);
	pr_info("last reference put\n");
}

module_init(pages_init);
module_exit(pages_exit);
MODULE_LICENSE("GPL");
