# MariaDB Connector/C: found through its pkg-config file (libmariadb.pc).
find_package(PkgConfig QUIET)
if(PkgConfig_FOUND)
  pkg_check_modules(PC_MARIADB QUIET libmariadb)
endif()
find_path(MariaDBClient_INCLUDE_DIR mysql.h HINTS ${PC_MARIADB_INCLUDE_DIRS} PATH_SUFFIXES mariadb)
find_library(MariaDBClient_LIBRARY NAMES mariadb HINTS ${PC_MARIADB_LIBRARY_DIRS})
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(MariaDBClient REQUIRED_VARS MariaDBClient_LIBRARY MariaDBClient_INCLUDE_DIR)
if(MariaDBClient_FOUND AND NOT TARGET MariaDBClient::MariaDBClient)
  add_library(MariaDBClient::MariaDBClient UNKNOWN IMPORTED)
  set_target_properties(MariaDBClient::MariaDBClient PROPERTIES
    IMPORTED_LOCATION "${MariaDBClient_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${MariaDBClient_INCLUDE_DIR}")
endif()
mark_as_advanced(MariaDBClient_INCLUDE_DIR MariaDBClient_LIBRARY)
