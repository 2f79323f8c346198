// The TLS guard plugin (see tls_guard.hpp for why it exists and what it promises).
#include "detail/tls_guard.hpp"

#include <arpa/inet.h>

#include <cstring>
#include <memory>

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "detail/client_plugin.hpp"
#include "detail/tls_policy.hpp"

namespace fibersql::mysql::detail {
namespace {

thread_local tls_guard* current_guard = nullptr;

bool is_numeric_address(const std::string& host) {
  unsigned char buf[sizeof(in6_addr)];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

std::string mode_of(const tls_guard& g) {
  return std::string("ssl_mode=") + ssl_mode_name(g.options->ssl_mode);
}

// The peer certificate check of verify_ca and verify_identity; "" when it passes.
std::string certificate_problem(const tls_guard& g, SSL* ssl) {
  const connect_options& o = *g.options;
  if (o.ssl_mode < ssl_mode::verify_ca) return {};
  std::unique_ptr<X509, decltype(&X509_free)> peer(SSL_get1_peer_certificate(ssl), X509_free);
  if (!peer) return "the server sent no certificate";
  // Connector/C does not make OpenSSL stop at a bad chain unless it verifies itself, but
  // OpenSSL always records the outcome of the chain check.
  if (const long rc = SSL_get_verify_result(ssl); rc != X509_V_OK) {
    return std::string("the server certificate does not verify against ssl_ca/ssl_capath: ") +
           X509_verify_cert_error_string(rc);
  }
  if (o.ssl_mode < ssl_mode::verify_identity) return {};
  const int match = is_numeric_address(o.host) ? X509_check_ip_asc(peer.get(), o.host.c_str(), 0)
                                               : X509_check_host(peer.get(), o.host.data(), o.host.size(),
                                                                 X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, nullptr);
  if (match != 1) return "the server certificate does not name host '" + o.host + "'";
  return {};
}

int guard_authenticate(MYSQL_PLUGIN_VIO* vio, MYSQL* mysql) {
  tls_guard* g = current_guard;
  if (g == nullptr || g->options == nullptr) return CR_ERROR;  // armed without a scope: refuse
  g->ran = true;
  if ((mysql->server_capabilities & CLIENT_SSL) == 0) {
    g->failure = mode_of(*g) + ": the server does not offer TLS; nothing was sent to it";
    return CR_ERROR;
  }
  // The first write sends the handshake reply: Connector/C starts TLS first (use_ssl is set
  // and the server offers it). No auth data goes with it.
  if (vio->write_packet(vio, nullptr, 0) != 0) {
    g->failure = mode_of(*g) + ": the TLS handshake failed: " + mysql_error(mysql);
    return CR_ERROR;
  }
  MARIADB_TLS* ctls = mysql->net.pvio != nullptr ? mysql->net.pvio->ctls : nullptr;
  const char* library = nullptr;
  mariadb_get_infov(mysql, MARIADB_TLS_LIBRARY, &library);
  if (ctls == nullptr || ctls->ssl == nullptr) {
    g->failure = mode_of(*g) + ": the session is not encrypted";
    return CR_ERROR;
  }
  if (library == nullptr || std::strncmp(library, "OpenSSL", 7) != 0) {
    g->failure = mode_of(*g) + ": the TLS library is not OpenSSL; cannot check the certificate";
    return CR_ERROR;
  }
  if (std::string why = certificate_problem(*g, static_cast<SSL*>(ctls->ssl)); !why.empty()) {
    g->failure = mode_of(*g) + ": " + why;
    return CR_ERROR;
  }
  // The server answers the empty reply with an auth switch to the account's plugin; the
  // library reads it and runs that plugin if this list allows it.
  mysql_optionsv(mysql, MARIADB_OPT_RESTRICTED_AUTH, g->plugins_after_tls.c_str());
  return CR_OK;
}

st_mysql_client_plugin_AUTHENTICATION guard_plugin = {
    MYSQL_CLIENT_AUTHENTICATION_PLUGIN,
    MYSQL_CLIENT_AUTHENTICATION_PLUGIN_INTERFACE_VERSION,
    tls_guard_plugin_name,
    "fibersql",
    "Refuses plaintext and unverified TLS before authentication",
    {1, 0, 0},
    "BSD",
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    guard_authenticate,
};

}  // namespace

void register_tls_guard_plugin() {
  MYSQL* scratch = mysql_init(nullptr);
  mysql_client_register_plugin(scratch, reinterpret_cast<st_mysql_client_plugin*>(&guard_plugin));
  mysql_close(scratch);
}

void arm_tls_guard(MYSQL* m) {
  mysql_optionsv(m, MYSQL_DEFAULT_AUTH, tls_guard_plugin_name);
}

tls_guard_scope::tls_guard_scope(tls_guard* g) noexcept : previous_(current_guard) {
  current_guard = g;
}
tls_guard_scope::~tls_guard_scope() {
  current_guard = previous_;
}

}  // namespace fibersql::mysql::detail
