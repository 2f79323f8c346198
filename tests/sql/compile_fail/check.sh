#!/bin/sh
# check.sh <c++ compiler> <include dir> <source> <type>: passes only if <source> fails to
# compile with exactly one error, the static_assert of fibersql::value, naming <type>.
out=$("$1" -std=c++20 -fsyntax-only -I"$2" "$3" 2>&1) && { echo "$3 compiled, but must not"; exit 1; }
printf '%s\n' "$out"
errors=$(printf '%s\n' "$out" | grep -c 'error:')
[ "$errors" -eq 1 ] || { echo "expected exactly one error, got $errors"; exit 1; }
printf '%s\n' "$out" | grep -q "static assertion failed: fibersql::value: this type cannot be a SQL value" ||
  { echo "the error is not fibersql::value's static_assert"; exit 1; }
printf '%s\n' "$out" | grep -q "unsupported_value_type<$4>" || { echo "the error does not name $4"; exit 1; }
echo "refused as expected"
