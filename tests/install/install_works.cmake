# `cmake --install` into a fresh prefix gives a trygg that runs on its own, the module
# libraries, every public header and the schemas. Arguments: BUILD_DIR, SOURCE_DIR, WORK_DIR,
# WEB (whether the build has the web app).
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
set(modules core scenario world measures model output run)
if(WEB)
  list(APPEND modules web)
endif()
foreach(module IN LISTS modules)
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
# The tools and the documents.
foreach(file share/trygg/tools/trygg-report share/trygg/tools/trygg_report/cli.py
             share/trygg/tools/slurm-sweep.sbatch share/trygg/tools/slurm-mpi.sbatch
             share/doc/trygg/docs/hpc.md share/doc/trygg/docs/app.md)
  if(NOT EXISTS ${WORK_DIR}/prefix/${file})
    message(FATAL_ERROR "not installed: ${file}")
  endif()
endforeach()
foreach(schema schema.json sweep.schema.json districts.schema.json)
  if(NOT EXISTS ${WORK_DIR}/prefix/share/trygg/schemas/${schema})
    message(FATAL_ERROR "schema not installed: ${schema}")
  endif()
endforeach()
# find_package(trygg): a program of its own, built against the installed package with the
# build's compiler and flags (a sanitizer build's libraries need its runtime), runs a scenario.
file(WRITE ${WORK_DIR}/consumer/CMakeLists.txt [=[
cmake_minimum_required(VERSION 3.25)
project(trygg_consumer CXX)
find_package(trygg REQUIRED)
add_executable(consumer main.cpp)
target_compile_features(consumer PRIVATE cxx_std_20)
target_link_libraries(consumer PRIVATE trygg::run)
]=])
file(WRITE ${WORK_DIR}/consumer/main.cpp [=[
#include <cstdio>

#include "trygg/measures/factory.hpp"
#include "trygg/run/ensemble.hpp"
#include "trygg/scenario/loader.hpp"

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  trygg::measures::register_standard_measures();
  const trygg::scenario::Scenario scenario = trygg::scenario::load_scenario(argv[1]);
  trygg::run::EnsembleOptions options;
  options.replicates = 1;
  const trygg::output::ResultSet results = trygg::run::run_ensemble(scenario, options);
  std::printf("consumer: %zu runs of %zu steps%c", results.runs.size(), results.steps(), 10);
  return results.runs.empty() ? 1 : 0;
}
]=])
execute_process(
  COMMAND ${CMAKE_COMMAND} -S ${WORK_DIR}/consumer -B ${WORK_DIR}/consumer/build
          -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix -DCMAKE_CXX_COMPILER=${CXX_COMPILER}
          "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}" "-DCMAKE_EXE_LINKER_FLAGS=${LINKER_FLAGS}"
  RESULT_VARIABLE status OUTPUT_VARIABLE said ERROR_VARIABLE said)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "find_package(trygg) against the installed prefix failed:\n${said}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK_DIR}/consumer/build
                RESULT_VARIABLE status OUTPUT_VARIABLE said ERROR_VARIABLE said)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "a program linking trygg::run from the installed package did not build:\n"
                      "${said}")
endif()
execute_process(COMMAND ${WORK_DIR}/consumer/build/consumer ${WORK_DIR}/small.yaml
                RESULT_VARIABLE status OUTPUT_VARIABLE said ERROR_VARIABLE said)
if(NOT status EQUAL 0 OR NOT said MATCHES "consumer: 2 runs of 52 steps")
  message(FATAL_ERROR "the program built against the installed package did not run: ${status} "
                      "${said}")
endif()

list(LENGTH headers count)
list(LENGTH modules libraries)
message(STATUS "installed trygg runs; ${count} headers, ${libraries} libraries, 3 schemas, the "
               "tools and the docs in place; find_package(trygg) builds a program that runs")
file(REMOVE_RECURSE ${WORK_DIR})
