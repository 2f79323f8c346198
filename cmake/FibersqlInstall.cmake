# install(EXPORT) so that a user's CMake can find_package(fibersql) and link fibersql::fibersql.
include(CMakePackageConfigHelpers)
install(TARGETS fibersql ${FIBERSQL_EXPORTED_TARGETS} EXPORT fibersql-targets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY include/ ${FIBERSQL_GENERATED_INCLUDE}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
foreach(extra IN ITEMS pool orm metrics)
  if(EXISTS ${PROJECT_SOURCE_DIR}/${extra}/include)
    install(DIRECTORY ${extra}/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
  endif()
endforeach()
set(config_dir ${CMAKE_INSTALL_LIBDIR}/cmake/fibersql)
install(EXPORT fibersql-targets NAMESPACE fibersql:: DESTINATION ${config_dir})
configure_package_config_file(cmake/fibersql-config.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/fibersql-config.cmake INSTALL_DESTINATION ${config_dir})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/fibersql-config-version.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/fibersql-config.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/fibersql-config-version.cmake
              cmake/FindLibev.cmake cmake/FindMariaDBClient.cmake
        DESTINATION ${config_dir})

# fibersql.pc for builds without CMake (`pkg-config --cflags --libs fibersql`). A static
# library does not carry its dependencies, so for static builds they are in Libs itself.
set(FIBERSQL_PC_LIBS "")
set(pc_layers ${FIBERSQL_EXPORTED_TARGETS})
list(REVERSE pc_layers)  # a layer before the layers it uses, as static linking needs
foreach(layer IN LISTS pc_layers)
  string(APPEND FIBERSQL_PC_LIBS " -l${layer}")
endforeach()
string(STRIP "${FIBERSQL_PC_LIBS}" FIBERSQL_PC_LIBS)
set(pc_deps "-lev -lboost_context -lboost_stacktrace_backtrace -ldl -pthread")  # libev and Boost ship no pkg-config file here
# A sanitized build's libraries need the sanitizer runtime and Boost.Context's ucontext flavour
# in every consumer, as the CMake targets say (fibersql_set_target_options).
set(FIBERSQL_PC_CFLAGS "")
if(FIBERSQL_SANITIZE)
  set(FIBERSQL_PC_CFLAGS " -DBOOST_USE_UCONTEXT -DBOOST_USE_ASAN -fsanitize=address,undefined")
  string(PREPEND pc_deps "-fsanitize=address,undefined ")
endif()
set(pc_requires "libmariadb sqlite3 openssl")  # openssl: src/mysql checks server certificates itself
if(BUILD_SHARED_LIBS)
  set(FIBERSQL_PC_DEPS "")
  set(FIBERSQL_PC_DEPS_PRIVATE "${pc_deps}")
  set(FIBERSQL_PC_REQUIRES "")
  set(FIBERSQL_PC_REQUIRES_PRIVATE "${pc_requires}")
else()
  set(FIBERSQL_PC_DEPS "${pc_deps}")
  set(FIBERSQL_PC_DEPS_PRIVATE "")
  set(FIBERSQL_PC_REQUIRES "${pc_requires}")
  set(FIBERSQL_PC_REQUIRES_PRIVATE "")
endif()
file(RELATIVE_PATH FIBERSQL_PC_TO_PREFIX "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
string(REGEX REPLACE "/$" "" FIBERSQL_PC_TO_PREFIX "${FIBERSQL_PC_TO_PREFIX}")
configure_file(cmake/fibersql.pc.in ${CMAKE_CURRENT_BINARY_DIR}/fibersql.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/fibersql.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
