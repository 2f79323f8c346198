#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// for_each_parallel: a producer/consumer pipeline over a select. The calling fiber streams the
// query's rows (query.stream(db)) into a bounded channel; `workers` fibers take rows from it
// and run fn(row&) on each, every worker on its own connection (connections are
// fiber-local), so fn may query and write. The channel's bound is the back-pressure: the
// stream waits while `capacity` rows are queued.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <fibersql/db/database.hpp>
#include <fibersql/runtime/channel.hpp>
#include <fibersql/runtime/fiber.hpp>
#include <fibersql/runtime/kill_shield.hpp>

namespace fibersql::orm {

struct pipeline_options {
  std::size_t workers = 4;            // worker fibers (>= 1), each holding its own connection
  std::size_t capacity = 256;         // rows queued between the stream and the workers (>= 1)
  std::string name = "orm-pipeline";  // the workers are named name/0, name/1, ...
};

struct pipeline_result {
  std::uint64_t rows = 0;       // rows streamed, each handed to exactly one worker
  std::uint64_t processed = 0;  // rows whose fn(row) returned
  std::size_t peak_queued = 0;  // most rows ever waiting in the channel (at most capacity)
};

// for_each_parallel: runs fn(row&) on every row of `query`, on `options.workers` fibers.
// The first failure stops the pipeline: a worker's exception closes the channel, the stream
// stops at its next row (its connection is given up, as for any stream left unfinished), the
// other workers finish the row they hold and take no more, and the exception propagates here
// once every worker has ended. A kill of the calling fiber kills the workers; it still waits
// for them to end (they use its channel and fn), then fiber_exit propagates.
// Throws: std::invalid_argument for 0 workers or capacity; what the stream or fn throws.
// Fiber-safety: call from a fiber; fn runs on the workers, never two at once on one row.
template <class Query, class F>
pipeline_result for_each_parallel(db::database& db, const Query& query, const pipeline_options& options, F&& fn) {
  using Row = typename Query::row_type;
  if (options.workers == 0) throw std::invalid_argument("fibersql::orm: for_each_parallel needs workers >= 1, got 0");
  if (options.capacity == 0) throw std::invalid_argument("fibersql::orm: for_each_parallel needs capacity >= 1, got 0");
  channel<Row> rows(options.capacity);
  pipeline_result out;
  std::exception_ptr failure;  // the first one: a worker's, or the stream's
  std::vector<fiber> workers;
  workers.reserve(options.workers);
  auto work = [&] {
    try {
      while (std::optional<Row> r = rows.receive()) {
        if (failure) return;  // another worker failed: take no more rows
        fn(*r);
        ++out.processed;
      }
    } catch (...) {
      if (!failure) failure = std::current_exception();
      rows.close();  // the stream's next send throws channel_closed; close() never waits
    }
  };
  bool stream_failed = false;
  try {
    for (std::size_t i = 0; i < options.workers; ++i)
      workers.push_back(spawn(work, {.name = options.name + "/" + std::to_string(i)}));
    for (Row& r : query.stream(db)) {
      rows.send(std::move(r));
      ++out.rows;
      out.peak_queued = std::max(out.peak_queued, rows.size());
    }
  } catch (const channel_closed&) {
    // A worker failed and closed the channel: `failure` holds its exception.
  } catch (...) {
    if (!failure) failure = std::current_exception();  // the stream's, or the caller's kill
    stream_failed = true;
  }
  // Outside the handlers: waiting inside one is not allowed (the exception stack is per thread).
  rows.close();  // the workers drain what is queued, then end
  if (stream_failed)
    for (const fiber& w : workers) w.kill();
  {
    kill_shield shield;                       // a killed caller still waits: the workers use its locals
    for (const fiber& w : workers) w.join();  // a worker keeps its exception in `failure`
  }
  if (failure) std::rethrow_exception(failure);
  return out;
}

}  // namespace fibersql::orm
FIBERSQL_PUBLIC_END
