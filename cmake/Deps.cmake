# genlab::deps — an INTERFACE target carrying xtensor/xsimd/xtl includes and the compile flags that
# every translation unit including them needs. Native: Debian's imported targets. Emscripten: the
# same headers through a symlink folder (the imported targets carry -isystem /usr/include, which
# breaks Emscripten's libc), see ../shared/docs/toolchain.md §2.
add_library(genlab_deps INTERFACE)
add_library(genlab::deps ALIAS genlab_deps)

if(EMSCRIPTEN)
  set(_host PATHS /usr/lib/x86_64-linux-gnu/cmake /usr/share/cmake /usr/lib/cmake NO_CMAKE_FIND_ROOT_PATH)
  find_package(xtl 0.7 REQUIRED CONFIG ${_host})        # must come before xtensor
  find_package(xtensor 0.24 REQUIRED CONFIG ${_host})   # versions checked, targets not linked
  find_package(xsimd 8.0 REQUIRED CONFIG ${_host})
  set(GENLAB_DEP_INC ${CMAKE_BINARY_DIR}/_host_headers)
  file(MAKE_DIRECTORY ${GENLAB_DEP_INC})
  foreach(d xtensor xtl xsimd doctest)
    if(NOT EXISTS ${GENLAB_DEP_INC}/${d})
      file(CREATE_LINK /usr/include/${d} ${GENLAB_DEP_INC}/${d} SYMBOLIC)
    endif()
  endforeach()
  target_include_directories(genlab_deps SYSTEM INTERFACE ${GENLAB_DEP_INC})
  # xsimd 8.1 has no wasm arch: Emscripten maps SSE intrinsics onto wasm SIMD128.
  set(GENLAB_WASM_SSE "-msse4.1" CACHE STRING "SSE level mapped onto wasm SIMD (-msse2 … -msse4.2)")
  # Exceptions: wasm exception handling, except in targets marked GENLAB_JS_EXCEPTIONS (the threaded
  # module): Emscripten 3.1.6's threaded runtime with -fwasm-exceptions cannot catch by type (a
  # std::runtime_error reaches catch (...) only), so those use JavaScript-based exceptions.
  set(_eh "$<IF:$<BOOL:$<TARGET_PROPERTY:GENLAB_JS_EXCEPTIONS>>,-fexceptions,-fwasm-exceptions>")
  target_compile_options(genlab_deps INTERFACE -msimd128 ${GENLAB_WASM_SSE} ${_eh})
  target_link_options(genlab_deps INTERFACE ${_eh})
else()
  find_package(xtl 0.7 REQUIRED CONFIG)
  find_package(xtensor 0.24 REQUIRED CONFIG)
  find_package(xsimd 8.0 REQUIRED CONFIG)
  target_link_libraries(genlab_deps INTERFACE xtensor xsimd)
  include(${CMAKE_CURRENT_LIST_DIR}/NativeArch.cmake)
  genlab_resolve_native_arch(GENLAB_MARCH)
  if(GENLAB_MARCH)
    message(STATUS "GenLab native build: -march=${GENLAB_MARCH} (GENLAB_NATIVE_ARCH=${GENLAB_NATIVE_ARCH})")
    target_compile_options(genlab_deps INTERFACE -march=${GENLAB_MARCH})
  endif()
  if(GENLAB_SANITIZE)
    target_compile_options(genlab_deps INTERFACE -fsanitize=${GENLAB_SANITIZE} -fno-omit-frame-pointer
                                                 -fno-sanitize-recover=all)
    target_link_options(genlab_deps INTERFACE -fsanitize=${GENLAB_SANITIZE})
  endif()
endif()

if(GENLAB_USE_XSIMD)
  target_compile_definitions(genlab_deps INTERFACE XTENSOR_USE_XSIMD GENLAB_USE_XSIMD)
endif()
# Why: the RNG and reductions must give the same bits natively and in wasm (which has no FMA);
# kernels that want FMA ask for it explicitly through xsimd.
target_compile_options(genlab_deps INTERFACE -ffp-contract=off)
