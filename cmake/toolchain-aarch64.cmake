# SPDX-License-Identifier: Apache-2.0
# Cross-building for arm64 (aarch64) on a Debian amd64 machine:
#   cmake -S . -B BUILD -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-aarch64.cmake
# or tests/cross/build-arm64.sh BUILD, which also builds.
#
# The compiler is Debian's gcc-aarch64-linux-gnu (or, with CC=clang, clang
# with that gcc's runtime files). The libraries the hook
# links (libbpf, libelf, zlib, yajl, libseccomp) come from Debian's arm64
# packages unpacked into a sysroot by tests/cross/sysroot.sh: by default
# BUILD/sysroot, made on first configure; SECCOMP_RECORDER_SYSROOT (a cache
# variable or the environment) names another. pkg-config looks only there.
# The BPF objects follow CMAKE_SYSTEM_PROCESSOR (cmake/BpfObject.cmake:
# -D__TARGET_ARCH_arm64); clang and bpftool are the build machine's.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
# CC=clang: clang for the aarch64 target, with the cross gcc's crt files
# and libgcc (/usr/lib/gcc-cross); otherwise Debian's cross gcc.
if("$ENV{CC}" MATCHES "clang")
	set(CMAKE_C_COMPILER "$ENV{CC}")
	set(CMAKE_C_COMPILER_TARGET aarch64-linux-gnu)
	set(CMAKE_C_FLAGS_INIT "--gcc-toolchain=/usr")
else()
	set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
endif()
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)

if(NOT SECCOMP_RECORDER_SYSROOT AND DEFINED ENV{SECCOMP_RECORDER_SYSROOT})
	set(SECCOMP_RECORDER_SYSROOT "$ENV{SECCOMP_RECORDER_SYSROOT}")
endif()
if(NOT SECCOMP_RECORDER_SYSROOT)
	# The top-level configure: the build tree's own sysroot, made once
	# (try_compile projects get the variable passed down, below).
	set(SECCOMP_RECORDER_SYSROOT "${CMAKE_BINARY_DIR}/sysroot")
	if(NOT EXISTS "${SECCOMP_RECORDER_SYSROOT}/.stamp")
		message(STATUS "arm64 sysroot: tests/cross/sysroot.sh ${CMAKE_BINARY_DIR}")
		execute_process(COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/../tests/cross/sysroot.sh
				${CMAKE_BINARY_DIR}
			RESULT_VARIABLE _sysroot_rc)
		if(NOT _sysroot_rc EQUAL 0)
			message(FATAL_ERROR "tests/cross/sysroot.sh ${CMAKE_BINARY_DIR} failed")
		endif()
	endif()
endif()
set(SECCOMP_RECORDER_SYSROOT "${SECCOMP_RECORDER_SYSROOT}" CACHE PATH
	"arm64 sysroot with the hook's libraries (tests/cross/sysroot.sh DIR makes DIR/sysroot)")
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES SECCOMP_RECORDER_SYSROOT)

set(CMAKE_SYSROOT "${SECCOMP_RECORDER_SYSROOT}")
set(CMAKE_FIND_ROOT_PATH "${SECCOMP_RECORDER_SYSROOT}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

set(ENV{PKG_CONFIG_DIR} "")
set(ENV{PKG_CONFIG_PATH} "")
set(ENV{PKG_CONFIG_LIBDIR}
	"${SECCOMP_RECORDER_SYSROOT}/usr/lib/aarch64-linux-gnu/pkgconfig:${SECCOMP_RECORDER_SYSROOT}/usr/lib/pkgconfig:${SECCOMP_RECORDER_SYSROOT}/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_SYSROOT_DIR} "${SECCOMP_RECORDER_SYSROOT}")

# Unit tests run under user-mode QEMU when it is there (Debian's
# qemu-user-static), through the sysroot's dynamic loader and libraries.
# Not `qemu -L SYSROOT`: that would also move every absolute path the tests
# open ("/", /tmp) into the sysroot.
find_program(SECCOMP_RECORDER_QEMU_AARCH64 NAMES qemu-aarch64-static qemu-aarch64)
if(SECCOMP_RECORDER_QEMU_AARCH64)
	set(CMAKE_CROSSCOMPILING_EMULATOR "${SECCOMP_RECORDER_QEMU_AARCH64}"
		"${SECCOMP_RECORDER_SYSROOT}/lib/ld-linux-aarch64.so.1" --library-path
		"${SECCOMP_RECORDER_SYSROOT}/lib/aarch64-linux-gnu:${SECCOMP_RECORDER_SYSROOT}/usr/lib/aarch64-linux-gnu")
endif()
