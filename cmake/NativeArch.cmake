# GENLAB_NATIVE_ARCH=auto → the -march of a native build from what the building CPU can run:
# x86-64-v4 (AVX-512 F/BW/CD/DQ/VL: 16-lane GEMM, about 1.5× the AVX2 throughput on this project's
# machines) where the CPU and the OS support it, else x86-64-v3 (AVX2 + FMA). A binary built with
# v4 runs only on AVX-512 CPUs; set GENLAB_NATIVE_ARCH=x86-64-v3 for one that runs on any AVX2 CPU.
# Training gives the same bits either way (see src/genlab/kernels/simd.hpp).
function(genlab_resolve_native_arch out)
  if(NOT GENLAB_NATIVE_ARCH STREQUAL "auto")
    set(${out} "${GENLAB_NATIVE_ARCH}" PARENT_SCOPE)
    return()
  endif()
  if(NOT DEFINED GENLAB_CPU_HAS_V4)
    set(probe ${CMAKE_BINARY_DIR}/CMakeFiles/genlab_cpu_probe.cpp)
    # __builtin_cpu_supports also checks that the OS saves the AVX-512 registers (XCR0).
    file(WRITE ${probe} [=[
int main() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
         __builtin_cpu_supports("avx512cd") && __builtin_cpu_supports("avx512dq") &&
         __builtin_cpu_supports("avx512vl") ? 0 : 1;
}
]=])
    try_run(run_rc compile_ok ${CMAKE_BINARY_DIR}/CMakeFiles/genlab_cpu_probe ${probe}
            COMPILE_DEFINITIONS -march=x86-64-v4)
    if(compile_ok AND run_rc EQUAL 0)
      set(GENLAB_CPU_HAS_V4 ON CACHE INTERNAL "the building CPU runs x86-64-v4 code")
    else()
      set(GENLAB_CPU_HAS_V4 OFF CACHE INTERNAL "the building CPU runs x86-64-v4 code")
    endif()
  endif()
  if(GENLAB_CPU_HAS_V4)
    set(${out} "x86-64-v4" PARENT_SCOPE)
  else()
    set(${out} "x86-64-v3" PARENT_SCOPE)
  endif()
endfunction()
