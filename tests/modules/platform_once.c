// SPDX-License-Identifier: GPL-2.0
/*
 * platform_once: a driver for a device that is there when it loads, bound
 * once.  mode=0: platform_create_bundle() makes the device "platform_once"
 * and binds the driver to it (platform_driver_probe(): no bind/unbind files);
 * mode=1: platform_driver_probe() with no such device fails with -ENODEV.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/platform_device.h>

static int mode;
module_param(mode, int, 0444);

static struct platform_device *pdev;

static int once_probe(struct platform_device *p)
{
	dev_info(&p->dev, "probed once (id %d)\n", p->id);
	return 0;
}

static int once_remove(struct platform_device *p)
{
	dev_info(&p->dev, "removed\n");
	return 0;
}

static struct platform_driver once_driver = {
	.remove = once_remove,
	.driver = {
		.name = "platform_once",
	},
};

static int __init once_init(void)
{
	if (mode == 1)
		return platform_driver_probe(&once_driver, once_probe);
	pdev = platform_create_bundle(&once_driver, once_probe, NULL, 0, NULL, 0);
	if (IS_ERR(pdev))
		return PTR_ERR(pdev);
	pr_info("platform_once: bundle %s\n", dev_name(&pdev->dev));
	return 0;
}

static void __exit once_exit(void)
{
	platform_driver_unregister(&once_driver);
	platform_device_unregister(pdev);
}

module_init(once_init);
module_exit(once_exit);
MODULE_LICENSE("GPL");
