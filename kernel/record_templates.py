"""The code of record __init__s and record tuples' __new__s (kernel/record.py renames it for
each class): initN sets N fields, attribute nI from parameter aI, or from _fI() when aI is the
_FACTORY marker; newN makes the tuple of its N parameters.

Written by `python -m kernel.record` (do not edit by hand; tests hold it to the generator).
Compiled once into the bytecode cache like any module, where compiling them for each class at
each start cost ~5 ms.
"""
# flake8: noqa


def init0(self): pass


def init1(self, a0): self.n0 = a0 if a0 is not _FACTORY else _f0()


def init2(self, a0, a1): self.n0 = a0 if a0 is not _FACTORY else _f0(); self.n1 = a1 if a1 is not _FACTORY else _f1()


def init3(self, a0, a1, a2): self.n0 = a0 if a0 is not _FACTORY else _f0(); self.n1 = a1 if a1 is not _FACTORY else _f1(); self.n2 = a2 if a2 is not _FACTORY else _f2()


def init4(self, a0, a1, a2, a3): self.n0 = a0 if a0 is not _FACTORY else _f0(); self.n1 = a1 if a1 is not _FACTORY else _f1(); self.n2 = a2 if a2 is not _FACTORY else _f2(); self.n3 = a3 if a3 is not _FACTORY else _f3()


def init5(self, a0, a1, a2, a3, a4): self.n0 = a0 if a0 is not _FACTORY else _f0(); self.n1 = a1 if a1 is not _FACTORY else _f1(); self.n2 = a2 if a2 is not _FACTORY else _f2(); self.n3 = a3 if a3 is not _FACTORY else _f3(); self.n4 = a4 if a4 is not _FACTORY else _f4()


def init6(self, a0, a1, a2, a3, a4, a5): self.n0 = a0 if a0 is not _FACTORY else _f0(); self.n1 = a1 if a1 is not _FACTORY else _f1(); self.n2 = a2 if a2 is not _FACTORY else _f2(); self.n3 = a3 if a3 is not _FACTORY else _f3(); self.n4 = a4 if a4 is not _FACTORY else _f4(); self.n5 = a5 if a5 is not _FACTORY else _f5()


def init7(self, a0, a1, a2, a3, a4, a5, a6): self.n0 = a0 if a0 is not _FACTORY else _f0(); self.n1 = a1 if a1 is not _FACTORY else _f1(); self.n2 = a2 if a2 is not _FACTORY else _f2(); self.n3 = a3 if a3 is not _FACTORY else _f3(); self.n4 = a4 if a4 is not _FACTORY else _f4(); self.n5 = a5 if a5 is not _FACTORY else _f5(); self.n6 = a6 if a6 is not _FACTORY else _f6()


def init8(self, a0, a1, a2, a3, a4, a5, a6, a7): self.n0 = a0 if a0 is not _FACTORY else _f0(); self.n1 = a1 if a1 is not _FACTORY else _f1(); self.n2 = a2 if a2 is not _FACTORY else _f2(); self.n3 = a3 if a3 is not _FACTORY else _f3(); self.n4 = a4 if a4 is not _FACTORY else _f4(); self.n5 = a5 if a5 is not _FACTORY else _f5(); self.n6 = a6 if a6 is not _FACTORY else _f6(); self.n7 = a7 if a7 is not _FACTORY else _f7()


def init9(self, a0, a1, a2, a3, a4, a5, a6, a7, a8): self.n0 = a0 if a0 is not _FACTORY else _f0(); self.n1 = a1 if a1 is not _FACTORY else _f1(); self.n2 = a2 if a2 is not _FACTORY else _f2(); self.n3 = a3 if a3 is not _FACTORY else _f3(); self.n4 = a4 if a4 is not _FACTORY else _f4(); self.n5 = a5 if a5 is not _FACTORY else _f5(); self.n6 = a6 if a6 is not _FACTORY else _f6(); self.n7 = a7 if a7 is not _FACTORY else _f7(); self.n8 = a8 if a8 is not _FACTORY else _f8()


def init10(self, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9): self.n0 = a0 if a0 is not _FACTORY else _f0(); self.n1 = a1 if a1 is not _FACTORY else _f1(); self.n2 = a2 if a2 is not _FACTORY else _f2(); self.n3 = a3 if a3 is not _FACTORY else _f3(); self.n4 = a4 if a4 is not _FACTORY else _f4(); self.n5 = a5 if a5 is not _FACTORY else _f5(); self.n6 = a6 if a6 is not _FACTORY else _f6(); self.n7 = a7 if a7 is not _FACTORY else _f7(); self.n8 = a8 if a8 is not _FACTORY else _f8(); self.n9 = a9 if a9 is not _FACTORY else _f9()


def init11(self, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10): self.n0 = a0 if a0 is not _FACTORY else _f0(); self.n1 = a1 if a1 is not _FACTORY else _f1(); self.n2 = a2 if a2 is not _FACTORY else _f2(); self.n3 = a3 if a3 is not _FACTORY else _f3(); self.n4 = a4 if a4 is not _FACTORY else _f4(); self.n5 = a5 if a5 is not _FACTORY else _f5(); self.n6 = a6 if a6 is not _FACTORY else _f6(); self.n7 = a7 if a7 is not _FACTORY else _f7(); self.n8 = a8 if a8 is not _FACTORY else _f8(); self.n9 = a9 if a9 is not _FACTORY else _f9(); self.n10 = a10 if a10 is not _FACTORY else _f10()


def init12(self, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11): self.n0 = a0 if a0 is not _FACTORY else _f0(); self.n1 = a1 if a1 is not _FACTORY else _f1(); self.n2 = a2 if a2 is not _FACTORY else _f2(); self.n3 = a3 if a3 is not _FACTORY else _f3(); self.n4 = a4 if a4 is not _FACTORY else _f4(); self.n5 = a5 if a5 is not _FACTORY else _f5(); self.n6 = a6 if a6 is not _FACTORY else _f6(); self.n7 = a7 if a7 is not _FACTORY else _f7(); self.n8 = a8 if a8 is not _FACTORY else _f8(); self.n9 = a9 if a9 is not _FACTORY else _f9(); self.n10 = a10 if a10 is not _FACTORY else _f10(); self.n11 = a11 if a11 is not _FACTORY else _f11()


def init13(self, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12): self.n0 = a0 if a0 is not _FACTORY else _f0(); self.n1 = a1 if a1 is not _FACTORY else _f1(); self.n2 = a2 if a2 is not _FACTORY else _f2(); self.n3 = a3 if a3 is not _FACTORY else _f3(); self.n4 = a4 if a4 is not _FACTORY else _f4(); self.n5 = a5 if a5 is not _FACTORY else _f5(); self.n6 = a6 if a6 is not _FACTORY else _f6(); self.n7 = a7 if a7 is not _FACTORY else _f7(); self.n8 = a8 if a8 is not _FACTORY else _f8(); self.n9 = a9 if a9 is not _FACTORY else _f9(); self.n10 = a10 if a10 is not _FACTORY else _f10(); self.n11 = a11 if a11 is not _FACTORY else _f11(); self.n12 = a12 if a12 is not _FACTORY else _f12()


def init14(self, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13): self.n0 = a0 if a0 is not _FACTORY else _f0(); self.n1 = a1 if a1 is not _FACTORY else _f1(); self.n2 = a2 if a2 is not _FACTORY else _f2(); self.n3 = a3 if a3 is not _FACTORY else _f3(); self.n4 = a4 if a4 is not _FACTORY else _f4(); self.n5 = a5 if a5 is not _FACTORY else _f5(); self.n6 = a6 if a6 is not _FACTORY else _f6(); self.n7 = a7 if a7 is not _FACTORY else _f7(); self.n8 = a8 if a8 is not _FACTORY else _f8(); self.n9 = a9 if a9 is not _FACTORY else _f9(); self.n10 = a10 if a10 is not _FACTORY else _f10(); self.n11 = a11 if a11 is not _FACTORY else _f11(); self.n12 = a12 if a12 is not _FACTORY else _f12(); self.n13 = a13 if a13 is not _FACTORY else _f13()


def init15(self, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14): self.n0 = a0 if a0 is not _FACTORY else _f0(); self.n1 = a1 if a1 is not _FACTORY else _f1(); self.n2 = a2 if a2 is not _FACTORY else _f2(); self.n3 = a3 if a3 is not _FACTORY else _f3(); self.n4 = a4 if a4 is not _FACTORY else _f4(); self.n5 = a5 if a5 is not _FACTORY else _f5(); self.n6 = a6 if a6 is not _FACTORY else _f6(); self.n7 = a7 if a7 is not _FACTORY else _f7(); self.n8 = a8 if a8 is not _FACTORY else _f8(); self.n9 = a9 if a9 is not _FACTORY else _f9(); self.n10 = a10 if a10 is not _FACTORY else _f10(); self.n11 = a11 if a11 is not _FACTORY else _f11(); self.n12 = a12 if a12 is not _FACTORY else _f12(); self.n13 = a13 if a13 is not _FACTORY else _f13(); self.n14 = a14 if a14 is not _FACTORY else _f14()


def init16(self, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15): self.n0 = a0 if a0 is not _FACTORY else _f0(); self.n1 = a1 if a1 is not _FACTORY else _f1(); self.n2 = a2 if a2 is not _FACTORY else _f2(); self.n3 = a3 if a3 is not _FACTORY else _f3(); self.n4 = a4 if a4 is not _FACTORY else _f4(); self.n5 = a5 if a5 is not _FACTORY else _f5(); self.n6 = a6 if a6 is not _FACTORY else _f6(); self.n7 = a7 if a7 is not _FACTORY else _f7(); self.n8 = a8 if a8 is not _FACTORY else _f8(); self.n9 = a9 if a9 is not _FACTORY else _f9(); self.n10 = a10 if a10 is not _FACTORY else _f10(); self.n11 = a11 if a11 is not _FACTORY else _f11(); self.n12 = a12 if a12 is not _FACTORY else _f12(); self.n13 = a13 if a13 is not _FACTORY else _f13(); self.n14 = a14 if a14 is not _FACTORY else _f14(); self.n15 = a15 if a15 is not _FACTORY else _f15()


def init17(self, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16): self.n0 = a0 if a0 is not _FACTORY else _f0(); self.n1 = a1 if a1 is not _FACTORY else _f1(); self.n2 = a2 if a2 is not _FACTORY else _f2(); self.n3 = a3 if a3 is not _FACTORY else _f3(); self.n4 = a4 if a4 is not _FACTORY else _f4(); self.n5 = a5 if a5 is not _FACTORY else _f5(); self.n6 = a6 if a6 is not _FACTORY else _f6(); self.n7 = a7 if a7 is not _FACTORY else _f7(); self.n8 = a8 if a8 is not _FACTORY else _f8(); self.n9 = a9 if a9 is not _FACTORY else _f9(); self.n10 = a10 if a10 is not _FACTORY else _f10(); self.n11 = a11 if a11 is not _FACTORY else _f11(); self.n12 = a12 if a12 is not _FACTORY else _f12(); self.n13 = a13 if a13 is not _FACTORY else _f13(); self.n14 = a14 if a14 is not _FACTORY else _f14(); self.n15 = a15 if a15 is not _FACTORY else _f15(); self.n16 = a16 if a16 is not _FACTORY else _f16()


def init18(self, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17): self.n0 = a0 if a0 is not _FACTORY else _f0(); self.n1 = a1 if a1 is not _FACTORY else _f1(); self.n2 = a2 if a2 is not _FACTORY else _f2(); self.n3 = a3 if a3 is not _FACTORY else _f3(); self.n4 = a4 if a4 is not _FACTORY else _f4(); self.n5 = a5 if a5 is not _FACTORY else _f5(); self.n6 = a6 if a6 is not _FACTORY else _f6(); self.n7 = a7 if a7 is not _FACTORY else _f7(); self.n8 = a8 if a8 is not _FACTORY else _f8(); self.n9 = a9 if a9 is not _FACTORY else _f9(); self.n10 = a10 if a10 is not _FACTORY else _f10(); self.n11 = a11 if a11 is not _FACTORY else _f11(); self.n12 = a12 if a12 is not _FACTORY else _f12(); self.n13 = a13 if a13 is not _FACTORY else _f13(); self.n14 = a14 if a14 is not _FACTORY else _f14(); self.n15 = a15 if a15 is not _FACTORY else _f15(); self.n16 = a16 if a16 is not _FACTORY else _f16(); self.n17 = a17 if a17 is not _FACTORY else _f17()


def init19(self, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18): self.n0 = a0 if a0 is not _FACTORY else _f0(); self.n1 = a1 if a1 is not _FACTORY else _f1(); self.n2 = a2 if a2 is not _FACTORY else _f2(); self.n3 = a3 if a3 is not _FACTORY else _f3(); self.n4 = a4 if a4 is not _FACTORY else _f4(); self.n5 = a5 if a5 is not _FACTORY else _f5(); self.n6 = a6 if a6 is not _FACTORY else _f6(); self.n7 = a7 if a7 is not _FACTORY else _f7(); self.n8 = a8 if a8 is not _FACTORY else _f8(); self.n9 = a9 if a9 is not _FACTORY else _f9(); self.n10 = a10 if a10 is not _FACTORY else _f10(); self.n11 = a11 if a11 is not _FACTORY else _f11(); self.n12 = a12 if a12 is not _FACTORY else _f12(); self.n13 = a13 if a13 is not _FACTORY else _f13(); self.n14 = a14 if a14 is not _FACTORY else _f14(); self.n15 = a15 if a15 is not _FACTORY else _f15(); self.n16 = a16 if a16 is not _FACTORY else _f16(); self.n17 = a17 if a17 is not _FACTORY else _f17(); self.n18 = a18 if a18 is not _FACTORY else _f18()


def init20(self, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19): self.n0 = a0 if a0 is not _FACTORY else _f0(); self.n1 = a1 if a1 is not _FACTORY else _f1(); self.n2 = a2 if a2 is not _FACTORY else _f2(); self.n3 = a3 if a3 is not _FACTORY else _f3(); self.n4 = a4 if a4 is not _FACTORY else _f4(); self.n5 = a5 if a5 is not _FACTORY else _f5(); self.n6 = a6 if a6 is not _FACTORY else _f6(); self.n7 = a7 if a7 is not _FACTORY else _f7(); self.n8 = a8 if a8 is not _FACTORY else _f8(); self.n9 = a9 if a9 is not _FACTORY else _f9(); self.n10 = a10 if a10 is not _FACTORY else _f10(); self.n11 = a11 if a11 is not _FACTORY else _f11(); self.n12 = a12 if a12 is not _FACTORY else _f12(); self.n13 = a13 if a13 is not _FACTORY else _f13(); self.n14 = a14 if a14 is not _FACTORY else _f14(); self.n15 = a15 if a15 is not _FACTORY else _f15(); self.n16 = a16 if a16 is not _FACTORY else _f16(); self.n17 = a17 if a17 is not _FACTORY else _f17(); self.n18 = a18 if a18 is not _FACTORY else _f18(); self.n19 = a19 if a19 is not _FACTORY else _f19()


def init21(self, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20): self.n0 = a0 if a0 is not _FACTORY else _f0(); self.n1 = a1 if a1 is not _FACTORY else _f1(); self.n2 = a2 if a2 is not _FACTORY else _f2(); self.n3 = a3 if a3 is not _FACTORY else _f3(); self.n4 = a4 if a4 is not _FACTORY else _f4(); self.n5 = a5 if a5 is not _FACTORY else _f5(); self.n6 = a6 if a6 is not _FACTORY else _f6(); self.n7 = a7 if a7 is not _FACTORY else _f7(); self.n8 = a8 if a8 is not _FACTORY else _f8(); self.n9 = a9 if a9 is not _FACTORY else _f9(); self.n10 = a10 if a10 is not _FACTORY else _f10(); self.n11 = a11 if a11 is not _FACTORY else _f11(); self.n12 = a12 if a12 is not _FACTORY else _f12(); self.n13 = a13 if a13 is not _FACTORY else _f13(); self.n14 = a14 if a14 is not _FACTORY else _f14(); self.n15 = a15 if a15 is not _FACTORY else _f15(); self.n16 = a16 if a16 is not _FACTORY else _f16(); self.n17 = a17 if a17 is not _FACTORY else _f17(); self.n18 = a18 if a18 is not _FACTORY else _f18(); self.n19 = a19 if a19 is not _FACTORY else _f19(); self.n20 = a20 if a20 is not _FACTORY else _f20()


def init22(self, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21): self.n0 = a0 if a0 is not _FACTORY else _f0(); self.n1 = a1 if a1 is not _FACTORY else _f1(); self.n2 = a2 if a2 is not _FACTORY else _f2(); self.n3 = a3 if a3 is not _FACTORY else _f3(); self.n4 = a4 if a4 is not _FACTORY else _f4(); self.n5 = a5 if a5 is not _FACTORY else _f5(); self.n6 = a6 if a6 is not _FACTORY else _f6(); self.n7 = a7 if a7 is not _FACTORY else _f7(); self.n8 = a8 if a8 is not _FACTORY else _f8(); self.n9 = a9 if a9 is not _FACTORY else _f9(); self.n10 = a10 if a10 is not _FACTORY else _f10(); self.n11 = a11 if a11 is not _FACTORY else _f11(); self.n12 = a12 if a12 is not _FACTORY else _f12(); self.n13 = a13 if a13 is not _FACTORY else _f13(); self.n14 = a14 if a14 is not _FACTORY else _f14(); self.n15 = a15 if a15 is not _FACTORY else _f15(); self.n16 = a16 if a16 is not _FACTORY else _f16(); self.n17 = a17 if a17 is not _FACTORY else _f17(); self.n18 = a18 if a18 is not _FACTORY else _f18(); self.n19 = a19 if a19 is not _FACTORY else _f19(); self.n20 = a20 if a20 is not _FACTORY else _f20(); self.n21 = a21 if a21 is not _FACTORY else _f21()


def init23(self, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22): self.n0 = a0 if a0 is not _FACTORY else _f0(); self.n1 = a1 if a1 is not _FACTORY else _f1(); self.n2 = a2 if a2 is not _FACTORY else _f2(); self.n3 = a3 if a3 is not _FACTORY else _f3(); self.n4 = a4 if a4 is not _FACTORY else _f4(); self.n5 = a5 if a5 is not _FACTORY else _f5(); self.n6 = a6 if a6 is not _FACTORY else _f6(); self.n7 = a7 if a7 is not _FACTORY else _f7(); self.n8 = a8 if a8 is not _FACTORY else _f8(); self.n9 = a9 if a9 is not _FACTORY else _f9(); self.n10 = a10 if a10 is not _FACTORY else _f10(); self.n11 = a11 if a11 is not _FACTORY else _f11(); self.n12 = a12 if a12 is not _FACTORY else _f12(); self.n13 = a13 if a13 is not _FACTORY else _f13(); self.n14 = a14 if a14 is not _FACTORY else _f14(); self.n15 = a15 if a15 is not _FACTORY else _f15(); self.n16 = a16 if a16 is not _FACTORY else _f16(); self.n17 = a17 if a17 is not _FACTORY else _f17(); self.n18 = a18 if a18 is not _FACTORY else _f18(); self.n19 = a19 if a19 is not _FACTORY else _f19(); self.n20 = a20 if a20 is not _FACTORY else _f20(); self.n21 = a21 if a21 is not _FACTORY else _f21(); self.n22 = a22 if a22 is not _FACTORY else _f22()


def init24(self, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23): self.n0 = a0 if a0 is not _FACTORY else _f0(); self.n1 = a1 if a1 is not _FACTORY else _f1(); self.n2 = a2 if a2 is not _FACTORY else _f2(); self.n3 = a3 if a3 is not _FACTORY else _f3(); self.n4 = a4 if a4 is not _FACTORY else _f4(); self.n5 = a5 if a5 is not _FACTORY else _f5(); self.n6 = a6 if a6 is not _FACTORY else _f6(); self.n7 = a7 if a7 is not _FACTORY else _f7(); self.n8 = a8 if a8 is not _FACTORY else _f8(); self.n9 = a9 if a9 is not _FACTORY else _f9(); self.n10 = a10 if a10 is not _FACTORY else _f10(); self.n11 = a11 if a11 is not _FACTORY else _f11(); self.n12 = a12 if a12 is not _FACTORY else _f12(); self.n13 = a13 if a13 is not _FACTORY else _f13(); self.n14 = a14 if a14 is not _FACTORY else _f14(); self.n15 = a15 if a15 is not _FACTORY else _f15(); self.n16 = a16 if a16 is not _FACTORY else _f16(); self.n17 = a17 if a17 is not _FACTORY else _f17(); self.n18 = a18 if a18 is not _FACTORY else _f18(); self.n19 = a19 if a19 is not _FACTORY else _f19(); self.n20 = a20 if a20 is not _FACTORY else _f20(); self.n21 = a21 if a21 is not _FACTORY else _f21(); self.n22 = a22 if a22 is not _FACTORY else _f22(); self.n23 = a23 if a23 is not _FACTORY else _f23()


def init25(self, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24): self.n0 = a0 if a0 is not _FACTORY else _f0(); self.n1 = a1 if a1 is not _FACTORY else _f1(); self.n2 = a2 if a2 is not _FACTORY else _f2(); self.n3 = a3 if a3 is not _FACTORY else _f3(); self.n4 = a4 if a4 is not _FACTORY else _f4(); self.n5 = a5 if a5 is not _FACTORY else _f5(); self.n6 = a6 if a6 is not _FACTORY else _f6(); self.n7 = a7 if a7 is not _FACTORY else _f7(); self.n8 = a8 if a8 is not _FACTORY else _f8(); self.n9 = a9 if a9 is not _FACTORY else _f9(); self.n10 = a10 if a10 is not _FACTORY else _f10(); self.n11 = a11 if a11 is not _FACTORY else _f11(); self.n12 = a12 if a12 is not _FACTORY else _f12(); self.n13 = a13 if a13 is not _FACTORY else _f13(); self.n14 = a14 if a14 is not _FACTORY else _f14(); self.n15 = a15 if a15 is not _FACTORY else _f15(); self.n16 = a16 if a16 is not _FACTORY else _f16(); self.n17 = a17 if a17 is not _FACTORY else _f17(); self.n18 = a18 if a18 is not _FACTORY else _f18(); self.n19 = a19 if a19 is not _FACTORY else _f19(); self.n20 = a20 if a20 is not _FACTORY else _f20(); self.n21 = a21 if a21 is not _FACTORY else _f21(); self.n22 = a22 if a22 is not _FACTORY else _f22(); self.n23 = a23 if a23 is not _FACTORY else _f23(); self.n24 = a24 if a24 is not _FACTORY else _f24()


def init26(self, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25): self.n0 = a0 if a0 is not _FACTORY else _f0(); self.n1 = a1 if a1 is not _FACTORY else _f1(); self.n2 = a2 if a2 is not _FACTORY else _f2(); self.n3 = a3 if a3 is not _FACTORY else _f3(); self.n4 = a4 if a4 is not _FACTORY else _f4(); self.n5 = a5 if a5 is not _FACTORY else _f5(); self.n6 = a6 if a6 is not _FACTORY else _f6(); self.n7 = a7 if a7 is not _FACTORY else _f7(); self.n8 = a8 if a8 is not _FACTORY else _f8(); self.n9 = a9 if a9 is not _FACTORY else _f9(); self.n10 = a10 if a10 is not _FACTORY else _f10(); self.n11 = a11 if a11 is not _FACTORY else _f11(); self.n12 = a12 if a12 is not _FACTORY else _f12(); self.n13 = a13 if a13 is not _FACTORY else _f13(); self.n14 = a14 if a14 is not _FACTORY else _f14(); self.n15 = a15 if a15 is not _FACTORY else _f15(); self.n16 = a16 if a16 is not _FACTORY else _f16(); self.n17 = a17 if a17 is not _FACTORY else _f17(); self.n18 = a18 if a18 is not _FACTORY else _f18(); self.n19 = a19 if a19 is not _FACTORY else _f19(); self.n20 = a20 if a20 is not _FACTORY else _f20(); self.n21 = a21 if a21 is not _FACTORY else _f21(); self.n22 = a22 if a22 is not _FACTORY else _f22(); self.n23 = a23 if a23 is not _FACTORY else _f23(); self.n24 = a24 if a24 is not _FACTORY else _f24(); self.n25 = a25 if a25 is not _FACTORY else _f25()


def init27(self, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25, a26): self.n0 = a0 if a0 is not _FACTORY else _f0(); self.n1 = a1 if a1 is not _FACTORY else _f1(); self.n2 = a2 if a2 is not _FACTORY else _f2(); self.n3 = a3 if a3 is not _FACTORY else _f3(); self.n4 = a4 if a4 is not _FACTORY else _f4(); self.n5 = a5 if a5 is not _FACTORY else _f5(); self.n6 = a6 if a6 is not _FACTORY else _f6(); self.n7 = a7 if a7 is not _FACTORY else _f7(); self.n8 = a8 if a8 is not _FACTORY else _f8(); self.n9 = a9 if a9 is not _FACTORY else _f9(); self.n10 = a10 if a10 is not _FACTORY else _f10(); self.n11 = a11 if a11 is not _FACTORY else _f11(); self.n12 = a12 if a12 is not _FACTORY else _f12(); self.n13 = a13 if a13 is not _FACTORY else _f13(); self.n14 = a14 if a14 is not _FACTORY else _f14(); self.n15 = a15 if a15 is not _FACTORY else _f15(); self.n16 = a16 if a16 is not _FACTORY else _f16(); self.n17 = a17 if a17 is not _FACTORY else _f17(); self.n18 = a18 if a18 is not _FACTORY else _f18(); self.n19 = a19 if a19 is not _FACTORY else _f19(); self.n20 = a20 if a20 is not _FACTORY else _f20(); self.n21 = a21 if a21 is not _FACTORY else _f21(); self.n22 = a22 if a22 is not _FACTORY else _f22(); self.n23 = a23 if a23 is not _FACTORY else _f23(); self.n24 = a24 if a24 is not _FACTORY else _f24(); self.n25 = a25 if a25 is not _FACTORY else _f25(); self.n26 = a26 if a26 is not _FACTORY else _f26()


def init28(self, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25, a26, a27): self.n0 = a0 if a0 is not _FACTORY else _f0(); self.n1 = a1 if a1 is not _FACTORY else _f1(); self.n2 = a2 if a2 is not _FACTORY else _f2(); self.n3 = a3 if a3 is not _FACTORY else _f3(); self.n4 = a4 if a4 is not _FACTORY else _f4(); self.n5 = a5 if a5 is not _FACTORY else _f5(); self.n6 = a6 if a6 is not _FACTORY else _f6(); self.n7 = a7 if a7 is not _FACTORY else _f7(); self.n8 = a8 if a8 is not _FACTORY else _f8(); self.n9 = a9 if a9 is not _FACTORY else _f9(); self.n10 = a10 if a10 is not _FACTORY else _f10(); self.n11 = a11 if a11 is not _FACTORY else _f11(); self.n12 = a12 if a12 is not _FACTORY else _f12(); self.n13 = a13 if a13 is not _FACTORY else _f13(); self.n14 = a14 if a14 is not _FACTORY else _f14(); self.n15 = a15 if a15 is not _FACTORY else _f15(); self.n16 = a16 if a16 is not _FACTORY else _f16(); self.n17 = a17 if a17 is not _FACTORY else _f17(); self.n18 = a18 if a18 is not _FACTORY else _f18(); self.n19 = a19 if a19 is not _FACTORY else _f19(); self.n20 = a20 if a20 is not _FACTORY else _f20(); self.n21 = a21 if a21 is not _FACTORY else _f21(); self.n22 = a22 if a22 is not _FACTORY else _f22(); self.n23 = a23 if a23 is not _FACTORY else _f23(); self.n24 = a24 if a24 is not _FACTORY else _f24(); self.n25 = a25 if a25 is not _FACTORY else _f25(); self.n26 = a26 if a26 is not _FACTORY else _f26(); self.n27 = a27 if a27 is not _FACTORY else _f27()


def init29(self, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25, a26, a27, a28): self.n0 = a0 if a0 is not _FACTORY else _f0(); self.n1 = a1 if a1 is not _FACTORY else _f1(); self.n2 = a2 if a2 is not _FACTORY else _f2(); self.n3 = a3 if a3 is not _FACTORY else _f3(); self.n4 = a4 if a4 is not _FACTORY else _f4(); self.n5 = a5 if a5 is not _FACTORY else _f5(); self.n6 = a6 if a6 is not _FACTORY else _f6(); self.n7 = a7 if a7 is not _FACTORY else _f7(); self.n8 = a8 if a8 is not _FACTORY else _f8(); self.n9 = a9 if a9 is not _FACTORY else _f9(); self.n10 = a10 if a10 is not _FACTORY else _f10(); self.n11 = a11 if a11 is not _FACTORY else _f11(); self.n12 = a12 if a12 is not _FACTORY else _f12(); self.n13 = a13 if a13 is not _FACTORY else _f13(); self.n14 = a14 if a14 is not _FACTORY else _f14(); self.n15 = a15 if a15 is not _FACTORY else _f15(); self.n16 = a16 if a16 is not _FACTORY else _f16(); self.n17 = a17 if a17 is not _FACTORY else _f17(); self.n18 = a18 if a18 is not _FACTORY else _f18(); self.n19 = a19 if a19 is not _FACTORY else _f19(); self.n20 = a20 if a20 is not _FACTORY else _f20(); self.n21 = a21 if a21 is not _FACTORY else _f21(); self.n22 = a22 if a22 is not _FACTORY else _f22(); self.n23 = a23 if a23 is not _FACTORY else _f23(); self.n24 = a24 if a24 is not _FACTORY else _f24(); self.n25 = a25 if a25 is not _FACTORY else _f25(); self.n26 = a26 if a26 is not _FACTORY else _f26(); self.n27 = a27 if a27 is not _FACTORY else _f27(); self.n28 = a28 if a28 is not _FACTORY else _f28()


def init30(self, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25, a26, a27, a28, a29): self.n0 = a0 if a0 is not _FACTORY else _f0(); self.n1 = a1 if a1 is not _FACTORY else _f1(); self.n2 = a2 if a2 is not _FACTORY else _f2(); self.n3 = a3 if a3 is not _FACTORY else _f3(); self.n4 = a4 if a4 is not _FACTORY else _f4(); self.n5 = a5 if a5 is not _FACTORY else _f5(); self.n6 = a6 if a6 is not _FACTORY else _f6(); self.n7 = a7 if a7 is not _FACTORY else _f7(); self.n8 = a8 if a8 is not _FACTORY else _f8(); self.n9 = a9 if a9 is not _FACTORY else _f9(); self.n10 = a10 if a10 is not _FACTORY else _f10(); self.n11 = a11 if a11 is not _FACTORY else _f11(); self.n12 = a12 if a12 is not _FACTORY else _f12(); self.n13 = a13 if a13 is not _FACTORY else _f13(); self.n14 = a14 if a14 is not _FACTORY else _f14(); self.n15 = a15 if a15 is not _FACTORY else _f15(); self.n16 = a16 if a16 is not _FACTORY else _f16(); self.n17 = a17 if a17 is not _FACTORY else _f17(); self.n18 = a18 if a18 is not _FACTORY else _f18(); self.n19 = a19 if a19 is not _FACTORY else _f19(); self.n20 = a20 if a20 is not _FACTORY else _f20(); self.n21 = a21 if a21 is not _FACTORY else _f21(); self.n22 = a22 if a22 is not _FACTORY else _f22(); self.n23 = a23 if a23 is not _FACTORY else _f23(); self.n24 = a24 if a24 is not _FACTORY else _f24(); self.n25 = a25 if a25 is not _FACTORY else _f25(); self.n26 = a26 if a26 is not _FACTORY else _f26(); self.n27 = a27 if a27 is not _FACTORY else _f27(); self.n28 = a28 if a28 is not _FACTORY else _f28(); self.n29 = a29 if a29 is not _FACTORY else _f29()


def init31(self, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25, a26, a27, a28, a29, a30): self.n0 = a0 if a0 is not _FACTORY else _f0(); self.n1 = a1 if a1 is not _FACTORY else _f1(); self.n2 = a2 if a2 is not _FACTORY else _f2(); self.n3 = a3 if a3 is not _FACTORY else _f3(); self.n4 = a4 if a4 is not _FACTORY else _f4(); self.n5 = a5 if a5 is not _FACTORY else _f5(); self.n6 = a6 if a6 is not _FACTORY else _f6(); self.n7 = a7 if a7 is not _FACTORY else _f7(); self.n8 = a8 if a8 is not _FACTORY else _f8(); self.n9 = a9 if a9 is not _FACTORY else _f9(); self.n10 = a10 if a10 is not _FACTORY else _f10(); self.n11 = a11 if a11 is not _FACTORY else _f11(); self.n12 = a12 if a12 is not _FACTORY else _f12(); self.n13 = a13 if a13 is not _FACTORY else _f13(); self.n14 = a14 if a14 is not _FACTORY else _f14(); self.n15 = a15 if a15 is not _FACTORY else _f15(); self.n16 = a16 if a16 is not _FACTORY else _f16(); self.n17 = a17 if a17 is not _FACTORY else _f17(); self.n18 = a18 if a18 is not _FACTORY else _f18(); self.n19 = a19 if a19 is not _FACTORY else _f19(); self.n20 = a20 if a20 is not _FACTORY else _f20(); self.n21 = a21 if a21 is not _FACTORY else _f21(); self.n22 = a22 if a22 is not _FACTORY else _f22(); self.n23 = a23 if a23 is not _FACTORY else _f23(); self.n24 = a24 if a24 is not _FACTORY else _f24(); self.n25 = a25 if a25 is not _FACTORY else _f25(); self.n26 = a26 if a26 is not _FACTORY else _f26(); self.n27 = a27 if a27 is not _FACTORY else _f27(); self.n28 = a28 if a28 is not _FACTORY else _f28(); self.n29 = a29 if a29 is not _FACTORY else _f29(); self.n30 = a30 if a30 is not _FACTORY else _f30()


def init32(self, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25, a26, a27, a28, a29, a30, a31): self.n0 = a0 if a0 is not _FACTORY else _f0(); self.n1 = a1 if a1 is not _FACTORY else _f1(); self.n2 = a2 if a2 is not _FACTORY else _f2(); self.n3 = a3 if a3 is not _FACTORY else _f3(); self.n4 = a4 if a4 is not _FACTORY else _f4(); self.n5 = a5 if a5 is not _FACTORY else _f5(); self.n6 = a6 if a6 is not _FACTORY else _f6(); self.n7 = a7 if a7 is not _FACTORY else _f7(); self.n8 = a8 if a8 is not _FACTORY else _f8(); self.n9 = a9 if a9 is not _FACTORY else _f9(); self.n10 = a10 if a10 is not _FACTORY else _f10(); self.n11 = a11 if a11 is not _FACTORY else _f11(); self.n12 = a12 if a12 is not _FACTORY else _f12(); self.n13 = a13 if a13 is not _FACTORY else _f13(); self.n14 = a14 if a14 is not _FACTORY else _f14(); self.n15 = a15 if a15 is not _FACTORY else _f15(); self.n16 = a16 if a16 is not _FACTORY else _f16(); self.n17 = a17 if a17 is not _FACTORY else _f17(); self.n18 = a18 if a18 is not _FACTORY else _f18(); self.n19 = a19 if a19 is not _FACTORY else _f19(); self.n20 = a20 if a20 is not _FACTORY else _f20(); self.n21 = a21 if a21 is not _FACTORY else _f21(); self.n22 = a22 if a22 is not _FACTORY else _f22(); self.n23 = a23 if a23 is not _FACTORY else _f23(); self.n24 = a24 if a24 is not _FACTORY else _f24(); self.n25 = a25 if a25 is not _FACTORY else _f25(); self.n26 = a26 if a26 is not _FACTORY else _f26(); self.n27 = a27 if a27 is not _FACTORY else _f27(); self.n28 = a28 if a28 is not _FACTORY else _f28(); self.n29 = a29 if a29 is not _FACTORY else _f29(); self.n30 = a30 if a30 is not _FACTORY else _f30(); self.n31 = a31 if a31 is not _FACTORY else _f31()


def new0(_cls): return _tuple_new(_cls, ())


def new1(_cls, a0): return _tuple_new(_cls, (a0,))


def new2(_cls, a0, a1): return _tuple_new(_cls, (a0, a1))


def new3(_cls, a0, a1, a2): return _tuple_new(_cls, (a0, a1, a2))


def new4(_cls, a0, a1, a2, a3): return _tuple_new(_cls, (a0, a1, a2, a3))


def new5(_cls, a0, a1, a2, a3, a4): return _tuple_new(_cls, (a0, a1, a2, a3, a4))


def new6(_cls, a0, a1, a2, a3, a4, a5): return _tuple_new(_cls, (a0, a1, a2, a3, a4, a5))


def new7(_cls, a0, a1, a2, a3, a4, a5, a6): return _tuple_new(_cls, (a0, a1, a2, a3, a4, a5, a6))


def new8(_cls, a0, a1, a2, a3, a4, a5, a6, a7): return _tuple_new(_cls, (a0, a1, a2, a3, a4, a5, a6, a7))


def new9(_cls, a0, a1, a2, a3, a4, a5, a6, a7, a8): return _tuple_new(_cls, (a0, a1, a2, a3, a4, a5, a6, a7, a8))


def new10(_cls, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9): return _tuple_new(_cls, (a0, a1, a2, a3, a4, a5, a6, a7, a8, a9))


def new11(_cls, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10): return _tuple_new(_cls, (a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10))


def new12(_cls, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11): return _tuple_new(_cls, (a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11))


def new13(_cls, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12): return _tuple_new(_cls, (a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12))


def new14(_cls, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13): return _tuple_new(_cls, (a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13))


def new15(_cls, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14): return _tuple_new(_cls, (a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14))


def new16(_cls, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15): return _tuple_new(_cls, (a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15))


def new17(_cls, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16): return _tuple_new(_cls, (a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16))


def new18(_cls, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17): return _tuple_new(_cls, (a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17))


def new19(_cls, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18): return _tuple_new(_cls, (a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18))


def new20(_cls, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19): return _tuple_new(_cls, (a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19))


def new21(_cls, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20): return _tuple_new(_cls, (a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20))


def new22(_cls, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21): return _tuple_new(_cls, (a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21))


def new23(_cls, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22): return _tuple_new(_cls, (a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22))


def new24(_cls, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23): return _tuple_new(_cls, (a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23))


def new25(_cls, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24): return _tuple_new(_cls, (a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24))


def new26(_cls, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25): return _tuple_new(_cls, (a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25))


def new27(_cls, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25, a26): return _tuple_new(_cls, (a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25, a26))


def new28(_cls, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25, a26, a27): return _tuple_new(_cls, (a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25, a26, a27))


def new29(_cls, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25, a26, a27, a28): return _tuple_new(_cls, (a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25, a26, a27, a28))


def new30(_cls, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25, a26, a27, a28, a29): return _tuple_new(_cls, (a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25, a26, a27, a28, a29))


def new31(_cls, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25, a26, a27, a28, a29, a30): return _tuple_new(_cls, (a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25, a26, a27, a28, a29, a30))


def new32(_cls, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25, a26, a27, a28, a29, a30, a31): return _tuple_new(_cls, (a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25, a26, a27, a28, a29, a30, a31))
