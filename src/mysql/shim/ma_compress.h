/* Debian's libmariadb-dev 3.3 ships <mysql/client_plugin.h>, which includes <ma_compress.h>,
   without that header. client_plugin.h needs only the context type's name from it; fibersql
   never uses compression plugins. This shim is found only by src/mysql. */
#ifndef FIBERSQL_MA_COMPRESS_SHIM_H
#define FIBERSQL_MA_COMPRESS_SHIM_H
typedef struct st_ma_compress_ctx ma_compress_ctx;
#endif
