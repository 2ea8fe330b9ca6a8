# Registers every doctest case of a test executable as its own ctest test, named
# "<prefix><executable>: <case>". Like doctest's own doctest_discover_tests, but it runs through
# CMAKE_CROSSCOMPILING_EMULATOR (node for the wasm build) and avoids that module's empty-LABELS
# bug with CMake 3.25. Discovery runs after each link; ctest reads the generated list.
set(GENLAB_DOCTEST_LIST_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/doctest_list.cmake)

function(genlab_add_doctest target prefix)
  set(list_file "${CMAKE_CURRENT_BINARY_DIR}/${target}_cases.cmake")
  set(include_file "${CMAKE_CURRENT_BINARY_DIR}/${target}_include.cmake")
  string(REPLACE ";" "|" emulator "${CMAKE_CROSSCOMPILING_EMULATOR}")
  add_custom_command(TARGET ${target} POST_BUILD
    COMMAND ${CMAKE_COMMAND} "-DEXE=$<TARGET_FILE:${target}>" "-DEMULATOR=${emulator}"
            "-DPREFIX=${prefix}${target}: " "-DOUT=${list_file}" "-DWORKDIR=${CMAKE_CURRENT_BINARY_DIR}"
            "-DTEST_ENV=GENLAB_DATA_DIR=${GENLAB_DATA_DIR}"
            -P ${GENLAB_DOCTEST_LIST_SCRIPT}
    BYPRODUCTS ${list_file}
    VERBATIM)
  file(WRITE ${include_file}
       "if(EXISTS \"${list_file}\")\n  include(\"${list_file}\")\nelse()\n"
       "  add_test([==[${prefix}${target}: NOT BUILT]==] ${target}_NOT_BUILT)\nendif()\n")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES ${include_file})
endfunction()
