#include <fibersql/pool/options.hpp>

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <string>

namespace fibersql::pool {
namespace {

[[noreturn]] void bad(const std::string& field, const std::string& why) {
  throw std::invalid_argument("fibersql::pool::pool_options." + field + ": " + why);
}

std::string ms(clock::duration d) {
  return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(d).count()) + " ms";
}

void non_negative(const char* field, clock::duration d) {
  if (d < clock::duration::zero()) bad(field, "must not be negative (got " + ms(d) + "); zero disables it");
}

void positive(const char* field, clock::duration d) {
  if (d <= clock::duration::zero()) bad(field, "must be greater than zero (got " + ms(d) + ")");
}

}  // namespace

void validate(const pool_options& o) {
  if (o.max_open == 0) bad("max_open", "must be at least 1");
  if (o.max_idle > o.max_open) {
    bad("max_idle", std::to_string(o.max_idle) + " exceeds max_open " + std::to_string(o.max_open) +
                        " (idle connections count toward max_open)");
  }
  if (o.min_idle > o.max_idle) {
    bad("min_idle", std::to_string(o.min_idle) + " exceeds max_idle " + std::to_string(o.max_idle) +
                        " (the pool would close what it keeps warm)");
  }
  // Written as a negated range test so that NaN fails too.
  if (!(o.max_lifetime_jitter >= 0.0 && o.max_lifetime_jitter <= 0.5)) {
    bad("max_lifetime_jitter", "must be a fraction in [0, 0.5], got " + std::to_string(o.max_lifetime_jitter));
  }
  non_negative("max_lifetime", o.max_lifetime);
  non_negative("max_idle_time", o.max_idle_time);
  non_negative("validate_after_idle", o.validate_after_idle);
  non_negative("keepalive_interval", o.keepalive_interval);
  non_negative("leak_threshold", o.leak_threshold);
  positive("acquire_timeout", o.acquire_timeout);
  positive("validation_timeout", o.validation_timeout);
  positive("housekeeping_period", o.housekeeping_period);
}

pool_options clamped(pool_options o) {
  o.max_idle = std::min(o.max_idle, o.max_open);
  return o;
}

}  // namespace fibersql::pool
