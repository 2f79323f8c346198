// Must not compile: a struct has no obvious SQL meaning. The test checks the one error names
// the type and says what is accepted (tests/sql/CMakeLists.txt).
#include <fibersql/sql/value.hpp>

struct point {
  int x = 0;
  int y = 0;
};

int main() {
  const fibersql::value v = point{1, 2};
  return v.index() == 0 ? 0 : 1;
}
