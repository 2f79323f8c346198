# install(EXPORT) so that a user's CMake can find_package(fibersql) and link fibersql::fibersql.
include(CMakePackageConfigHelpers)
install(TARGETS fibersql ${FIBERSQL_EXPORTED_TARGETS} EXPORT fibersql-targets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
foreach(extra IN ITEMS pool orm)
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
