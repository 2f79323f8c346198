#pragma once
// Connector/C's client-plugin API (<mysql/client_plugin.h>, which brings in ma_pvio.h and
// ma_tls.h). Those headers use the library's private `uchar` without defining it, and
// include a header Debian does not ship (see shim/ma_compress.h). HAVE_TLS makes ma_pvio.h
// declare the TLS container (MARIADB_TLS: data, pvio, the library's SSL*) instead of `void`.
#include <mysql.h>

typedef unsigned char uchar;
#ifndef HAVE_TLS
#define HAVE_TLS 1
#endif

#include <mysql/client_plugin.h>
