# Runs a small scenario and checks that h5dump, HDF5's own tool, reads the whole file.
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
execute_process(COMMAND ${TRYGG} run ${SOURCE_DIR}/tests/data/good/child.yaml -q -o ${WORK_DIR}/child.h5
                RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "trygg run failed: ${status}")
endif()
execute_process(COMMAND ${H5DUMP} ${WORK_DIR}/child.h5 OUTPUT_VARIABLE dump RESULT_VARIABLE status
                ERROR_VARIABLE errors)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "h5dump failed: ${errors}")
endif()
foreach(expected "GROUP \"metrics\"" "DATASET \"offences\"" "GROUP \"runs\"" "ATTRIBUTE \"git_commit\""
                 "\"days since 2024-01-01\"" "CLASS" "DIMENSION_LIST" "\"Navestad\""
                 "GROUP \"micro\"" "DATASET \"place_incidents\"")
  string(FIND "${dump}" "${expected}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "h5dump output lacks ${expected}")
  endif()
endforeach()
file(REMOVE_RECURSE ${WORK_DIR})
