#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// Everything of the net layer.
#include <fibersql/net/connect.hpp>
#include <fibersql/net/endpoint.hpp>
#include <fibersql/net/errors.hpp>
#include <fibersql/net/listener.hpp>
#include <fibersql/net/socket.hpp>
#include <fibersql/net/stream_server.hpp>
#include <fibersql/net/unique_fd.hpp>
FIBERSQL_PUBLIC_END
