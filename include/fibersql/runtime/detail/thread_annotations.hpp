#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// Clang's thread-safety annotations behind macros (as marl's _Guarded_by_ / abseil's
// thread_annotations.h), so that "guarded by mutex_" is checked by the compiler where it can
// be (clang with -Wthread-safety) and not only stated in a comment. On GCC they expand to
// nothing. libstdc++'s std::mutex and std::lock_guard carry no annotations, so the fields
// that say FIBERSQL_GUARDED_BY(m) use `annotated_mutex m` and `annotated_lock lock(m)`.
#include <mutex>

#if defined(__clang__)
#define FIBERSQL_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define FIBERSQL_THREAD_ANNOTATION(x)
#endif

// The field may only be read or written with `m` held.
#define FIBERSQL_GUARDED_BY(m) FIBERSQL_THREAD_ANNOTATION(guarded_by(m))
// What the pointer points to may only be touched with `m` held.
#define FIBERSQL_PT_GUARDED_BY(m) FIBERSQL_THREAD_ANNOTATION(pt_guarded_by(m))
// The function must be called with these held (the `_locked` naming rule, checked).
#define FIBERSQL_REQUIRES(...) FIBERSQL_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
// The function must be called without these held (it takes them itself).
#define FIBERSQL_EXCLUDES(...) FIBERSQL_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
#define FIBERSQL_CAPABILITY(name) FIBERSQL_THREAD_ANNOTATION(capability(name))
#define FIBERSQL_SCOPED_CAPABILITY FIBERSQL_THREAD_ANNOTATION(scoped_lockable)
#define FIBERSQL_ACQUIRE(...) FIBERSQL_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define FIBERSQL_RELEASE(...) FIBERSQL_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
#define FIBERSQL_TRY_ACQUIRE(...) FIBERSQL_THREAD_ANNOTATION(try_acquire_capability(__VA_ARGS__))

namespace fibersql::detail {

// annotated_mutex: a std::mutex the analysis knows as a capability. A thread mutex: it
// blocks the thread, so hold it only for bookkeeping, never across a fiber wait.
class FIBERSQL_CAPABILITY("mutex") annotated_mutex {
 public:
  void lock() FIBERSQL_ACQUIRE() { m_.lock(); }
  void unlock() FIBERSQL_RELEASE() { m_.unlock(); }
  bool try_lock() FIBERSQL_TRY_ACQUIRE(true) { return m_.try_lock(); }

 private:
  std::mutex m_;
};

// annotated_lock: std::lock_guard for annotated_mutex, known to the analysis as a scope.
class FIBERSQL_SCOPED_CAPABILITY annotated_lock {
 public:
  explicit annotated_lock(annotated_mutex& m) FIBERSQL_ACQUIRE(m) : m_(m) { m_.lock(); }
  ~annotated_lock() FIBERSQL_RELEASE() { m_.unlock(); }
  annotated_lock(const annotated_lock&) = delete;
  annotated_lock& operator=(const annotated_lock&) = delete;

 private:
  annotated_mutex& m_;
};

}  // namespace fibersql::detail
FIBERSQL_PUBLIC_END
