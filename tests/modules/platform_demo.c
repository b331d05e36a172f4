// SPDX-License-Identifier: GPL-2.0
/*
 * platform_demo: platform devices and a platform driver that binds them.
 *
 * Devices: "platform_demo.0" (static, its release() says so; norelease=1
 * leaves it without one), "platform_demo.N.auto" from
 * platform_device_register_simple() with a memory and an IRQ resource, and
 * "demo_alt" (PLATFORM_DEVID_NONE, platform_device_alloc()/add()).  The driver
 * "platform_demo" matches through its id_table; probe() keeps a devm_kzalloc()ed
 * state in drvdata and says what it found, remove() says which probe it undoes.
 *
 * Parameters: order=1 registers the driver before the devices; fail=NAME and
 * probe_err=N make probe() of device NAME return -N; leave=1 makes the exit
 * forget to unregister platform_demo.0; keep_driver=1 forgets the driver;
 * nodriver=1 registers the devices only;
 * defer=NAME makes the first probe() of device NAME ask for a deferral
 * (defer_always=1: every probe() of it);
 * probe_sleep=MS sleeps in each probe(); oops=NAME dereferences NULL in probe()
 * of device NAME; twice=1 registers platform_demo.0 a second time after
 * unregistering it.  Each bound device has a "serial" attribute (device_create_file()),
 * the driver "probes" (its groups) and "note" (driver_create_file(), read-write);
 * on 5.3+ the driver's dev_groups give each bound device a "state" too.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/delay.h>
#include <linux/version.h>

static int order;
module_param(order, int, 0444);
static int probe_err;
module_param(probe_err, int, 0444);
static char *fail = "platform_demo.0";
module_param(fail, charp, 0444);
static bool leave;
module_param(leave, bool, 0444);
static bool keep_driver;
module_param(keep_driver, bool, 0444);
static bool nodriver;
module_param(nodriver, bool, 0444);
static bool norelease;
module_param(norelease, bool, 0444);
static char *defer = "";
module_param(defer, charp, 0444);
static int deferrals;
static bool defer_always;
module_param(defer_always, bool, 0444);
static int probe_sleep;
module_param(probe_sleep, int, 0444);
static char *oops = "";
module_param(oops, charp, 0444);
static bool twice;
module_param(twice, bool, 0444);

struct demo_state {
	int serial;
	char tag[16];
};

static int probes;

static ssize_t serial_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct demo_state *st = dev_get_drvdata(dev);

	return sprintf(buf, "%d %s\n", st->serial, st->tag);
}
static DEVICE_ATTR_RO(serial);

static int demo_probe(struct platform_device *pdev)
{
	const struct platform_device_id *id = platform_get_device_id(pdev);
	struct resource *mem = platform_get_resource(pdev, IORESOURCE_MEM, 0);
	int irq = platform_get_irq(pdev, 0);
	struct demo_state *st;

	if (!strcmp(dev_name(&pdev->dev), defer) && (!deferrals++ || defer_always)) {
		dev_info(&pdev->dev, "not yet\n");
		return -EPROBE_DEFER;
	}
	if (!strcmp(dev_name(&pdev->dev), oops))
		return *(volatile int *)0;
	if (probe_sleep)
		msleep(probe_sleep);
	if (probe_err && !strcmp(dev_name(&pdev->dev), fail)) {
		dev_err(&pdev->dev, "refusing with %d\n", -probe_err);
		return -probe_err;
	}
	st = devm_kzalloc(&pdev->dev, sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	st->serial = ++probes;
	snprintf(st->tag, sizeof(st->tag), "tag%d", st->serial);
	platform_set_drvdata(pdev, st);
	if (device_create_file(&pdev->dev, &dev_attr_serial))
		return -EIO;
	dev_info(&pdev->dev, "probe %d: id %d, entry %s/%lu, parent %s\n", st->serial, pdev->id,
		 id ? id->name : "-", id ? id->driver_data : 0UL, dev_name(pdev->dev.parent));
	if (mem)
		dev_info(&pdev->dev, "mem %llx-%llx (%llu bytes, %s), irq %d\n",
			 (unsigned long long)mem->start, (unsigned long long)mem->end,
			 (unsigned long long)resource_size(mem), mem->name, irq);
	else
		dev_info(&pdev->dev, "no mem, irq %d\n", irq);
	return 0;
}

static int demo_remove(struct platform_device *pdev)
{
	struct demo_state *st = platform_get_drvdata(pdev);

	dev_info(&pdev->dev, "remove %d (%s)\n", st->serial, st->tag);
	device_remove_file(&pdev->dev, &dev_attr_serial);
	return 0;
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 3, 0)
static ssize_t state_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct demo_state *st = dev_get_drvdata(dev);

	return sprintf(buf, "bound by %s, probe %d\n", dev->driver->name, st->serial);
}
static DEVICE_ATTR_RO(state);

static struct attribute *demo_dev_attrs[] = {
	&dev_attr_state.attr,
	NULL,
};
ATTRIBUTE_GROUPS(demo_dev);
#endif

static ssize_t probes_show(struct device_driver *drv, char *buf)
{
	return sprintf(buf, "%s: %d\n", drv->name, probes);
}
static DRIVER_ATTR_RO(probes);

static struct attribute *demo_drv_attrs[] = {
	&driver_attr_probes.attr,
	NULL,
};
ATTRIBUTE_GROUPS(demo_drv);

static char note[32] = "none";

static ssize_t note_show(struct device_driver *drv, char *buf)
{
	return sprintf(buf, "%s\n", note);
}

static ssize_t note_store(struct device_driver *drv, const char *buf, size_t count)
{
	if (count >= sizeof(note))
		return -EINVAL;
	strlcpy(note, buf, sizeof(note));
	strim(note);
	return count;
}
static DRIVER_ATTR_RW(note);

static const struct platform_device_id demo_ids[] = {
	{ "platform_demo", 1 },
	{ "demo_alt", 2 },
	{ }
};

static struct platform_driver demo_driver = {
	.probe = demo_probe,
	.remove = demo_remove,
	.id_table = demo_ids,
	.driver = {
		.name = "platform_demo",
		.groups = demo_drv_groups,
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 3, 0)
		.dev_groups = demo_dev_groups,
#endif
	},
};

static void demo_release(struct device *dev)
{
	pr_info("platform_demo: release %s\n", dev_name(dev));
}

static int pdata = 42;

static struct platform_device demo_dev = {
	.name = "platform_demo",
	.id = 0,
	.dev = {
		.release = demo_release,
		.platform_data = &pdata,
	},
};

static struct resource demo_res[] = {
	DEFINE_RES_MEM(0xfed00000, 0x1000),
	DEFINE_RES_IRQ(7),
};

static struct platform_device *simple_dev;
static struct platform_device *alt_dev;

static int add_devices(void)
{
	int ret;

	if (norelease)
		demo_dev.dev.release = NULL;
	ret = platform_device_register(&demo_dev);
	if (ret)
		return ret;
	if (twice) {
		platform_device_unregister(&demo_dev);
		ret = platform_device_register(&demo_dev);
		if (ret)
			return ret;
	}
	simple_dev = platform_device_register_simple("platform_demo", PLATFORM_DEVID_AUTO,
						     demo_res, ARRAY_SIZE(demo_res));
	if (IS_ERR(simple_dev)) {
		platform_device_unregister(&demo_dev);
		return PTR_ERR(simple_dev);
	}
	alt_dev = platform_device_alloc("demo_alt", PLATFORM_DEVID_NONE);
	if (!alt_dev)
		return -ENOMEM;
	ret = platform_device_add(alt_dev);
	if (ret) {
		platform_device_put(alt_dev);
		return ret;
	}
	dev_info(&alt_dev->dev, "added, %s\n", alt_dev->dev.driver ? "bound" : "unbound");
	pr_info("platform_demo: devices %s %s %s, platform data %d\n", dev_name(&demo_dev.dev),
		dev_name(&simple_dev->dev), dev_name(&alt_dev->dev),
		*(int *)dev_get_platdata(&demo_dev.dev));
	return 0;
}

static void del_devices(void)
{
	platform_device_unregister(alt_dev);
	platform_device_unregister(simple_dev);
	if (!leave)
		platform_device_unregister(&demo_dev);
}

static int register_driver(void)
{
	int ret;

	if (nodriver)
		return 0;
	ret = platform_driver_register(&demo_driver);

	if (ret)
		return ret;
	ret = driver_create_file(&demo_driver.driver, &driver_attr_note);
	if (ret)
		platform_driver_unregister(&demo_driver);
	return ret;
}

static int __init demo_init(void)
{
	int ret;

	if (order) {
		ret = register_driver();
		if (ret)
			return ret;
		ret = add_devices();
		if (ret)
			platform_driver_unregister(&demo_driver);
		return ret;
	}
	ret = add_devices();
	if (ret)
		return ret;
	ret = register_driver();
	if (ret)
		del_devices();
	return ret;
}

static void __exit demo_exit(void)
{
	if (!keep_driver && !nodriver) {
		driver_remove_file(&demo_driver.driver, &driver_attr_note);
		platform_driver_unregister(&demo_driver);
	}
	del_devices();
	pr_info("platform_demo: exit after %d probes\n", probes);
}

module_init(demo_init);
module_exit(demo_exit);
MODULE_LICENSE("GPL");
