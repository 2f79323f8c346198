# Compile-fail check, run by ctest in script mode:
#   cmake -DCXX=... -DFLAGS=... -DSRC=... -DMISUSE=ON|OFF -DMAX_LINES=15 -P check.cmake
# MISUSE=OFF (the control): the file must compile, so the harness itself can fail.
# MISUSE=ON: the compile must fail, the first error's message must start with
# "fibersql::orm:" (after GCC's "static assertion failed: "), and the whole diagnostic must
# be at most MAX_LINES lines.
separate_arguments(flags UNIX_COMMAND "${FLAGS}")
if(MISUSE)
  list(APPEND flags -DFIBERSQL_MISUSE)
endif()
execute_process(
  COMMAND ${CXX} ${flags} -fsyntax-only -fno-diagnostics-color ${SRC}
  RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_VARIABLE out)
if(NOT MISUSE)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "control does not compile:\n${err}")
  endif()
  return()
endif()
if(rc EQUAL 0)
  message(FATAL_ERROR "misuse compiled: ${SRC}")
endif()
string(REGEX MATCH "error: [^\n]*" first "${err}")
# GCC: error: static assertion failed: MSG; Clang: error: static_assert failed [due to
# requirement '...'] "MSG".
string(REGEX REPLACE "^error: (static assertion failed: )?" "" first "${first}")
string(REGEX REPLACE "^static_assert failed( due to requirement '.*')? \"" "" first "${first}")
string(REGEX MATCHALL "\n" newlines "${err}")
list(LENGTH newlines lines)
message(STATUS "first error: ${first}")
message(STATUS "diagnostic lines: ${lines}")
if(NOT first MATCHES "^fibersql::orm: ")
  message(FATAL_ERROR "first error does not start with fibersql::orm:\n${err}")
endif()
if(lines GREATER MAX_LINES)
  message(FATAL_ERROR "diagnostic has ${lines} lines (> ${MAX_LINES}):\n${err}")
endif()
