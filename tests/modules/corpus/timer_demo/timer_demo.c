/*
 * timer_demo.c - a kernel timer firing every 500 ms, five times
 * (the timer_setup() API of 4.15+).
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/timer.h>
#include <linux/jiffies.h>

static struct timer_list my_timer;
static int fired;

static void my_timer_callback(struct timer_list *t)
{
	fired++;
	pr_info("timer_demo: fired %d (%u ms after load)\n", fired,
		jiffies_to_msecs(jiffies - (my_timer.expires - msecs_to_jiffies(500 * fired))));
	if (fired < 5)
		mod_timer(&my_timer, jiffies + msecs_to_jiffies(500));
}

static int __init timer_demo_init(void)
{
	pr_info("timer_demo: starting timer to fire in 500ms (%ld)\n", jiffies);
	timer_setup(&my_timer, my_timer_callback, 0);
	mod_timer(&my_timer, jiffies + msecs_to_jiffies(500));
	return 0;
}

static void __exit timer_demo_exit(void)
{
	int ret = del_timer_sync(&my_timer);

	pr_info("timer_demo: fired %d times, %s\n", fired,
		ret ? "the timer was still in use" : "timer stopped");
}

module_init(timer_demo_init);
module_exit(timer_demo_exit);
MODULE_LICENSE("GPL");
