"""Struct layouts shared by the C headers and the Python kernel (see kernel/ABI.md).

tests/test_abi_layout.py compiles the headers and checks every offset here against gcc.
"""

from __future__ import annotations

import ctypes as C
from enum import IntEnum

HZ = 1000
MODULE_NAME_LEN = 64 - 8
TASK_COMM_LEN = 16
KLP_UNDEFINED, KLP_UNPATCHED, KLP_PATCHED = -1, 0, 1
VERMAGIC = "4.19.0-klpsh SMP mod_unload "


class ModuleState(IntEnum):
    LIVE = 0
    COMING = 1
    GOING = 2
    UNFORMED = 3


class ListHead(C.Structure):
    _fields_ = [("next", C.c_uint64), ("prev", C.c_uint64)]


class HlistNode(C.Structure):
    _fields_ = [("next", C.c_uint64), ("pprev", C.c_uint64)]


class Module(C.Structure):
    _fields_ = [("state", C.c_int), ("list", ListHead), ("name", C.c_char * MODULE_NAME_LEN),
                ("init", C.c_uint64), ("exit", C.c_uint64), ("klp", C.c_bool), ("klp_alive", C.c_bool)]


class KernelParamOps(C.Structure):
    _fields_ = [("flags", C.c_uint), ("set", C.c_uint64), ("get", C.c_uint64), ("free", C.c_uint64)]


class KernelParam(C.Structure):
    _fields_ = [("name", C.c_uint64), ("mod", C.c_uint64), ("ops", C.c_uint64), ("perm", C.c_uint16),
                ("level", C.c_int8), ("flags", C.c_uint8), ("arg", C.c_uint64)]


class TaskStruct(C.Structure):
    _fields_ = [("state", C.c_long), ("stack", C.c_uint64), ("patch_state", C.c_int), ("pid", C.c_int),
                ("tgid", C.c_int), ("comm", C.c_char * TASK_COMM_LEN), ("flags", C.c_uint)]


class WorkStruct(C.Structure):
    _fields_ = [("data", C.c_long), ("entry", ListHead), ("func", C.c_uint64)]


class TimerList(C.Structure):
    _fields_ = [("entry", HlistNode), ("expires", C.c_ulong), ("function", C.c_uint64), ("flags", C.c_uint32)]


class DelayedWork(C.Structure):
    _fields_ = [("work", WorkStruct), ("timer", TimerList), ("wq", C.c_uint64), ("cpu", C.c_int)]


class SeqFile(C.Structure):
    _fields_ = [("buf", C.c_uint64), ("size", C.c_size_t), ("from_", C.c_size_t), ("count", C.c_size_t),
                ("pad_until", C.c_size_t), ("index", C.c_long), ("read_pos", C.c_long),
                ("version", C.c_uint64), ("private", C.c_uint64)]


class KlpFunc(C.Structure):
    _fields_ = [("old_name", C.c_uint64), ("new_func", C.c_uint64), ("old_sympos", C.c_ulong),
                ("old_addr", C.c_ulong), ("stack_node", ListHead), ("old_size", C.c_ulong),
                ("new_size", C.c_ulong), ("patched", C.c_bool), ("transition", C.c_bool)]


class KlpCallbacks(C.Structure):
    _fields_ = [("pre_patch", C.c_uint64), ("post_patch", C.c_uint64), ("pre_unpatch", C.c_uint64),
                ("post_unpatch", C.c_uint64), ("post_unpatch_enabled", C.c_bool)]


class KlpObject(C.Structure):
    _fields_ = [("name", C.c_uint64), ("funcs", C.c_uint64), ("callbacks", KlpCallbacks),
                ("mod", C.c_uint64), ("patched", C.c_bool)]


class KlpPatch(C.Structure):
    _fields_ = [("mod", C.c_uint64), ("objs", C.c_uint64), ("list", ListHead), ("enabled", C.c_bool)]


class Mutex(C.Structure):
    _fields_ = [("owner", C.c_long), ("wait_lock", C.c_uint), ("wait_list", ListHead)]


class SysInfo(C.Structure):
    _fields_ = [("uptime", C.c_long), ("loads", C.c_ulong * 3), ("totalram", C.c_ulong),
                ("freeram", C.c_ulong), ("sharedram", C.c_ulong), ("bufferram", C.c_ulong),
                ("totalswap", C.c_ulong), ("freeswap", C.c_ulong), ("procs", C.c_uint16),
                ("pad", C.c_uint16), ("totalhigh", C.c_ulong), ("freehigh", C.c_ulong),
                ("mem_unit", C.c_uint32)]


for _cls in (ListHead, HlistNode, Module, KernelParamOps, KernelParam, TaskStruct, WorkStruct,
             TimerList, DelayedWork, SeqFile, KlpFunc, KlpCallbacks, KlpObject, KlpPatch, Mutex,
             SysInfo):
    _cls.size = C.sizeof(_cls)  # type: ignore[attr-defined]
