# SPDX-License-Identifier: Apache-2.0
# bpf_object(NAME SOURCE) compiles SOURCE with clang for the BPF target,
# strips its DWARF (BTF stays), generates NAME.skel.h with bpftool and exposes
# it through the INTERFACE target NAME_skel. The headers it includes are
# tracked by clang's depfile.

find_program(BPFOBJECT_CLANG_EXE NAMES clang clang-16 clang-15 clang-14 REQUIRED)
find_program(BPFOBJECT_BPFTOOL_EXE NAMES bpftool PATHS /usr/sbin /usr/local/sbin REQUIRED)
find_program(BPFOBJECT_STRIP_EXE NAMES llvm-strip llvm-strip-16 llvm-strip-15 llvm-strip-14 REQUIRED)

execute_process(COMMAND ${BPFOBJECT_CLANG_EXE} --version
	OUTPUT_VARIABLE _clang_version_out)
string(REGEX MATCH "version ([0-9]+)" _m "${_clang_version_out}")
if(NOT CMAKE_MATCH_1 OR CMAKE_MATCH_1 LESS 10)
	message(FATAL_ERROR "clang 10 or newer is needed to build BPF programs (found: ${_clang_version_out})")
endif()

# The BPF target follows the machine the hook is built for, not the build
# machine: CMAKE_SYSTEM_PROCESSOR is the target's (a toolchain file sets it,
# cmake/toolchain-aarch64.cmake), and __TARGET_ARCH_* picks the pt_regs
# layout and the compat-syscall test in bpf/.
if(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|amd64")
	set(BPFOBJECT_ARCH x86)
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "aarch64|arm64")
	set(BPFOBJECT_ARCH arm64)
else()
	message(FATAL_ERROR "unsupported architecture ${CMAKE_SYSTEM_PROCESSOR}")
endif()
if(CMAKE_CROSSCOMPILING)
	message(STATUS "BPF objects for ${BPFOBJECT_ARCH} (-D__TARGET_ARCH_${BPFOBJECT_ARCH})")
endif()

# clang's own system include directories, given as -idirafter so that the
# BPF build sees libc-independent headers such as <linux/types.h> last.
execute_process(COMMAND ${BPFOBJECT_CLANG_EXE} -v -E - INPUT_FILE /dev/null
	OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
string(REGEX MATCH "#include <...> search starts here:\n(.*)End of search list." _m "${_err}")
string(REGEX REPLACE "\n " ";" _dirs "${CMAKE_MATCH_1}")
set(BPFOBJECT_SYSTEM_INCLUDES "")
foreach(_d IN LISTS _dirs)
	string(STRIP "${_d}" _d)
	if(_d)
		list(APPEND BPFOBJECT_SYSTEM_INCLUDES -idirafter ${_d})
	endif()
endforeach()

function(bpf_object name src)
	set(_obj ${CMAKE_CURRENT_BINARY_DIR}/${name}.bpf.o)
	set(_skel ${CMAKE_CURRENT_BINARY_DIR}/${name}.skel.h)
	get_filename_component(_src ${src} ABSOLUTE)

	add_custom_command(OUTPUT ${_obj}
		COMMAND ${BPFOBJECT_CLANG_EXE} -g -O2 -target bpf -Wall -Werror
			-D__TARGET_ARCH_${BPFOBJECT_ARCH}
			-I${PROJECT_SOURCE_DIR}/include -I${PROJECT_SOURCE_DIR}/bpf
			${BPFOBJECT_SYSTEM_INCLUDES}
			-MD -MF ${_obj}.d -MT ${_obj}
			-c ${_src} -o ${_obj}
		COMMAND ${BPFOBJECT_STRIP_EXE} -g ${_obj}
		DEPENDS ${_src}
		DEPFILE ${_obj}.d
		COMMENT "BPF object ${name}"
		VERBATIM)
	add_custom_command(OUTPUT ${_skel}
		COMMAND sh -c "\"$1\" gen skeleton \"$2\" name \"$3\" > \"$4\"" sh
			${BPFOBJECT_BPFTOOL_EXE} ${_obj} ${name}_bpf ${_skel}
		DEPENDS ${_obj}
		COMMENT "BPF skeleton ${name}.skel.h"
		VERBATIM)
	add_custom_target(${name}_skel_gen DEPENDS ${_skel})
	add_library(${name}_skel INTERFACE)
	add_dependencies(${name}_skel ${name}_skel_gen)
	target_include_directories(${name}_skel INTERFACE ${CMAKE_CURRENT_BINARY_DIR})
endfunction()
