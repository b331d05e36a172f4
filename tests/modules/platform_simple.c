// SPDX-License-Identifier: GPL-2.0
/*
 * platform_simple: module_platform_driver() for devices named "platform_demo"
 * (no id_table: the driver's name is the match), whoever registers them.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/platform_device.h>

static int simple_probe(struct platform_device *pdev)
{
	dev_info(&pdev->dev, "simple probe, id_entry %s\n", pdev->id_entry ? "set" : "none");
	return 0;
}

static int simple_remove(struct platform_device *pdev)
{
	dev_info(&pdev->dev, "simple remove\n");
	return 0;
}

static struct platform_driver simple_driver = {
	.probe = simple_probe,
	.remove = simple_remove,
	.driver = {
		.name = "platform_demo",
	},
};
module_platform_driver(simple_driver);
MODULE_LICENSE("GPL");
