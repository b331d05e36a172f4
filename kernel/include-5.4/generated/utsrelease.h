/* klpsh: the release of the 5.4 kernel (uname -r); kernel/profile.py LINUX_5_4 */
#define UTS_RELEASE "5.4.0-klpsh"
