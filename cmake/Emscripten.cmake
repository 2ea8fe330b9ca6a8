# WebAssembly-only targets: the Embind module and the static site folder <build>/www.
# Included after src/ so genlab::core exists; the test emulator is set in the top-level file.

set(GENLAB_WASM_LINK_FLAGS
  --bind
  -sMODULARIZE=1 -sEXPORT_ES6=1 -sEXPORT_NAME=createGenlab
  -sENVIRONMENT=web,worker,node
  -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=32MB
  -sDYNAMIC_EXECUTION=0          # no eval/new Function: works under a strict CSP
  -sFILESYSTEM=0)

# The bindings are glue around batched calls: compiled for size, like the core's cold code (src/CMakeLists.txt).
set_source_files_properties(${PROJECT_SOURCE_DIR}/wasm/bindings.cpp PROPERTIES COMPILE_OPTIONS -Os)
add_executable(genlab_wasm ${PROJECT_SOURCE_DIR}/wasm/bindings.cpp)
target_link_libraries(genlab_wasm PRIVATE genlab::core)
target_link_options(genlab_wasm PRIVATE ${GENLAB_WASM_LINK_FLAGS})
set_target_properties(genlab_wasm PROPERTIES OUTPUT_NAME genlab SUFFIX .mjs)
genlab_warnings(genlab_wasm)

# The threaded twin, genlab-mt.mjs (+ genlab-mt.worker.js for its one helper thread): same
# bindings over genlab_core_mt. Needs SharedArrayBuffer, so the page loads it only when
# cross-origin isolated (COOP/COEP headers, which `scripts/genlab serve` sends); elsewhere the page
# runs the single-threaded genlab.mjs.
set(GENLAB_MT_OUTPUTS "")
if(GENLAB_WASM_THREADS)
  add_executable(genlab_wasm_mt ${PROJECT_SOURCE_DIR}/wasm/bindings.cpp)
  target_link_libraries(genlab_wasm_mt PRIVATE genlab_core_mt)
  # PTHREAD_POOL_SIZE=1: the helper's web worker is started with the module, so creating the thread
  # later never waits for the event loop. Memory growth with threads only slows JS heap access.
  target_link_options(genlab_wasm_mt PRIVATE ${GENLAB_WASM_LINK_FLAGS} -pthread -sPTHREAD_POOL_SIZE=1
                      -Wno-pthreads-mem-growth)
  set_target_properties(genlab_wasm_mt PROPERTIES OUTPUT_NAME genlab-mt SUFFIX .mjs GENLAB_JS_EXCEPTIONS ON)
  genlab_warnings(genlab_wasm_mt)
  set(GENLAB_MT_OUTPUTS $<TARGET_FILE_DIR:genlab_wasm_mt>/genlab-mt.mjs $<TARGET_FILE_DIR:genlab_wasm_mt>/genlab-mt.wasm
      $<TARGET_FILE_DIR:genlab_wasm_mt>/genlab-mt.worker.js)
endif()

# <build>/www: the page plus the module, ready for any static host (also from a sub-path).
file(GLOB_RECURSE GENLAB_WEB_FILES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/web/* ${PROJECT_SOURCE_DIR}/examples/course/*)
set(GENLAB_WWW ${CMAKE_BINARY_DIR}/www)
add_custom_command(
  OUTPUT ${GENLAB_WWW}/.stamp
  COMMAND ${CMAKE_COMMAND} -E copy_directory ${PROJECT_SOURCE_DIR}/web ${GENLAB_WWW}
  COMMAND ${CMAKE_COMMAND} -E copy_directory ${PROJECT_SOURCE_DIR}/examples/course ${GENLAB_WWW}/course
  COMMAND ${CMAKE_COMMAND} -E copy $<TARGET_FILE_DIR:genlab_wasm>/genlab.mjs $<TARGET_FILE_DIR:genlab_wasm>/genlab.wasm
          ${GENLAB_MT_OUTPUTS} ${GENLAB_WWW}/
  COMMAND ${CMAKE_COMMAND} -DDATA=${GENLAB_DATA_DIR} -DOUT=${GENLAB_WWW}/data -P ${PROJECT_SOURCE_DIR}/cmake/copy_web_data.cmake
  # The metrics' judge of each image set, trained once here by this module (kept while the module is the same).
  COMMAND ${GENLAB_NODE} ${PROJECT_SOURCE_DIR}/scripts/make_judges.mjs ${GENLAB_WWW}
  # The PyTorch module's template, fetched by the page's PyTorch export (web/downloads.js).
  COMMAND ${CMAKE_COMMAND} -E copy ${PROJECT_SOURCE_DIR}/src/genlab/io/genlab_torch.py
          ${PROJECT_SOURCE_DIR}/src/genlab/io/genlab_train.py ${GENLAB_WWW}/
  # Served without comments or JSON indentation (fewer bytes on the first load); web/ stays the source.
  COMMAND ${GENLAB_NODE} ${PROJECT_SOURCE_DIR}/scripts/pack_site.mjs ${GENLAB_WWW}
  COMMAND ${CMAKE_COMMAND} -E touch ${GENLAB_WWW}/.stamp
  DEPENDS genlab_wasm $<$<BOOL:${GENLAB_WASM_THREADS}>:genlab_wasm_mt> genlab_data ${GENLAB_WEB_FILES} ${GENLAB_DATA_DIR}/index.json
          ${PROJECT_SOURCE_DIR}/src/genlab/io/genlab_torch.py ${PROJECT_SOURCE_DIR}/src/genlab/io/genlab_train.py
          ${PROJECT_SOURCE_DIR}/scripts/pack_site.mjs ${PROJECT_SOURCE_DIR}/scripts/make_judges.mjs
  COMMENT "Assembling the static site in ${GENLAB_WWW}")
add_custom_target(genlab_www ALL DEPENDS ${GENLAB_WWW}/.stamp)
