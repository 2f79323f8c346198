#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// A scope in which kill() is held back: work that must finish once started (telling the server
// to stop an abandoned query, rolling back) runs to its end even while the hub shuts down.
// The kill is not lost: the first wait after the outermost shield ends throws fiber_exit.
// Timeout scopes still apply, so shielded work must carry its own bound.

namespace fibersql {

class kill_shield {
 public:
  // Throws: misuse_error outside a fiber.
  kill_shield();
  ~kill_shield();
  kill_shield(const kill_shield&) = delete;
  kill_shield& operator=(const kill_shield&) = delete;
};

}  // namespace fibersql
FIBERSQL_PUBLIC_END
