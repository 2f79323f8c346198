#pragma once
// Symbol visibility. The libraries build with -fvisibility=hidden, so a shared build exports
// only what the public headers declare: each public header brackets its declarations with
// FIBERSQL_PUBLIC_BEGIN / FIBERSQL_PUBLIC_END; FIBERSQL_API marks a single declaration.
// Everything under src/ stays internal to its library.
#if defined(__GNUC__) || defined(__clang__)
#define FIBERSQL_API __attribute__((visibility("default")))
#define FIBERSQL_PUBLIC_BEGIN _Pragma("GCC visibility push(default)")
#define FIBERSQL_PUBLIC_END _Pragma("GCC visibility pop")
#else
#define FIBERSQL_API
#define FIBERSQL_PUBLIC_BEGIN
#define FIBERSQL_PUBLIC_END
#endif
