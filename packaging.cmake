# Debian packages (cpack -G DEB, scripts/package.sh), one per component:
#   klp-fixup                     klp-fixup, include/klp.h + klp-notes.h
#                                 (/usr/include/klp-toolchain), man pages, docs
#   klp-plugin-gcc-N[-TRIPLET]    klp.so in that compiler's plugin directory,
#                                 one per target compiler (a GCC plugin is tied
#                                 to one compiler version and target)
#   klp-pass-llvm-N               klp-clang.so in /usr/lib/llvm-N/lib
# Plugins are installed where their compiler's paths say, absolute; the
# rest under /usr.
install(FILES ${CMAKE_SOURCE_DIR}/include/klp.h ${CMAKE_SOURCE_DIR}/include/klp-notes.h
        ${CMAKE_SOURCE_DIR}/include/klp-build.h ${CMAKE_SOURCE_DIR}/include/klp-build-records.h
        DESTINATION include/klp-toolchain COMPONENT klp-fixup)
# kpatch's macro names for `klp-fixup build`, found beside the binary
install(FILES ${CMAKE_SOURCE_DIR}/include/kpatch/kpatch-macros.h
        ${CMAKE_SOURCE_DIR}/include/kpatch/kpatch-syscall.h
        DESTINATION include/klp-toolchain/kpatch COMPONENT klp-fixup)
file(GLOB klp_docs ${CMAKE_SOURCE_DIR}/docs/*.md)
install(FILES ${klp_docs} ${CMAKE_SOURCE_DIR}/integration/kernel/keep-debug-klp.patch
        DESTINATION share/doc/klp-fixup COMPONENT klp-fixup)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME klp-toolchain)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "klp-toolchain developers <klp-toolchain@invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "exact symbol positions for Linux livepatch modules")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://invalid/klp-toolchain")

set(CPACK_DEBIAN_KLP-FIXUP_PACKAGE_NAME klp-fixup)
set(CPACK_DEBIAN_KLP-FIXUP_PACKAGE_DEPENDS "libc6 (>= 2.34), libelf1 (>= 0.188), libzstd1")
set(CPACK_COMPONENT_KLP-FIXUP_DESCRIPTION "klp-fixup reads the notes the klp compiler \
plugins leave in vmlinux and modules and turns a livepatch module's references to \
local symbols into .klp.sym symbols and .klp.rela sections; also sympos, verify, \
affected and dump.  With include/klp.h, the man pages and the guides.")
set(components klp-fixup)

get_property(packaged GLOBAL PROPERTY KLP_PACKAGED)
foreach(entry ${packaged})
  # component|compiler|major version|installed path
  string(REPLACE "|" ";" parts "${entry}")
  list(GET parts 0 comp)
  list(GET parts 1 compiler)
  list(GET parts 2 major)
  string(TOUPPER ${comp} COMP)
  if(comp MATCHES "^gcc-")
    get_filename_component(cc_name ${compiler} NAME)
    if(cc_name MATCHES "^(.*)-gcc$")
      set(triplet ${CMAKE_MATCH_1})
      set(name klp-plugin-gcc-${major}-${triplet})
      set(depends "gcc-${major}-${triplet}")
    else()
      set(name klp-plugin-gcc-${major})
      set(depends "gcc-${major}")
    endif()
    set(what "GCC plugin klp.so for ${compiler} ${major}")
  else()
    set(name klp-pass-llvm-${major})
    set(depends "clang-${major}")
    set(what "LLVM pass plugin klp-clang.so for clang ${major}")
  endif()
  set(CPACK_DEBIAN_${COMP}_PACKAGE_NAME ${name})
  set(CPACK_DEBIAN_${COMP}_PACKAGE_DEPENDS "${depends}, libc6, libstdc++6")
  set(CPACK_DEBIAN_${COMP}_PACKAGE_RECOMMENDS klp-fixup)
  set(CPACK_COMPONENT_${COMP}_DESCRIPTION "${what}: records local symbols, patch \
sites, clones and inlining in a .debug_klp section of every object, for klp-fixup; \
see klp-plugins(7).")
  list(APPEND components ${comp})
endforeach()
set(CPACK_COMPONENTS_ALL ${components})
include(CPack)
