/*
 * klpsh: generated/uapi/linux/version.h of a 4.19.0 build tree.  Modules
 * compare LINUX_VERSION_CODE with KERNEL_VERSION(a, b, c) to pick the
 * branch written for this kernel.
 */
#define LINUX_VERSION_CODE 267008
#define KERNEL_VERSION(a, b, c) (((a) << 16) + ((b) << 8) + (c))
