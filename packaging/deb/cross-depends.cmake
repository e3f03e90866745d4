# SPDX-License-Identifier: Apache-2.0
# CPACK_PROJECT_CONFIG_FILE of a cross build (CMakeLists.txt): cpack reads
# it before packaging. CPack's own dpkg-shlibdeps call looks the libraries up
# among the build machine's installed packages, which have none for the
# target; this one runs dpkg-shlibdeps for the target architecture over the
# per-package trees tests/cross/sysroot.sh unpacked with their shlibs and
# symbols files (-S), so the Depends line is what a native build would get.
if(NOT CPACK_GENERATOR STREQUAL "DEB")
	return()
endif()
if(NOT EXISTS "${CPACK_SR_BINARY}")
	message(FATAL_ERROR "cross-depends: no ${CPACK_SR_BINARY}; build it first")
endif()
file(GLOB _sr_pkgs LIST_DIRECTORIES true "${CPACK_SR_SHLIBS_DIR}/*")
if(NOT _sr_pkgs)
	message(FATAL_ERROR "cross-depends: no packages in ${CPACK_SR_SHLIBS_DIR} "
		"(tests/cross/sysroot.sh makes them)")
endif()
set(_sr_args "")
foreach(_d IN LISTS _sr_pkgs)
	list(APPEND _sr_args "-S${_d}")
endforeach()
# dpkg-shlibdeps wants a debian/control to read.
set(_sr_work "${CPACK_SR_WORK_DIR}/cross-depends")
file(REMOVE_RECURSE "${_sr_work}")
file(WRITE "${_sr_work}/debian/control"
	"Source: ${CPACK_PACKAGE_NAME}\n\nPackage: ${CPACK_PACKAGE_NAME}\nArchitecture: any\n")
execute_process(
	COMMAND ${CMAKE_COMMAND} -E env DEB_HOST_ARCH=${CPACK_DEBIAN_PACKAGE_ARCHITECTURE}
		dpkg-shlibdeps -O ${_sr_args} "-e${CPACK_SR_BINARY}"
	WORKING_DIRECTORY "${_sr_work}"
	RESULT_VARIABLE _sr_rc OUTPUT_VARIABLE _sr_out ERROR_VARIABLE _sr_err)
string(REGEX MATCH "shlibs:Depends=([^\n]*)" _sr_m "${_sr_out}")
if(NOT _sr_rc EQUAL 0 OR NOT CMAKE_MATCH_1)
	message(FATAL_ERROR "cross-depends: dpkg-shlibdeps failed (${_sr_rc}): ${_sr_err}${_sr_out}")
endif()
set(CPACK_DEBIAN_PACKAGE_DEPENDS "${CMAKE_MATCH_1}")
message(STATUS "cross-depends: ${CPACK_DEBIAN_PACKAGE_ARCHITECTURE} Depends: ${CPACK_DEBIAN_PACKAGE_DEPENDS}")
