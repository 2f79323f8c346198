# Extracts the ```cpp blocks of docs/orm.md into one translation unit (build time):
#   cmake -DDOC=docs/orm.md -DOUT=doc_snippets.cpp -P doc_snippets.cmake
# A block whose first line is "// at namespace scope" is emitted as is; every other block
# becomes a function `snippet_<n>(db)`, and run_all_snippets(db) calls them in order.
file(STRINGS ${DOC} lines)
set(decls "")
set(bodies "")
set(calls "")
set(in_block FALSE)
set(n 0)
foreach(line IN LISTS lines)
  if(NOT in_block AND line STREQUAL "```cpp")
    set(in_block TRUE)
    set(block "")
    set(first TRUE)
    set(scope_block FALSE)
  elseif(in_block AND line STREQUAL "```")
    set(in_block FALSE)
    if(scope_block)
      string(APPEND decls "${block}\n")
    else()
      math(EXPR n "${n} + 1")
      string(APPEND bodies "void snippet_${n}(fibersql::db::database& db) {\n${block}}\n\n")
      string(APPEND calls "  snippet_${n}(db);\n")
    endif()
  elseif(in_block)
    if(first AND line STREQUAL "// at namespace scope")
      set(scope_block TRUE)
    else()
      string(APPEND block "${line}\n")
    endif()
    set(first FALSE)
  endif()
endforeach()
file(WRITE ${OUT}.tmp "// Generated from docs/orm.md by tests/orm/doc_snippets.cmake; do not edit.
#undef NDEBUG
#include <cassert>
#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include <fibersql/db/database.hpp>
#include <fibersql/orm/orm.hpp>

namespace doc {
namespace orm = fibersql::orm;
namespace fn = fibersql::orm::fn;

${decls}
${bodies}void run_all_snippets(fibersql::db::database& db) {
${calls}}

}  // namespace doc
")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
