/*
 * klpsh: generated/uapi/linux/version.h of a 5.4.0 build tree (the 5.4
 * profile's; kernel/include/linux/version.h is 4.19's).
 */
#define LINUX_VERSION_CODE 328704
#define KERNEL_VERSION(a, b, c) (((a) << 16) + ((b) << 8) + (c))
