#!/bin/sh
# bench/orm_compile/run.sh: compile time and peak memory of the generated ORM translation unit
# (20 models x 8 columns, 100 query functions) at -O2 with GCC and Clang, measured with
# /usr/bin/time -v. Bar (issue 14): <= 10 s and <= 500 MB each. Run from the repository root:
#   sh bench/orm_compile/run.sh            (needs g++, clang++; apt-get install -y clang)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${TMPDIR:-/tmp}/orm_compile
mkdir -p "$out"
python3 "$root/bench/orm_compile/generate.py" "$out/orm_compile_tu.cpp"
for cxx in g++ clang++; do
  if ! command -v "$cxx" >/dev/null; then echo "$cxx: not installed, skipped"; continue; fi
  if ! /usr/bin/time -v "$cxx" -std=c++20 -O2 -I"$root/orm/include" -I"$root/include" \
    -c "$out/orm_compile_tu.cpp" -o "$out/tu_$cxx.o" 2> "$out/time_$cxx.txt"; then
    cat "$out/time_$cxx.txt"; exit 1
  fi
  secs=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$out/time_$cxx.txt")
  kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$out/time_$cxx.txt")
  user=$(sed -n 's/.*User time (seconds): //p' "$out/time_$cxx.txt")
  echo "$($cxx --version | head -1): wall $secs, user ${user}s, max RSS $((kb / 1024)) MB"
done
