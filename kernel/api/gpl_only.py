"""The kernel functions and objects 4.19 exports with EXPORT_SYMBOL_GPL (the rest: EXPORT_SYMBOL).

One table, checked name by name against the 4.19 sources (kernel/, mm/, lib/, fs/, drivers/base/,
drivers/char/).  It covers the Python implementations of kernel/api/ and names other parts of the
API add; vmlinux's own C exports say GPL or not themselves (EXPORT_SYMBOL_GPL in kernel/vmlinux).
A module whose license is not GPL-compatible cannot link against these (kernel/module/main.py,
resolve_symbol) and modpost refuses to build one that uses them (kernel/modpost.py).
"""

from __future__ import annotations

GPL_ONLY: frozenset[str] = frozenset({
    # workqueues (kernel/workqueue.c)
    "__alloc_workqueue_key", "cancel_work_sync", "destroy_workqueue", "drain_workqueue",
    "flush_work", "mod_delayed_work_on", "work_busy", "workqueue_congested",
    "workqueue_set_max_active",
    # interrupt lines (kernel/irq/manage.c)
    "disable_hardirq", "request_any_context_irq",
    # RCU (kernel/rcu)
    "call_rcu", "call_rcu_sched", "kfree_call_rcu", "rcu_barrier", "synchronize_rcu",
    "synchronize_rcu_expedited", "synchronize_sched",
    # kallsyms (kernel/kallsyms.c)
    "kallsyms_lookup_name", "kallsyms_on_each_symbol", "sprint_symbol", "sprint_symbol_no_offset",
    # kprobes (kernel/kprobes.c)
    "register_kprobe", "unregister_kprobe", "register_kprobes", "unregister_kprobes",
    "register_kretprobe", "unregister_kretprobe", "register_kretprobes", "unregister_kretprobes",
    "disable_kprobe", "enable_kprobe",
    # livepatch (kernel/livepatch)
    "klp_register_patch", "klp_unregister_patch", "klp_enable_patch", "klp_disable_patch",
    "klp_shadow_alloc", "klp_shadow_free", "klp_shadow_free_all", "klp_shadow_get",
    "klp_shadow_get_or_alloc",
    # timekeeping (kernel/time/timekeeping.c, timer.c, time.c)
    "ktime_get", "ktime_get_boot_fast_ns", "ktime_get_mono_fast_ns", "ktime_get_raw",
    "ktime_get_raw_fast_ns", "ktime_get_real_seconds", "getboottime64", "ktime_get_seconds", "ktime_get_ts64",
    "ktime_get_with_offset", "round_jiffies", "round_jiffies_relative", "nsecs_to_jiffies",
    "idr_alloc", "idr_alloc_u32", "idr_remove", "idr_find",
    "add_timer_on", "hrtimer_init", "hrtimer_start_range_ns", "hrtimer_cancel",
    "hrtimer_try_to_cancel", "hrtimer_forward", "__hrtimer_get_remaining", "hrtimer_active",
    # params, procfs
    "param_set_bool_enable_only", "proc_mkdir_data",
    # kthreads (kernel/kthread.c), tasks (kernel/pid.c, kernel/exit.c)
    "kthread_park", "kthread_unpark", "kthread_should_park", "__kthread_should_park", "kthread_parkme",
    # platform drivers (drivers/base/platform.c)
    "__platform_driver_register", "platform_driver_unregister", "__platform_driver_probe", "__platform_create_bundle",
    "__platform_register_drivers", "platform_unregister_drivers", "platform_device_register",
    "platform_device_unregister", "platform_device_alloc", "platform_device_add",
    "platform_device_add_resources", "platform_device_add_data", "platform_device_del",
    "platform_device_put", "platform_device_register_full", "platform_add_devices",
    "platform_get_resource", "platform_get_resource_byname", "platform_get_irq",
    "platform_irq_count", "platform_get_irq_byname",
    "driver_create_file", "driver_remove_file",
    # managed device resources (drivers/base/devres.c)
    "devm_kmalloc", "devm_kfree", "devm_kstrdup",
    "kthread_freezable_should_stop",
    "find_vpid", "get_task_pid", "task_active_pid_ns", "do_exit",
    "find_get_pid", "get_pid_task", "put_pid", "pid_vnr", "__get_task_comm",
    # modules (kernel/module.c), utsname (init/version.c)
    "__module_address", "find_module", "init_uts_ns",
    # the device model (drivers/base)
    "__class_create", "class_destroy", "class_create_file_ns", "class_remove_file_ns",
    "device_create", "device_destroy", "device_register", "device_unregister", "device_add",
    "device_del", "put_device", "get_device", "device_initialize", "dev_set_name",
    "device_create_file", "device_remove_file",
    # kobjects and sysfs (lib/kobject.c, fs/sysfs)
    "kobject_create_and_add", "kobject_init_and_add", "kobject_uevent", "kernel_kobj",
    "sysfs_create_file_ns", "sysfs_remove_file_ns", "sysfs_create_group", "sysfs_remove_group",
    "sysfs_create_groups", "sysfs_remove_groups", "sysfs_notify", "sysfs_create_bin_file",
    "sysfs_remove_bin_file", "sysfs_create_files", "sysfs_remove_files",
    "mm_kobj", "fs_kobj", "firmware_kobj",
    "kobj_sysfs_ops", "kset_create_and_add", "kobject_uevent_env", "kobject_get_path",
    "sysfs_update_group", "sysfs_create_link", "sysfs_create_link_nowarn", "sysfs_remove_link",
    # debugfs (fs/debugfs)
    "debugfs_create_dir", "debugfs_create_file", "debugfs_create_file_unsafe", "debugfs_remove",
    "debugfs_remove_recursive", "debugfs_create_u8", "debugfs_create_u16", "debugfs_create_u32",
    "debugfs_create_u64", "debugfs_create_x8", "debugfs_create_x16", "debugfs_create_x32",
    "debugfs_create_x64", "debugfs_create_bool", "debugfs_create_blob", "debugfs_create_size_t",
    "debugfs_create_atomic_t", "debugfs_create_symlink", "debugfs_lookup",
    "debugfs_create_file_size", "debugfs_create_ulong", "debugfs_create_u32_array",
    "debugfs_rename", "debugfs_real_fops", "debugfs_file_get", "debugfs_file_put",
    "debugfs_attr_read", "debugfs_attr_write", "debugfs_read_file_bool",
    "debugfs_write_file_bool", "debugfs_initialized",
    # simple attributes (fs/libfs.c)
    "simple_attr_open", "simple_attr_release", "simple_attr_read", "simple_attr_write",
    # string helpers (lib/string_helpers.c)
    "kstrdup_quotable",
})


def is_gpl_only(name: str) -> bool:
    """Whether 4.19 exports NAME to GPL-compatible modules only."""
    return name in GPL_ONLY
