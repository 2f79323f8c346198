#pragma once
// Private state of a database, shared by the database object, every fiber's slot and every
// transaction scope, so that whichever of them goes last frees it.
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>

#include <fibersql/db/connection_source.hpp>
#include <fibersql/db/database_options.hpp>
#include <fibersql/db/database_stats.hpp>
#include <fibersql/runtime/clock.hpp>
#include <fibersql/runtime/detail/intrusive_list.hpp>
#include <fibersql/runtime/detail/thread_annotations.hpp>
#include <fibersql/sql/connection.hpp>

namespace fibersql::db::detail {

class database_state;

// One fiber's use of one database. Touched only by its own fiber, except the fields marked
// "state mutex", which stats() reads from anywhere.
struct fiber_slot {
  std::shared_ptr<database_state> state;
  std::uint64_t fiber_id = 0;
  std::string fiber_name;
  std::thread::id thread;  // the fiber's hub thread

  std::unique_ptr<lease> borrowed;       // what the source lent; null while the fiber holds none
  fibersql::connection* conn = nullptr;  // borrowed->get(), or null with it
  std::uint64_t generation = 0;          // +1 per acquired connection; scopes remember theirs
  bool ended = false;                    // the fiber-exit hook ran; scopes still alive do nothing
  bool transaction_lost = false;         // conn went away while atomic() scopes were open
  bool unwind_failed = false;            // a scope could not roll back (kill pending): never commit
  unsigned scopes = 0;                   // open connection_scope()s
  bool return_pending = false;           // a scope ended inside a transaction: return at its end
  unsigned open_streams = 0;             // row_cursors claiming conn (close() refuses)
  std::uint64_t stream_rows = 0;         // rows the open stream handed over (for errors)

  // state mutex:
  unsigned depth = 0;           // open atomic() scopes
  bool in_transaction = false;  // cached after each operation, for other threads
  std::string backend;
  std::uint64_t server_thread_id = 0;
  clock::time_point acquired_at{};
  std::string last_statement;
  bool running = false;
  clock::time_point statement_started{};
  fibersql::detail::list_links<fiber_slot> holder_links;  // in database_state's holders while conn is held
};

// The fiber_local object: its destructor is the RAII hook that runs when the fiber ends.
struct slot_handle {
  explicit slot_handle(std::shared_ptr<database_state> state);
  ~slot_handle();
  slot_handle(const slot_handle&) = delete;
  slot_handle& operator=(const slot_handle&) = delete;
  std::shared_ptr<fiber_slot> slot;
};

class database_state {
 public:
  database_state(std::shared_ptr<connection_source> source, database_options options);

  // acquire: gives the slot a connection from the source and registers it. Throws: as source.
  void acquire(fiber_slot& s);
  // release: gives the slot's lease back to its source, the one return path. A transaction
  // left open is rolled back here (bounded by exit_rollback_timeout) and nowhere else; with
  // `at_exit`, unless a failed scope unwind explains it, it is reported.
  void release(fiber_slot& s, bool at_exit) noexcept;
  // return_if_idle: hands the connection back now if it is idle (no transaction, no atomic()
  // scope, no connection_scope keeping it); the next statement borrows again.
  void return_if_idle(fiber_slot& s) noexcept;
  // True when the source wants its connection back after every statement (a pool option).
  bool returns_after_each_statement() const noexcept { return return_after_statement_; }
  // discard_if_broken: releases a broken connection; true if it did.
  bool discard_if_broken(fiber_slot& s) noexcept;

  // run: op(conn) as one tracked statement called `text` with `params` bound values; tells
  // options().on_statement; discards a connection the failure left broken. Throws: what op throws.
  // Throws: stream_open_error, before op, while a stream of the slot is open.
  template <class Op>
  auto run(fiber_slot& s, std::string_view text, Op&& op, std::size_t params = 0) -> decltype(op(*s.conn)) {
    if (s.open_streams > 0) refuse_while_streaming(s, text);
    statement_started(s, text);
    const clock::time_point t0 = options_.on_statement ? clock::now() : clock::time_point{};
    try {
      if constexpr (std::is_void_v<decltype(op(*s.conn))>) {
        op(*s.conn);
        statement_ended(s);
        notify(text, params, t0, 0, nullptr);
      } else {
        auto out = op(*s.conn);
        statement_ended(s);
        if constexpr (std::is_same_v<decltype(out), result>)
          notify(text, params, t0, out.rows.empty() ? out.affected_rows : out.rows.size(), nullptr);
        else
          notify(text, params, t0, 0, nullptr);
        return out;
      }
    } catch (...) {
      statement_ended(s);
      discard_if_broken(s);
      notify(text, params, t0, 0, std::current_exception());
      throw;
    }
  }
  void set_depth(fiber_slot& s, unsigned depth) noexcept;

  database_stats stats() const;
  connection_source& source() noexcept { return *source_; }
  const std::shared_ptr<connection_source>& source_ptr() const noexcept { return source_; }
  const database_options& options() const noexcept { return options_; }

 private:
  // clip_into: `text` into `out`, cut at options.statement_text_limit with "..." (what
  // stats and errors show of a statement).
  void clip_into(std::string& out, std::string_view text) const;
  // refuse_while_streaming: throws stream_open_error naming the open stream and `text`.
  [[noreturn]] void refuse_while_streaming(const fiber_slot& s, std::string_view text) const;
  void statement_started(fiber_slot& s, std::string_view text);
  void statement_ended(fiber_slot& s) noexcept;
  // notify: calls on_statement, if set; never throws.
  void notify(std::string_view text, std::size_t params, clock::time_point t0, std::uint64_t rows,
              std::exception_ptr error) noexcept;
  void report(abandoned_transaction&& r) noexcept;

  const std::shared_ptr<connection_source> source_;
  const database_options options_;
  const bool return_after_statement_;  // source_->returns_after_each_statement(), read once
  mutable fibersql::detail::annotated_mutex mutex_;
  // Slots holding a connection; its size is the number of connections held now.
  fibersql::detail::intrusive_list<fiber_slot, &fiber_slot::holder_links> holders_ FIBERSQL_GUARDED_BY(mutex_);
  std::uint64_t opened_ FIBERSQL_GUARDED_BY(mutex_) = 0;
  std::uint64_t closed_ FIBERSQL_GUARDED_BY(mutex_) = 0;
  std::uint64_t discarded_broken_ FIBERSQL_GUARDED_BY(mutex_) = 0;
  std::uint64_t acquire_failures_ FIBERSQL_GUARDED_BY(mutex_) = 0;
  std::uint64_t abandoned_total_ FIBERSQL_GUARDED_BY(mutex_) = 0;
  std::deque<abandoned_transaction> recent_abandoned_ FIBERSQL_GUARDED_BY(mutex_);
};

}  // namespace fibersql::db::detail
