# `cmake --install` into a fresh prefix gives a trygg that runs on its own, the module
# libraries, every public header and the schemas. Arguments: BUILD_DIR, SOURCE_DIR, WORK_DIR.
file(REMOVE_RECURSE ${WORK_DIR})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${WORK_DIR}/prefix
                RESULT_VARIABLE status OUTPUT_QUIET)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "cmake --install failed: ${status}")
endif()

set(trygg ${WORK_DIR}/prefix/bin/trygg)
execute_process(COMMAND ${trygg} --version RESULT_VARIABLE status OUTPUT_VARIABLE version)
if(NOT status EQUAL 0 OR NOT version MATCHES "^trygg [0-9]+\\.[0-9]+\\.[0-9]+")
  message(FATAL_ERROR "the installed trygg does not run: ${status} ${version}")
endif()
# It reads and runs a scenario from anywhere: a short, small run into the work folder.
file(WRITE ${WORK_DIR}/small.yaml
     "extends: ${SOURCE_DIR}/tests/data/good/child.yaml\nreplicates: 1\ntime: {horizon_years: 1}\n")
execute_process(COMMAND ${trygg} run ${WORK_DIR}/small.yaml -o ${WORK_DIR}/small.h5 -q
                RESULT_VARIABLE status ERROR_VARIABLE errors)
if(NOT status EQUAL 0 OR NOT EXISTS ${WORK_DIR}/small.h5)
  message(FATAL_ERROR "the installed trygg could not run a scenario: ${status} ${errors}")
endif()

# Every public header of the source tree is installed, and the libraries and schemas are there.
file(GLOB_RECURSE headers RELATIVE ${SOURCE_DIR}/include ${SOURCE_DIR}/include/trygg/*.hpp)
foreach(header IN LISTS headers)
  if(NOT EXISTS ${WORK_DIR}/prefix/include/${header})
    message(FATAL_ERROR "header not installed: ${header}")
  endif()
endforeach()
foreach(module core scenario world measures model output run web)
  file(GLOB library ${WORK_DIR}/prefix/lib*/libtrygg_${module}.a)
  if(NOT library)
    message(FATAL_ERROR "library of module ${module} not installed")
  endif()
endforeach()
# trygg serve's page, catalogues and scenarios, where the installed trygg looks for them.
foreach(file web/index.html web/app.js text/sv.json text/en.json scenarios/norrkoping.yaml
             scenarios/data/norrkoping/districts.yaml)
  if(NOT EXISTS ${WORK_DIR}/prefix/share/trygg/${file})
    message(FATAL_ERROR "trygg serve's ${file} not installed")
  endif()
endforeach()
foreach(schema schema.json sweep.schema.json districts.schema.json)
  if(NOT EXISTS ${WORK_DIR}/prefix/share/trygg/schemas/${schema})
    message(FATAL_ERROR "schema not installed: ${schema}")
  endif()
endforeach()
list(LENGTH headers count)
message(STATUS "installed trygg runs; ${count} headers, 7 libraries and 3 schemas in place")
file(REMOVE_RECURSE ${WORK_DIR})
