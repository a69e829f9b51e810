# A sweep spread over 2 and 3 MPI ranks gives the store one process writes: the same metrics and
# sweep tables to the bit, with runs made on every rank.
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
set(sweep ${SOURCE_DIR}/tests/data/good/sweep-small.yaml)
execute_process(COMMAND ${TRYGG} sweep ${sweep} -q -o ${WORK_DIR}/single.h5 RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "trygg sweep (one process) failed: ${status}")
endif()
foreach(ranks 2 3)
  execute_process(
    COMMAND ${MPIEXEC} --oversubscribe -n ${ranks} ${TRYGG} sweep ${sweep} -o ${WORK_DIR}/mpi-${ranks}.h5
    OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "mpirun -n ${ranks} trygg sweep failed (${status}): ${out} ${err}")
  endif()
  # Every rank made runs: the runs were spread, not all made by rank 0.
  set(made "Runs made by MPI ranks 0..[0-9]+:")
  foreach(rank RANGE 1 ${ranks})
    string(APPEND made " [1-9][0-9]*")
  endforeach()
  if(NOT out MATCHES "${made}\n")
    message(FATAL_ERROR "with ${ranks} ranks, some rank made no run: ${out}")
  endif()
  foreach(object /metrics /micro /sweep /arms /districts)
    execute_process(COMMAND ${H5DIFF} -r ${WORK_DIR}/single.h5 ${WORK_DIR}/mpi-${ranks}.h5 ${object}
                    OUTPUT_VARIABLE diff RESULT_VARIABLE status)
    if(NOT status EQUAL 0)
      message(FATAL_ERROR "${object} differs between one process and ${ranks} ranks:\n${diff}")
    endif()
  endforeach()
endforeach()
file(REMOVE_RECURSE ${WORK_DIR})
