// Sanitized builds only. Boost.Context's ucontext flavour (the one that tells ASan about every
// stack switch) keeps its per-thread "current context" in the compiled library, but Debian
// builds libboost_context with fcontext, so that one definition is missing. It is defined
// here the way Boost's own src/fiber.cpp does for ucontext builds.
#include <boost/context/fiber.hpp>

namespace boost::context::detail {
namespace {

thread_local fiber_activation_record* current_record = nullptr;
thread_local std::size_t initializers = 0;

}  // namespace

fiber_activation_record_initializer::fiber_activation_record_initializer() noexcept {
  if (initializers++ == 0) current_record = new fiber_activation_record();
}

fiber_activation_record_initializer::~fiber_activation_record_initializer() {
  if (--initializers == 0) {
    delete current_record;
    current_record = nullptr;
  }
}

fiber_activation_record*& fiber_activation_record::current() noexcept {
  thread_local fiber_activation_record_initializer initializer;
  return current_record;
}

}  // namespace boost::context::detail
