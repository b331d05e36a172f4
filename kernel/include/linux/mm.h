/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_MM_H
#define _LINUX_MM_H

#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/sysinfo.h>
#include <linux/gfp.h>
#include <linux/pfn.h>
#include <asm/page.h>

#define PAGE_ALIGN(addr)	ALIGN(addr, PAGE_SIZE)

/*
 * struct page, as 4.19 lays it out on x86-64 (64 bytes).  The page
 * allocator's pages have one each in a memmap the kernel keeps for its heap
 * (kernel/api/page.py), so page + 1 is the next page frame.
 */
struct address_space;
struct page {
	unsigned long flags;
	union {
		struct {
			struct list_head lru;
			struct address_space *mapping;
			unsigned long index;
			unsigned long private;
		};
		struct {
			unsigned long compound_head;
			unsigned char compound_dtor;
			unsigned char compound_order;
			atomic_t compound_mapcount;
		};
		struct {
			unsigned long _pt_pad_1;
			void *pmd_huge_pte;
			unsigned long _pt_pad_2;
			unsigned long pt_mm;
			spinlock_t ptl;
		};
	};
	union {
		atomic_t _mapcount;
		unsigned int page_type;
		unsigned int active;
		int units;
	};
	atomic_t _refcount;
	void *mem_cgroup;
};

/* the memmap: frame numbers and kernel addresses of pages (Python kernel) */
extern unsigned long page_to_pfn(const struct page *page);
extern struct page *pfn_to_page(unsigned long pfn);
extern struct page *virt_to_page(const void *kaddr);
extern void *page_address(const struct page *page);
#define page_to_virt(page)	page_address(page)
#define lowmem_page_address(page)	page_address(page)
#define pfn_to_kaddr(pfn)	__va((pfn) << PAGE_SHIFT)
#define page_to_phys(page)	((phys_addr_t)page_to_pfn(page) << PAGE_SHIFT)
#define pfn_valid(pfn)		(pfn_to_page(pfn) != NULL)

static inline int page_count(const struct page *page)
{
	return atomic_read(&page->_refcount);
}

static inline int page_ref_count(const struct page *page)
{
	return atomic_read(&page->_refcount);
}

/* a reference more; put_page() of the last frees the block, as __free_pages() */
static inline void get_page(struct page *page)
{
	atomic_inc(&page->_refcount);
}
extern void put_page(struct page *page);

/* vmalloc'd memory's pages (mm/vmalloc.c) */
extern struct page *vmalloc_to_page(const void *addr);
extern unsigned long vmalloc_to_pfn(const void *addr);
extern bool is_vmalloc_addr(const void *x);

/* kernel memory: the top of RAM (arch/x86/mm/init.c) */
extern void *high_memory;

/* fills the memory fields of *val (mem_unit = PAGE_SIZE); Python kernel */
extern void si_meminfo(struct sysinfo *val);

/* the pages the page allocator manages (mm/page_alloc.c; a variable before 5.0) */
extern unsigned long totalram_pages;

/* the zone counters of 4.19's linux/mmzone.h; klpsh counts NR_FREE_PAGES, the rest are 0 */
enum zone_stat_item {
	NR_FREE_PAGES,
	NR_ZONE_LRU_BASE,
	NR_ZONE_INACTIVE_ANON = NR_ZONE_LRU_BASE,
	NR_ZONE_ACTIVE_ANON,
	NR_ZONE_INACTIVE_FILE,
	NR_ZONE_ACTIVE_FILE,
	NR_ZONE_UNEVICTABLE,
	NR_ZONE_WRITE_PENDING,
	NR_MLOCK,
	NR_PAGETABLE,
	NR_KERNEL_STACK_KB,
	NR_BOUNCE,
	NR_FREE_CMA_PAGES,
	NR_VM_ZONE_STAT_ITEMS
};

/* 4.19's linux/vmstat.h reads vm_zone_stat[ITEM] inline; here the Python kernel counts it */
extern unsigned long global_zone_page_state(enum zone_stat_item item);

/* what 4.19's mm.h pulls in as well */
#include <linux/completion.h>
#include <linux/fcntl.h>
#include <linux/fs.h>
#include <linux/hash.h>
#include <linux/pid.h>
#include <linux/rculist.h>
#include <linux/refcount.h>
#include <linux/semaphore.h>
#include <linux/uidgid.h>
#include <linux/vmalloc.h>
#include <asm/io.h>

#endif
