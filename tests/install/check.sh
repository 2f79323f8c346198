#!/usr/bin/env bash
# What a new user does with an installed fibersql, as one test:
#   check.sh <fibersql build dir> <work dir> [mysql url file]
# installs the build into <work dir>/prefix, then from that prefix only builds
#   - one CMake consumer per documented target (consumers/), each linking that target alone,
#   - a consumer built by hand with `pkg-config --cflags --libs fibersql`,
#   - every ```cpp block of README.md, as written,
# all with -Wall -Wextra -Wpedantic -Werror, and runs them. With a URL file (the
# max_connections=151 test server), the README's headline example runs against it.
set -euo pipefail
build=$1
work=$2
url_file=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
prefix=$work/prefix
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$build/CMakeCache.txt")
cxx_flags=$(sed -n 's/^CMAKE_CXX_FLAGS:STRING=//p' "$build/CMakeCache.txt")
rm -rf "$work"
mkdir -p "$work"
cmake --install "$build" --prefix "$prefix" >/dev/null

if compgen -G "$prefix/lib*/libfibersql_runtime.so" >/dev/null; then
  echo "== shared libraries: SOVERSION and exported symbols"
  libdir=$(dirname "$(ls "$prefix"/lib*/libfibersql_runtime.so | head -1)")
  for layer in runtime sql mysql sqlite db pool; do
    ls "$libdir/libfibersql_$layer.so".[0-9]*.[0-9]* >/dev/null  # versioned name (SOVERSION)
    soname=$(objdump -p "$libdir/libfibersql_$layer.so" | awk '/SONAME/ {print $2}')
    [[ $soname == libfibersql_$layer.so.0.1 ]] || { echo "libfibersql_$layer.so: SONAME '$soname'"; exit 1; }
  done
  # Internals declared only under src/ stay hidden; the public API is exported. (A pimpl type
  # forward-declared in a public header, pool_impl or hub_impl, is exported with it.)
  exported=$(nm -D --defined-only -C "$libdir"/libfibersql_*.so)
  for internal in 'fibersql::pool::detail::pool_core::start_acquire' 'fibersql::sqlite::detail::bind_params' \
                  'fibersql::mysql::detail::send_text_query'; do
    if grep -qF "$internal" <<<"$exported"; then echo "internal symbol exported: $internal"; exit 1; fi
  done
  for public in 'fibersql::spawn(' 'fibersql::pool::connection_pool::acquire()' 'fibersql::mysql::parse_url('; do
    grep -qF "$public" <<<"$exported" || { echo "public symbol not exported: $public"; exit 1; }
  done
  rpath="-Wl,-rpath,$libdir"
fi

echo "== one consumer per target"
cmake -S "$here/consumers" -B "$work/consumers" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_BUILD_TYPE="$build_type" -DCMAKE_CXX_FLAGS="$cxx_flags" >/dev/null
cmake --build "$work/consumers"
for exe in "$work"/consumers/use_*; do
  echo "run $(basename "$exe")"
  "$exe"
done

echo "== pkg-config consumer"
pcdir=$(dirname "$(find "$prefix" -name fibersql.pc | head -1)")
pc_flags=$(PKG_CONFIG_PATH=$pcdir pkg-config --cflags --libs fibersql)
# shellcheck disable=SC2086  # the flags are a word list
c++ -std=c++20 -Wall -Wextra -Wpedantic -Werror $cxx_flags "$here/consumers/db.cpp" -o "$work/pkg_config_db" $pc_flags ${rpath:-}
"$work/pkg_config_db"

echo "== README examples as written"
mkdir -p "$work/readme"
awk -v dir="$work/readme" '
  /^```cpp$/ { n++; file = sprintf("%s/example_%d.cpp", dir, n); inside = 1; next }
  /^```$/ && inside { inside = 0; close(file); next }
  inside { print > file }' "$root/README.md"
ls "$work"/readme/example_*.cpp >/dev/null  # at least one example
cat >"$work/readme/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.25)
project(fibersql_readme LANGUAGES C CXX)
find_package(fibersql REQUIRED)
file(GLOB examples ${CMAKE_CURRENT_SOURCE_DIR}/example_*.cpp)
foreach(src IN LISTS examples)
  get_filename_component(name ${src} NAME_WE)
  add_executable(${name} ${src})
  target_link_libraries(${name} PRIVATE fibersql::fibersql)
  target_compile_options(${name} PRIVATE -Wall -Wextra -Wpedantic -Werror)
endforeach()
CMAKE
cmake -S "$work/readme" -B "$work/readme/build" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_BUILD_TYPE="$build_type" -DCMAKE_CXX_FLAGS="$cxx_flags" >/dev/null
cmake --build "$work/readme/build"

if [[ -n "$url_file" ]]; then
  echo "== README headline example against $(sed 's/:[^:@]*@/:***@/' "$url_file")"
  dir=$(dirname "$url_file")
  mariadb --no-defaults -S "$dir/sock" -uroot -e "
    CREATE TABLE IF NOT EXISTS fibersql_test.users (id INT PRIMARY KEY, name VARCHAR(40));
    REPLACE INTO fibersql_test.users VALUES (1, 'ann'), (2, 'bob');
    SELECT @@max_connections AS max_connections;"
  "$work/readme/build/example_1" "$(cat "$url_file")"
fi
echo "install check passed"
