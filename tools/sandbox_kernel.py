"""Kernel confinement of the sandbox's child: Landlock, a seccomp filter and its supervisor, no capabilities.

``sandbox_boot.py`` loads this file by path before the code runs (it may use only the standard
library: the child imports nothing from mathteam); ``doctor`` and ``sandbox.py`` import it to say
what this kernel enforces. Everything is plain ``ctypes`` over Linux system calls:

* **seccomp** (a BPF filter written here, x86-64 and AArch64): creating a process (``fork``,
  ``vfork``, ``clone`` without ``CLONE_THREAD``, ``execve``, ``execveat``), signalling or tracing
  another process, and ``socket()`` are refused, whatever calls them (Python, ctypes, a C
  extension). Threads still work. The refused calls go to a **supervisor**, a small process forked
  before the filter was loaded, which records each refusal for the parent (the limit's name and the
  call) and answers ``EPERM``; opening for writing, creating, removing, renaming and linking paths
  also go to it, so that one outside the working directory is recorded and refused. Changing
  permissions, owners, times or extended attributes is refused everywhere; so are mounts, namespaces,
  modules, BPF, ``io_uring`` and the other administration calls, and installing another seccomp
  listener (it could answer for ours).
* **Landlock**: writing, creating, removing, renaming, linking and truncating are allowed only under
  the working directory (and writing ``/dev/null``), whatever path the kernel ends up resolving
  (symlinks, ``..``, a race between threads); TCP bind/connect (ABI 4) and signals or abstract
  sockets reaching outside the sandbox (ABI 6) are refused too.
* **capabilities**: all dropped (bounding, effective, permitted, inheritable, ambient), so a run as
  root can no longer raise its rlimits, mount, load modules or override file permissions.

A filter that refused nothing it should have is worth nothing, hence the tests in
``tests/test_sandbox.py`` make these calls through ctypes.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import platform
import select
import socket
import struct

# --- system-call numbers (from the kernel's unistd headers) -------------------------------------

AUDIT_ARCH = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}

_COMMON = {  # numbers shared by x86-64 and the generic table (AArch64)
    "clone3": 435, "pidfd_open": 434, "pidfd_send_signal": 424, "pidfd_getfd": 438,
    "io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427, "open_tree": 428,
    "move_mount": 429, "fsopen": 430, "fsconfig": 431, "fsmount": 432, "fspick": 433,
    "mount_setattr": 442, "openat2": 437, "fchmodat2": 452, "landlock_create_ruleset": 444,
    "landlock_add_rule": 445, "landlock_restrict_self": 446,
    "setxattrat": 463, "getxattrat": 464, "listxattrat": 465, "removexattrat": 466,
}
SYSCALLS = {
    "x86_64": _COMMON | {
        "fork": 57, "vfork": 58, "clone": 56, "execve": 59, "execveat": 322, "kill": 62, "tkill": 200,
        "tgkill": 234, "rt_sigqueueinfo": 129, "rt_tgsigqueueinfo": 297, "ptrace": 101,
        "process_vm_readv": 310, "process_vm_writev": 311, "socket": 41, "mount": 165, "umount2": 166,
        "pivot_root": 155, "chroot": 161, "unshare": 272, "setns": 308, "bpf": 321,
        "perf_event_open": 298, "init_module": 175, "finit_module": 313, "delete_module": 176,
        "kexec_load": 246, "kexec_file_load": 320, "reboot": 169, "open_by_handle_at": 304,
        "name_to_handle_at": 303, "userfaultfd": 323, "keyctl": 250, "add_key": 248, "request_key": 249,
        "acct": 163, "swapon": 167, "swapoff": 168, "quotactl": 179, "syslog": 103, "iopl": 172,
        "ioperm": 173, "settimeofday": 164, "clock_settime": 227, "adjtimex": 159, "clock_adjtime": 305,
        "sethostname": 170, "setdomainname": 171, "fanotify_init": 300, "kcmp": 312, "seccomp": 317,
        "open": 2, "creat": 85, "openat": 257, "mkdir": 83, "mkdirat": 258, "rmdir": 84, "unlink": 87,
        "unlinkat": 263, "rename": 82, "renameat": 264, "renameat2": 316, "link": 86, "linkat": 265,
        "symlink": 88, "symlinkat": 266, "mknod": 133, "mknodat": 259, "truncate": 76,
        "chmod": 90, "fchmod": 91, "fchmodat": 268, "chown": 92, "fchown": 93, "lchown": 94,
        "fchownat": 260, "utime": 132, "utimes": 235, "utimensat": 280, "futimesat": 261,
        "setxattr": 188, "lsetxattr": 189, "fsetxattr": 190, "removexattr": 197, "lremovexattr": 198,
        "fremovexattr": 199,
    },
    "aarch64": _COMMON | {
        "clone": 220, "execve": 221, "execveat": 281, "kill": 129, "tkill": 130, "tgkill": 131,
        "rt_sigqueueinfo": 138, "rt_tgsigqueueinfo": 240, "ptrace": 117, "process_vm_readv": 270,
        "process_vm_writev": 271, "socket": 198, "mount": 40, "umount2": 39, "pivot_root": 41,
        "chroot": 51, "unshare": 97, "setns": 268, "bpf": 280, "perf_event_open": 241,
        "init_module": 105, "finit_module": 273, "delete_module": 106, "kexec_load": 104,
        "kexec_file_load": 294, "reboot": 142, "open_by_handle_at": 265, "name_to_handle_at": 264,
        "userfaultfd": 282, "keyctl": 219, "add_key": 217, "request_key": 218, "acct": 89,
        "swapon": 224, "swapoff": 225, "quotactl": 60, "syslog": 116, "settimeofday": 170,
        "clock_settime": 112, "adjtimex": 171, "clock_adjtime": 266, "sethostname": 161,
        "setdomainname": 162, "fanotify_init": 262, "kcmp": 272, "seccomp": 277,
        "openat": 56, "mkdirat": 34, "unlinkat": 35, "renameat": 38, "renameat2": 276, "linkat": 37,
        "symlinkat": 36, "mknodat": 33, "truncate": 45, "fchmod": 52, "fchmodat": 53, "fchown": 55,
        "fchownat": 54, "utimensat": 88, "setxattr": 5, "lsetxattr": 6, "fsetxattr": 7,
        "removexattr": 14, "lremovexattr": 15, "fremovexattr": 16,
    },
}

PROCESS_CREATION = ("fork", "vfork", "execve", "execveat")
OTHER_PROCESSES = ("tkill", "ptrace", "process_vm_readv", "process_vm_writev", "pidfd_open",
                   "pidfd_send_signal", "pidfd_getfd")
ADMINISTRATION = (
    "mount", "umount2", "pivot_root", "chroot", "unshare", "setns", "bpf", "perf_event_open",
    "init_module", "finit_module", "delete_module", "kexec_load", "kexec_file_load", "reboot",
    "open_by_handle_at", "name_to_handle_at", "userfaultfd", "keyctl", "add_key", "request_key", "acct",
    "swapon", "swapoff", "quotactl", "syslog", "iopl", "ioperm", "settimeofday", "clock_settime",
    "adjtimex", "clock_adjtime", "sethostname", "setdomainname", "fanotify_init", "kcmp",
    "io_uring_setup", "io_uring_enter", "io_uring_register", "open_tree", "move_mount", "fsopen",
    "fsconfig", "fsmount", "fspick", "mount_setattr", "seccomp",
)
METADATA = ("chmod", "fchmod", "fchmodat", "fchmodat2", "chown", "fchown", "lchown", "fchownat", "utime",
            "utimes", "utimensat", "futimesat", "setxattr", "lsetxattr", "fsetxattr", "removexattr",
            "lremovexattr", "fremovexattr", "setxattrat", "removexattrat")
AT_FDCWD = -100
# Paths the supervisor checks: syscall -> ((dirfd index or None, path index, follows the last link), ...)
PATH_CALLS = {
    "open": ((None, 0, True),), "creat": ((None, 0, True),), "openat": ((0, 1, True),),
    "openat2": ((0, 1, True),), "mkdir": ((None, 0, False),), "mkdirat": ((0, 1, False),),
    "rmdir": ((None, 0, False),), "unlink": ((None, 0, False),), "unlinkat": ((0, 1, False),),
    "rename": ((None, 0, False), (None, 1, False)), "renameat": ((0, 1, False), (2, 3, False)),
    "renameat2": ((0, 1, False), (2, 3, False)), "link": ((None, 0, False), (None, 1, False)),
    "linkat": ((0, 1, False), (2, 3, False)), "symlink": ((None, 1, False),),
    "symlinkat": ((1, 2, False),), "mknod": ((None, 0, False),), "mknodat": ((0, 1, False),),
    "truncate": ((None, 0, True),),
}
OPEN_FLAGS_INDEX = {"open": 1, "openat": 2}  # creat always writes; openat2's flags are in memory
WRITE_OPEN_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
CLONE_THREAD = 0x00010000

# --- seccomp and BPF ------------------------------------------------------------------------------

RET_KILL_PROCESS, RET_ERRNO, RET_USER_NOTIF, RET_ALLOW = 0x80000000, 0x00050000, 0x7FC00000, 0x7FFF0000
LD_ABS_W, JEQ_K, JGE_K, JSET_K, RET_K = 0x20, 0x15, 0x35, 0x45, 0x06
SECCOMP_SET_MODE_FILTER, FLAG_NEW_LISTENER = 1, 1 << 3
NOTIF_RECV, NOTIF_SEND = 0xC0502100, 0xC0182101  # _IOWR('!', 0, 80 bytes), _IOWR('!', 1, 24 bytes)
NOTIF_FORMAT, RESPONSE_FORMAT = "=QIIiIQ6Q", "=QqiI"
USER_NOTIF_FLAG_CONTINUE = 1
PR_SET_NO_NEW_PRIVS, PR_CAPBSET_DROP, PR_CAP_AMBIENT, PR_SET_PDEATHSIG, PR_SET_PTRACER = 38, 24, 47, 1, 0x59616D61

# --- Landlock ------------------------------------------------------------------------------------

FS_WRITE_FILE, FS_TRUNCATE, FS_REFER = 1 << 1, 1 << 14, 1 << 13
FS_MODIFY_V1 = sum(1 << bit for bit in (1, 4, 5, 6, 7, 8, 9, 10, 11, 12))  # write, remove, make_*
NET_BIND_CONNECT_TCP = 0b11
SCOPE_ABSTRACT_UNIX_AND_SIGNAL = 0b11


class _Libc:
    """libc's ``syscall`` and ``prctl``, with errno."""

    def __init__(self) -> None:
        self.lib = ctypes.CDLL(None, use_errno=True)
        self.lib.syscall.restype = ctypes.c_long
        self.lib.prctl.restype = ctypes.c_int

    def call(self, number: int, *args) -> int:
        result = self.lib.syscall(ctypes.c_long(number), *args)
        if result < 0:
            code = ctypes.get_errno()
            raise OSError(code, os.strerror(code))
        return result

    def prctl(self, option: int, arg2: int = 0, arg3: int = 0, arg4: int = 0, arg5: int = 0) -> int:
        args = [ctypes.c_ulong(value) for value in (arg2, arg3, arg4, arg5)]
        result = self.lib.prctl(ctypes.c_int(option), *args)
        if result < 0:
            code = ctypes.get_errno()
            raise OSError(code, os.strerror(code))
        return result


def machine() -> str | None:
    """``x86_64`` or ``aarch64`` when this module knows the machine's system calls, else None."""
    name = platform.machine().lower()
    name = {"amd64": "x86_64", "arm64": "aarch64"}.get(name, name)
    return name if name in SYSCALLS else None


def landlock_abi() -> int:
    """The Landlock ABI version this kernel offers; 0 when Landlock is missing or disabled."""
    try:
        return _Libc().call(_COMMON["landlock_create_ruleset"], None, ctypes.c_size_t(0), ctypes.c_uint32(1))
    except OSError:
        return 0


def seccomp_notify_available() -> bool:
    """Whether the kernel offers seccomp filters with a user-space listener (Linux 5.5 or later)."""
    try:
        with open("/proc/sys/kernel/seccomp/actions_avail", encoding="ascii") as handle:
            return "user_notif" in handle.read().split()
    except OSError:
        return False


def kernel_guarantees() -> list[tuple[str, bool, str]]:
    """(guarantee, enforced by the kernel here, how or why not) for each sandbox guarantee."""
    arch = machine()
    notify = seccomp_notify_available()
    seccomp_ok = arch is not None and notify
    abi = landlock_abi()
    why_no_seccomp = (f"this machine ({platform.machine()}) has no system-call table here" if arch is None
                      else "the kernel offers no seccomp user notification (needs Linux 5.5+)")
    return [
        ("processes", seccomp_ok,
         "seccomp refuses fork, vfork, clone of a process, execve and signals to other processes"
         if seccomp_ok else f"weaker: only a Python audit hook and the pids cgroup stop them: {why_no_seccomp}"),
        ("filesystem", abi > 0,
         f"Landlock (ABI {abi}) allows writes only under the working directory; seccomp refuses "
         "permission, owner, time and attribute changes" if abi > 0 else
         "weaker: only a Python audit hook guards writes (native code can write anywhere the user may): "
         "Landlock is not enabled in this kernel (needs Linux 5.13+ with landlock in the lsm= list)"),
        ("network", seccomp_ok,
         "seccomp refuses socket() (a private network namespace too where unshare works)"
         if seccomp_ok else f"weaker: a private network namespace where unshare works, else only a "
                            f"Python audit hook: {why_no_seccomp}"),
        ("limits", True, "rlimits for CPU, memory and file size, with every capability dropped so "
                         "they cannot be raised; output is cut by the parent"),
    ]


def _jump(code: int, k: int, jt: int, jf: int) -> tuple[int, int, int, int]:
    return (code, jt, jf, k)


def _ret(action: int) -> tuple[int, int, int, int]:
    return (RET_K, 0, 0, action)


def _load_arg(index: int) -> tuple[int, int, int, int]:
    # seccomp_data: int nr; u32 arch; u64 ip; u64 args[6]. The low word is enough for ints and flags.
    return (LD_ABS_W, 0, 0, 16 + 8 * index + (0 if struct.pack("=H", 1)[0] == 1 else 4))


def filter_program(arch: str, pid: int, supervised: bool) -> list[tuple[int, int, int, int]]:
    """The BPF program: (code, jt, jf, k) instructions, first match wins, default allow."""
    numbers = SYSCALLS[arch]
    watched = RET_USER_NOTIF if supervised else RET_ERRNO | errno.EPERM
    path_check = RET_USER_NOTIF if supervised else RET_ALLOW  # Landlock decides without a supervisor
    blocks: list[tuple[int, list[tuple[int, int, int, int]]]] = []

    def add(name: str, block: list) -> None:
        if name in numbers:
            blocks.append((numbers[name], block))

    for name in PROCESS_CREATION:
        add(name, [_ret(watched)])
    # clone: a thread (CLONE_THREAD set) is fine, anything else is a new process.
    add("clone", [_load_arg(0), _jump(JSET_K, CLONE_THREAD, 0, 1), _ret(RET_ALLOW), _ret(watched)])
    # clone3 passes its flags in memory, out of a filter's reach: the C library falls back to clone.
    add("clone3", [_ret(RET_ERRNO | errno.ENOSYS)])
    own = [pid, 0, (-pid) & 0xFFFFFFFF]
    for name in ("kill", "rt_sigqueueinfo", "tgkill", "rt_tgsigqueueinfo"):
        block = [_load_arg(0)]
        for value in own:
            block += [_jump(JEQ_K, value, 0, 1), _ret(RET_ALLOW)]
        add(name, block + [_ret(watched)])
    for name in OTHER_PROCESSES:
        add(name, [_ret(watched)])
    # socket(): local (AF_UNIX) sockets are refused quietly (the C library tries one for user
    # look-ups); any other family is a network attempt.
    add("socket", [_load_arg(0), _jump(JEQ_K, socket.AF_UNIX, 0, 1), _ret(RET_ERRNO | errno.EACCES),
                   _ret(watched)])
    for name in ADMINISTRATION:
        add(name, [_ret(RET_ERRNO | errno.EPERM)])
    for name in METADATA:
        add(name, [_ret(watched)])
    for name in PATH_CALLS:
        if name in OPEN_FLAGS_INDEX:
            add(name, [_load_arg(OPEN_FLAGS_INDEX[name]), _jump(JSET_K, WRITE_OPEN_FLAGS, 0, 1),
                       _ret(path_check), _ret(RET_ALLOW)])
        else:
            add(name, [_ret(path_check)])
    program = [(LD_ABS_W, 0, 0, 4), _jump(JEQ_K, AUDIT_ARCH[arch], 1, 0), _ret(RET_KILL_PROCESS),
               (LD_ABS_W, 0, 0, 0)]
    if arch == "x86_64":  # the x32 ABI's numbers have bit 30 set: refuse them all
        program += [_jump(JGE_K, 0x40000000, 0, 1), _ret(RET_KILL_PROCESS)]
    for number, block in blocks:
        program += [_jump(JEQ_K, number, 0, len(block))] + block
    return program + [_ret(RET_ALLOW)]


def describe(arch: str, number: int, args: tuple[int, ...]) -> tuple[str, str]:
    """(limit, what was attempted) for a call the supervisor refuses."""
    name = next((key for key, value in SYSCALLS[arch].items() if value == number), f"syscall {number}")
    if name in PROCESS_CREATION or name in ("clone", "clone3"):
        return "processes", f"creating a process ({name}, refused by seccomp)"
    if name == "socket":
        return "network", f"opening a network socket (socket family {args[0] & 0xFFFFFFFF}, refused by seccomp)"
    if name in METADATA:
        return "filesystem", f"changing file metadata ({name}, refused by seccomp)"
    if name in PATH_CALLS:
        return "filesystem", f"{name} outside the working directory"
    return "processes", f"reaching another process ({name}, refused by seccomp)"


# --- the supervisor ---------------------------------------------------------------------------------


def _read_string(pid: int, address: int, limit: int = 4096) -> str | None:
    """A NUL-terminated string from the target's memory, or None when it cannot be read."""
    if address == 0:
        return None
    try:
        fd = os.open(f"/proc/{pid}/mem", os.O_RDONLY)
    except OSError:
        return None
    try:
        data = b""
        while len(data) < limit:
            step = 4096 - (address + len(data)) % 4096  # never read across a page we may not own
            chunk = os.pread(fd, step, address + len(data))
            if not chunk:
                return None
            if b"\0" in chunk:
                return os.fsdecode(data + chunk[:chunk.index(b"\0")])
            data += chunk
        return None
    except OSError:
        return None
    finally:
        os.close(fd)


def _resolve(pid: int, dirfd: int | None, path: str, follow: bool) -> str | None:
    if not os.path.isabs(path):
        base = f"/proc/{pid}/cwd" if dirfd is None or dirfd == AT_FDCWD else f"/proc/{pid}/fd/{dirfd}"
        try:
            path = os.path.join(os.readlink(base), path)
        except OSError:
            return None
    if follow:
        return os.path.realpath(path)
    head, tail = os.path.split(path.rstrip("/") or "/")
    return os.path.join(os.path.realpath(head), tail)


def outside_paths(arch: str, pid: int, number: int, args: tuple[int, ...], workdir: str) -> list[str]:
    """The paths a path call names outside ``workdir``; one the supervisor cannot read is left to Landlock."""
    name = next(key for key, value in SYSCALLS[arch].items() if value == number)
    outside = []
    for dirfd_index, path_index, follow in PATH_CALLS[name]:
        path = _read_string(pid, args[path_index])
        if path is None:
            continue  # not readable here (no ptrace right): Landlock still decides, unrecorded
        if path == os.devnull:
            continue
        dirfd = None if dirfd_index is None else struct.unpack("=i", struct.pack("=I", args[dirfd_index] & 0xFFFFFFFF))[0]
        real = _resolve(pid, dirfd, path, follow)
        if real is None or not (real == workdir or real.startswith(workdir + os.sep)):
            outside.append(path)
    return outside


def supervise(listener: int, arch: str, workdir: str, record) -> None:
    """Answer every notification of the filter until no process uses it any more."""
    poller = select.poll()
    poller.register(listener, select.POLLIN)
    path_numbers = {SYSCALLS[arch][name] for name in PATH_CALLS if name in SYSCALLS[arch]}
    while True:
        events = poller.poll()
        if not any(mask & select.POLLIN for _, mask in events):
            return  # POLLHUP: the filtered process is gone
        buffer = bytearray(struct.calcsize(NOTIF_FORMAT))
        try:
            fcntl.ioctl(listener, NOTIF_RECV, buffer, True)
        except OSError as error:
            if error.errno in (errno.ENOENT, errno.EINTR):
                continue  # the caller was interrupted or died before we read it
            return
        ident, pid, _flags, number, _arch, _ip, *args = struct.unpack(NOTIF_FORMAT, buffer)
        answer = (ident, 0, -errno.EPERM, 0)
        if number in path_numbers:
            outside = outside_paths(arch, pid, number, tuple(args), workdir)
            if not outside:
                answer = (ident, 0, 0, USER_NOTIF_FLAG_CONTINUE)  # Landlock still checks it
            else:
                name = describe(arch, number, tuple(args))[1].split(" ", 1)[0]
                record("filesystem", f"writing {outside[0]!r} outside the working directory "
                                     f"({name}, refused by seccomp and Landlock)")
                answer = (ident, 0, -errno.EACCES, 0)
        else:
            record(*describe(arch, number, tuple(args)))
        try:
            fcntl.ioctl(listener, NOTIF_SEND, bytearray(struct.pack(RESPONSE_FORMAT, *answer)), True)
        except OSError:
            continue  # the caller is gone


# --- putting it in place ----------------------------------------------------------------------------


def _landlock(libc: _Libc, abi: int, workdir: str) -> None:
    fs = FS_MODIFY_V1 | (FS_REFER if abi >= 2 else 0) | (FS_TRUNCATE if abi >= 3 else 0)
    net = NET_BIND_CONNECT_TCP if abi >= 4 else 0
    scoped = SCOPE_ABSTRACT_UNIX_AND_SIGNAL if abi >= 6 else 0
    attr = struct.pack("=QQQ", fs, net, scoped)[: 8 if abi < 4 else 16 if abi < 6 else 24]
    ruleset = libc.call(_COMMON["landlock_create_ruleset"], ctypes.c_char_p(attr), ctypes.c_size_t(len(attr)),
                        ctypes.c_uint32(0))
    try:
        for path, access in ((workdir, fs), (os.devnull, FS_WRITE_FILE | (FS_TRUNCATE if abi >= 3 else 0))):
            fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            try:
                rule = struct.pack("=Qi", access, fd)  # landlock_path_beneath_attr, packed
                libc.call(_COMMON["landlock_add_rule"], ctypes.c_int(ruleset), ctypes.c_int(1),
                          ctypes.c_char_p(rule), ctypes.c_uint32(0))
            finally:
                os.close(fd)
        libc.call(_COMMON["landlock_restrict_self"], ctypes.c_int(ruleset), ctypes.c_uint32(0))
    finally:
        os.close(ruleset)


def _drop_capabilities(libc: _Libc) -> None:
    for capability in range(64):
        try:
            libc.prctl(PR_CAPBSET_DROP, capability)
        except OSError as error:
            if error.errno == errno.EINVAL:
                break  # past the last capability this kernel knows
            if error.errno != errno.EPERM:
                raise
    try:
        libc.prctl(PR_CAP_AMBIENT, 4)  # PR_CAP_AMBIENT_CLEAR_ALL
    except OSError:
        pass
    header = struct.pack("=Ii", 0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this process
    data = bytes(24)  # two (effective, permitted, inheritable) words, all zero
    if libc.lib.capset(ctypes.c_char_p(header), ctypes.c_char_p(data)) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code))


def _start_supervisor(arch: str, workdir: str, record) -> tuple[int, socket.socket]:
    """Fork the supervisor; it waits on a socket for the listener descriptor."""
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    pid = os.fork()
    if pid:
        theirs.close()
        return pid, ours
    try:  # the supervisor: outside the sandbox's process group, dies with it, holds no pipe open
        ours.close()
        os.setsid()
        _Libc().prctl(PR_SET_PDEATHSIG, 9)
        null = os.open(os.devnull, os.O_RDWR)
        for target in (0, 1, 2):
            os.dup2(null, target)
        _message, fds, _flags, _address = socket.recv_fds(theirs, 16, 1)
        theirs.close()
        if fds:
            supervise(fds[0], arch, workdir, record)
    finally:
        os._exit(0)


def confine(workdir: str, record, *, supervisor: bool = True) -> tuple[list[str], list[str]]:
    """Put every kernel layer this machine has in place; return (layers applied, why others are missing).

    Call from a single-threaded process, after its rlimits are set and before the code runs.
    """
    libc = _Libc()
    layers: list[str] = []
    missing: list[str] = []
    arch = machine()
    supervised = supervisor and arch is not None and seccomp_notify_available()
    supervisor = None
    if supervised:
        supervisor = _start_supervisor(arch, workdir, record)
        try:
            libc.prctl(PR_SET_PTRACER, supervisor[0])  # Yama: let it read our memory for paths
        except OSError:
            pass
    libc.prctl(PR_SET_NO_NEW_PRIVS, 1)
    abi = landlock_abi()
    if abi:
        _landlock(libc, abi, workdir)
        layers.append(f"landlock-v{abi}")
    else:
        missing.append("filesystem: Landlock is not enabled in this kernel")
    _drop_capabilities(libc)
    layers.append("no-capabilities")
    if arch is None:
        missing.append(f"processes, network: no seccomp filter for this machine ({platform.machine()})")
        return layers, missing
    try:
        listener = _load_filter(libc, arch, supervised)
    except OSError as error:
        if not supervised:
            raise
        # EBUSY: a filter above ours (a container's) already has a listener. Refuse the same calls
        # with EPERM instead, unrecorded; the supervisor sees its socket close and exits.
        supervisor[1].close()
        supervisor, supervised = None, False
        listener = _load_filter(libc, arch, False)
        missing.append(f"refusals by seccomp are not recorded: no seccomp listener here ({error.strerror})")
    layers.append("seccomp")
    if supervisor:
        _pid, channel = supervisor
        socket.send_fds(channel, [b"L"], [listener])
        channel.close()
        os.close(listener)
        layers.append("seccomp-supervisor")
    elif not any(line.startswith("refusals by seccomp") for line in missing):
        missing.append("refusals by seccomp are not recorded: no seccomp supervisor (the kernel has no "
                       "seccomp user notification, or it was left out)")
    return layers, missing


def _load_filter(libc: _Libc, arch: str, supervised: bool) -> int:
    """Install the filter on this thread (and every thread and process it starts); the listener or 0."""
    program = filter_program(arch, os.getpid(), supervised)
    raw = b"".join(struct.pack("=HBBI", *instruction) for instruction in program)
    buffer = ctypes.create_string_buffer(raw, len(raw))
    fprog = struct.pack("=HxxxxxxQ", len(program), ctypes.addressof(buffer))
    return libc.call(SYSCALLS[arch]["seccomp"], ctypes.c_uint(SECCOMP_SET_MODE_FILTER),
                     ctypes.c_uint(FLAG_NEW_LISTENER if supervised else 0), ctypes.c_char_p(fprog))
