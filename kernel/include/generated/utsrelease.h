/* klpsh: the release of the kernel these headers belong to (uname -r) */
#define UTS_RELEASE "4.19.0-klpsh"
