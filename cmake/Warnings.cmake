# Warnings for our own code only (dependencies come in as SYSTEM includes).
function(genlab_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                           -Wno-sign-conversion -Wnon-virtual-dtor -Wold-style-cast
                                           -Woverloaded-virtual)
  if(GENLAB_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
option(GENLAB_WERROR "Treat warnings in our code as errors" OFF)
