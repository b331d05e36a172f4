"""linux/string_helpers.h through the shell (tests/modules/strhelp_demo.c): string_get_size()
with the figures 4.19's sd driver prints for real disks, string_escape_mem/str with ESCAPE_NP,
an ONLY set and a short buffer, string_unescape() in place and into a short buffer,
kstrdup_quotable()."""

from __future__ import annotations

from conftest import needs_gcc, needs_kernel
from shell_session import module_shell, run

pytestmark = [needs_kernel, needs_gcc]


def test_string_helpers_as_419_words_them(kernel, tmp_path, test_module) -> None:
    sh = module_shell(kernel, tmp_path, test_module, "strhelp_demo")
    lines = [ln.removeprefix("strhelp: ") for ln in run(sh, "insmod strhelp_demo.ko") if ln.startswith("strhelp: ")]
    assert lines == [
        "8388608 x 512 = 4.29 GB",             # sd: "8388608 512-byte logical blocks: (4.29 GB/4.00 GiB)"
        "8388608 x 512 = 4.00 GiB",
        "1953525168 x 512 = 1.00 TB",          # a "1 TB" disk: (1.00 TB/932 GiB)
        "1953525168 x 512 = 932 GiB",
        "1000 x 1 = 1.00 kB",
        "1023 x 1 = 1023 B",
        "1536 x 1 = 1.50 KiB",
        "12345 x 0 = 0 B",                     # a zero block size is no size
        "18446744073709551615 x 18446744073709551615 = 256 UNK",   # past YiB
        "in 5 bytes '4.29'",                   # snprintf-truncated, NUL-terminated
        "escaped 12 'a\\tb\\c\\001 d'",        # a backslash is printable: ESCAPE_NP keeps it
        "only quotes 18 'say \\x22hi\\x22 now'",
        "needs 6, got '\\n\\n'",               # the full length back, OSZ bytes written
        "unescaped 8 61 09 62 41 41 5c 71 5c 00",   # \t \x41 \101, \q and a lone \ kept
        "into 3 bytes 1 0a 00",
        "quotable 'x\\x22y\\x0a\\x5c'",
    ]
