# All dependencies come from Debian 12 packages (see scripts/install-deps.sh).
# Boost 1.81 lives beside Debian's default 1.74; prefer it explicitly.
set(Boost_NO_WARN_NEW_VERSIONS ON)
find_package(Boost 1.81.0 EXACT REQUIRED COMPONENTS system url
  HINTS /usr/lib/x86_64-linux-gnu/cmake/Boost-1.81.0)
find_package(Threads REQUIRED)
find_package(spdlog REQUIRED)
find_package(OpenSSL REQUIRED)  # MD5/SHA-1 for checksums (libcrypto)

# MariaDB Connector/C through the libmysqlclient API: one imported target.
find_path(MYSQL_INCLUDE_DIR mysql.h PATH_SUFFIXES mariadb mysql)
find_library(MYSQL_LIBRARY NAMES mariadb mysqlclient)
if(MYSQL_INCLUDE_DIR AND MYSQL_LIBRARY)
  add_library(mog::mysql UNKNOWN IMPORTED)
  set_target_properties(mog::mysql PROPERTIES
    IMPORTED_LOCATION ${MYSQL_LIBRARY}
    INTERFACE_INCLUDE_DIRECTORIES ${MYSQL_INCLUDE_DIR})
  set(MOG_HAVE_MYSQL ON)
endif()

if(MOG_BUILD_TESTS)
  find_package(GTest REQUIRED)
  include(GoogleTest)
endif()
